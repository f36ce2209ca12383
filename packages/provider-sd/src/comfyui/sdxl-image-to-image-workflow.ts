import type { ComfyUINodeMapping } from './comfyui-node-mapping.js';
import { type ComfyUIWorkflow, freezeWorkflow } from './comfyui-workflow.js';

/**
 * The default image-to-image workflow: the input image (uploaded per call into `LoadImage`) is
 * scaled to the requested size with `ImageScale` (lanczos), encoded with the SDXL base VAE and
 * repainted with denoise 0.75 unless the request sets `strength`; otherwise the same settings
 * as {@link sdxlTextToImageWorkflow}. A JSON-able object in ComfyUI's API format.
 */
export const sdxlImageToImageWorkflow: ComfyUIWorkflow = freezeWorkflow({
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 0,
      steps: 30,
      cfg: 7,
      sampler_name: 'dpmpp_2m',
      scheduler: 'karras',
      denoise: 0.75,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['11', 0],
    },
    _meta: { title: 'KSampler' },
  },
  '4': {
    class_type: 'CheckpointLoaderSimple',
    inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' },
    _meta: { title: 'Load Checkpoint' },
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
  '10': {
    class_type: 'LoadImage',
    inputs: { image: 'example.png' },
    _meta: { title: 'Input image' },
  },
  '11': {
    class_type: 'VAEEncode',
    inputs: { pixels: ['12', 0], vae: ['4', 2] },
    _meta: { title: 'VAE Encode' },
  },
  '12': {
    class_type: 'ImageScale',
    inputs: {
      image: ['10', 0],
      upscale_method: 'lanczos',
      width: 1024,
      height: 1024,
      crop: 'disabled',
    },
    _meta: { title: 'Scale to the requested size' },
  },
});

/** Where {@link sdxlImageToImageWorkflow} takes each value. */
export const sdxlImageToImageNodes: ComfyUINodeMapping = Object.freeze({
  prompt: '6.text',
  negativePrompt: '7.text',
  seed: '3.seed',
  width: '12.width',
  height: '12.height',
  steps: '3.steps',
  cfgScale: '3.cfg',
  sampler: '3.sampler_name',
  scheduler: '3.scheduler',
  denoise: '3.denoise',
  image: '10.image',
  checkpoint: '4.ckpt_name',
  output: '9',
});
