import { describe, expect, it } from 'vitest';
import type { ComfyUIInputValue, ComfyUIWorkflow } from './comfyui-workflow.js';
import { insertComfyUILoras } from './insert-comfyui-loras.js';
import { sdxlTextToImageWorkflow } from './sdxl-text-to-image-workflow.js';

type Graph = Record<string, { class_type: string; inputs: Record<string, ComfyUIInputValue> }>;

const copy = (workflow: ComfyUIWorkflow) => structuredClone(workflow) as Graph;

/** A FLUX graph: the model, the two text encoders and the VAE from three loaders. */
const fluxGraph: ComfyUIWorkflow = {
  '10': { class_type: 'UNETLoader', inputs: { unet_name: 'flux1-dev.safetensors' } },
  '11': { class_type: 'DualCLIPLoader', inputs: { clip_name1: 't5', clip_name2: 'l' } },
  '12': { class_type: 'VAELoader', inputs: { vae_name: 'ae.safetensors' } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['11', 0] } },
  '22': { class_type: 'BasicGuider', inputs: { model: ['10', 0], conditioning: ['6', 0] } },
  '13': { class_type: 'SamplerCustomAdvanced', inputs: { guider: ['22', 0] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['13', 0], vae: ['12', 0] } },
  '9': { class_type: 'SaveImage', inputs: { images: ['8', 0] } },
};

describe('insertComfyUILoras', () => {
  it('chains LoRAs in order after the checkpoint loader and rewires its model and CLIP readers', () => {
    const { graph, warning } = insertComfyUILoras(copy(sdxlTextToImageWorkflow), [
      { name: 'fur.safetensors', weight: 0.6 },
      { name: 'ember.safetensors', weight: -0.5 },
    ]);
    const nodes = graph as Graph;
    expect(warning).toBeUndefined();
    expect(nodes['10']!.inputs).toEqual({
      model: ['4', 0],
      clip: ['4', 1],
      lora_name: 'fur.safetensors',
      strength_model: 0.6,
      strength_clip: 0.6,
    });
    expect(nodes['11']!.inputs).toEqual({
      model: ['10', 0],
      clip: ['10', 1],
      lora_name: 'ember.safetensors',
      strength_model: -0.5,
      strength_clip: -0.5,
    });
    expect(nodes['3']!.inputs.model).toEqual(['11', 0]);
    expect(nodes['6']!.inputs.clip).toEqual(['11', 1]);
    expect(nodes['7']!.inputs.clip).toEqual(['11', 1]);
    // The VAE and every other link are as they were.
    expect(nodes['8']!.inputs).toEqual({ samples: ['3', 0], vae: ['4', 2] });
    expect(nodes['3']!.inputs.positive).toEqual(['6', 0]);
    expect(Object.keys(nodes)).toHaveLength(Object.keys(sdxlTextToImageWorkflow).length + 2);
  });

  it('follows a UNETLoader and a separate CLIP loader (FLUX)', () => {
    const { graph, warning } = insertComfyUILoras(copy(fluxGraph), [
      { name: 'style.safetensors', weight: 1 },
    ]);
    const nodes = graph as Graph;
    expect(warning).toBeUndefined();
    expect(nodes['23']!.inputs).toMatchObject({ model: ['10', 0], clip: ['11', 0] });
    expect(nodes['22']!.inputs.model).toEqual(['23', 0]);
    expect(nodes['6']!.inputs.clip).toEqual(['23', 1]);
    expect(nodes['8']!.inputs.vae).toEqual(['12', 0]);
  });

  it('leaves a graph without one model and one CLIP loader as it was, and says why', () => {
    const noLoader = copy(fluxGraph);
    delete noLoader['10'];
    const missing = insertComfyUILoras(noLoader, [{ name: 'a', weight: 1 }]);
    expect(missing.graph).toEqual(noLoader);
    expect(missing.warning).toContain('this workflow has no model loader.');

    const two = copy(sdxlTextToImageWorkflow);
    two['40'] = { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'other' } };
    const before = structuredClone(two);
    const several = insertComfyUILoras(two, [{ name: 'a', weight: 1 }]);
    expect(several.graph).toEqual(before);
    expect(several.warning).toContain('this workflow has more than one model loader.');
  });

  it('takes only ComfyUI’s loader types as loaders, not names an object happens to have', () => {
    const odd = copy(sdxlTextToImageWorkflow);
    odd['50'] = { class_type: 'toString', inputs: {} };
    odd['51'] = { class_type: 'constructor', inputs: {} };
    const { warning, graph } = insertComfyUILoras(odd, [{ name: 'a', weight: 1 }]);
    expect(warning).toBeUndefined();
    expect((graph as Graph)['52']!.inputs).toMatchObject({ model: ['4', 0], clip: ['4', 1] });
  });

  it('changes nothing without LoRAs', () => {
    const graph = copy(sdxlTextToImageWorkflow);
    expect(insertComfyUILoras(graph, undefined)).toEqual({ graph });
    expect(insertComfyUILoras(graph, [])).toEqual({ graph });
    expect(graph).toEqual(sdxlTextToImageWorkflow);
  });
});
