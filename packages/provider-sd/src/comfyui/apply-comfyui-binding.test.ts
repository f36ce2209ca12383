import type { ImageRequest, ResolvedBinding } from '@layerloom/core';
import { createImageRequest, createTestCleanup } from '@layerloom/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeComfyUI } from '../../test/fake-comfyui-server.js';
import { createComfyUI } from './create-comfyui.js';
import { sdxlTextToImageWorkflow } from './sdxl-text-to-image-workflow.js';

const cleanup = createTestCleanup();
afterEach(() => cleanup.run());

const binding: ResolvedBinding = {
  packs: [{ name: '@studio/ember-world', version: '1.2.3', contentHash: 'a'.repeat(64) }],
  subject: { pack: '@studio/ember-world', kind: 'entity', id: 'wolf' },
  providerId: 'comfyui',
  checkpoint: 'wolfmix_v3.safetensors',
  steps: 40,
  sampler: 'euler_ancestral',
  nodeOverrides: { '3': { cfg: 9, denoise: 0.9 } },
  loras: [{ name: 'fur', weight: 0.6 }],
};

async function graphFor(fields: Partial<ImageRequest>) {
  const server = cleanup.track(await createFakeComfyUI());
  const result = await cleanup
    .track(createComfyUI({ baseURL: server.url, historyIntervalMs: 20 }))
    .image({ steps: 20, inputs: { '3': { cfg: 3 } } })
    .generate(createImageRequest({ prompt: 'a wolf', width: 832, height: 1216, ...fields }));
  const graph = server.server.requests[0]!.json<{ prompt: typeof sdxlTextToImageWorkflow }>()
    .prompt;
  return { graph, result };
}

describe('ComfyUI world-pack bindings', () => {
  it('places the checkpoint, sampling values and node overrides into the template', async () => {
    const { graph, result } = await graphFor({ binding });
    expect(graph['4']!.inputs).toMatchObject({ ckpt_name: 'wolfmix_v3.safetensors' });
    expect(graph['3']!.inputs).toMatchObject({
      steps: 40,
      sampler_name: 'euler_ancestral',
      cfg: 9,
      denoise: 0.9,
    });
    // The LoRA is chained in after the checkpoint loader, and what read the loader reads it.
    expect(graph['10']).toEqual({
      class_type: 'LoraLoader',
      inputs: {
        model: ['4', 0],
        clip: ['4', 1],
        lora_name: 'fur',
        strength_model: 0.6,
        strength_clip: 0.6,
      },
    });
    expect(graph['3']!.inputs.model).toEqual(['10', 0]);
    expect(graph['6']!.inputs.clip).toEqual(['10', 1]);
    expect(graph['7']!.inputs.clip).toEqual(['10', 1]);
    expect(graph['8']!.inputs.vae).toEqual(['4', 2]);
    expect(result.warnings.join('\n')).not.toContain('loras');
  });

  it("sends the pack's workflow template in place of the adapter's", async () => {
    const template = JSON.parse(JSON.stringify(sdxlTextToImageWorkflow)) as Record<
      string,
      { class_type: string; inputs: Record<string, unknown> }
    >;
    const save = Object.values(template).find((node) => node.class_type === 'SaveImage')!;
    save.inputs.filename_prefix = 'ember-wolf';
    const { graph, result } = await graphFor({ binding: { ...binding, workflow: template } });
    const sent = Object.values(graph).find((node) => node.class_type === 'SaveImage')!;
    expect(sent.inputs.filename_prefix).toBe('ember-wolf');
    expect(graph['4']!.inputs).toMatchObject({ ckpt_name: 'wolfmix_v3.safetensors' });
    expect(result.warnings.join('\n')).not.toContain("binding's `workflow`");
    const broken = await graphFor({ binding: { ...binding, workflow: { nodes: [], links: [] } } });
    expect(broken.result.warnings.join('\n')).toContain('not a ComfyUI workflow in API format');
  });

  it("lets the request's own options.inputs win over the binding's overrides", async () => {
    const { graph } = await graphFor({ binding, options: { inputs: { '3': { cfg: 2 } } } });
    expect(graph['3']!.inputs).toMatchObject({ cfg: 2, denoise: 0.9, steps: 40 });
  });
});
