import type { ComfyUINodeMapping } from './comfyui-node-mapping.js';
import { type ComfyUIWorkflow, freezeWorkflow } from './comfyui-workflow.js';

/**
 * The default text-to-image workflow: SDXL base (`sd_xl_base_1.0.safetensors`), 1024×1024,
 * 30 steps of `dpmpp_2m` with the `karras` scheduler, CFG 7, saved with the prefix `layerloom`.
 * A JSON-able object in ComfyUI's API format; copy it to start your own.
 */
export const sdxlTextToImageWorkflow: ComfyUIWorkflow = freezeWorkflow({
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 0,
      steps: 30,
      cfg: 7,
      sampler_name: 'dpmpp_2m',
      scheduler: 'karras',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
    _meta: { title: 'KSampler' },
  },
  '4': {
    class_type: 'CheckpointLoaderSimple',
    inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' },
    _meta: { title: 'Load Checkpoint' },
  },
  '5': {
    class_type: 'EmptyLatentImage',
    inputs: { width: 1024, height: 1024, batch_size: 1 },
    _meta: { title: 'Empty Latent Image' },
  },
  '6': {
    class_type: 'CLIPTextEncode',
    inputs: { text: '', clip: ['4', 1] },
    _meta: { title: 'Prompt' },
  },
  '7': {
    class_type: 'CLIPTextEncode',
    inputs: { text: '', clip: ['4', 1] },
    _meta: { title: 'Negative prompt' },
  },
  '8': {
    class_type: 'VAEDecode',
    inputs: { samples: ['3', 0], vae: ['4', 2] },
    _meta: { title: 'VAE Decode' },
  },
  '9': {
    class_type: 'SaveImage',
    inputs: { filename_prefix: 'layerloom', images: ['8', 0] },
    _meta: { title: 'Save Image' },
  },
});

/** Where {@link sdxlTextToImageWorkflow} takes each value. */
export const sdxlTextToImageNodes: ComfyUINodeMapping = Object.freeze({
  prompt: '6.text',
  negativePrompt: '7.text',
  seed: '3.seed',
  width: '5.width',
  height: '5.height',
  steps: '3.steps',
  cfgScale: '3.cfg',
  sampler: '3.sampler_name',
  scheduler: '3.scheduler',
  denoise: '3.denoise',
  checkpoint: '4.ckpt_name',
  output: '9',
});
