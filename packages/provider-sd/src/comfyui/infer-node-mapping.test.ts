import { describe, expect, it } from 'vitest';
import type { ComfyUIWorkflow } from './comfyui-workflow.js';
import { inferNodeMapping } from './infer-node-mapping.js';
import { sdxlImageToImageNodes, sdxlImageToImageWorkflow } from './sdxl-image-to-image-workflow.js';
import { sdxlTextToImageNodes, sdxlTextToImageWorkflow } from './sdxl-text-to-image-workflow.js';

describe('inferNodeMapping', () => {
  it('finds the shipped mappings from the shipped templates', () => {
    expect(inferNodeMapping(sdxlTextToImageWorkflow).mapping).toEqual(sdxlTextToImageNodes);
    expect(inferNodeMapping(sdxlImageToImageWorkflow).mapping).toEqual(sdxlImageToImageNodes);
  });

  it('handles KSamplerAdvanced, SDXL text encoders and an inpainting latent', () => {
    const workflow: ComfyUIWorkflow = {
      '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'x.safetensors' } },
      '2': {
        class_type: 'CLIPTextEncodeSDXL',
        inputs: { text_g: '', text_l: '', width: 1024, height: 1024, clip: ['1', 1] },
      },
      '3': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['1', 1] } },
      '4': { class_type: 'LoadImage', inputs: { image: 'in.png' } },
      '5': { class_type: 'VAEEncode', inputs: { pixels: ['4', 0], vae: ['1', 2] } },
      '6': { class_type: 'LoadImageMask', inputs: { image: 'mask.png', channel: 'red' } },
      '7': { class_type: 'SetLatentNoiseMask', inputs: { samples: ['5', 0], mask: ['6', 0] } },
      '8': {
        class_type: 'KSamplerAdvanced',
        inputs: {
          add_noise: 'enable',
          noise_seed: 1,
          steps: 20,
          cfg: 7,
          sampler_name: 'euler',
          scheduler: 'normal',
          positive: ['2', 0],
          negative: ['3', 0],
          latent_image: ['7', 0],
          model: ['1', 0],
        },
      },
    };
    expect(inferNodeMapping(workflow).mapping).toEqual({
      prompt: ['2.text_g', '2.text_l'],
      negativePrompt: '3.text',
      seed: '8.noise_seed',
      steps: '8.steps',
      cfgScale: '8.cfg',
      sampler: '8.sampler_name',
      scheduler: '8.scheduler',
      image: '4.image',
      mask: '6.image',
      checkpoint: '1.ckpt_name',
    });
  });

  it('explains what it could not find', () => {
    const twoSamplers: ComfyUIWorkflow = {
      '1': { class_type: 'KSampler', inputs: {} },
      '2': { class_type: 'KSampler', inputs: {} },
    };
    expect(inferNodeMapping(twoSamplers).problem).toBe(
      'expected exactly one sampler node (KSampler, KSamplerAdvanced, SamplerCustom or SamplerCustomAdvanced), found 2',
    );
    const unlinked: ComfyUIWorkflow = {
      '1': { class_type: 'KSampler', inputs: { positive: 'nope' } },
    };
    expect(inferNodeMapping(unlinked).problem).toContain('positive conditioning');
  });
});
