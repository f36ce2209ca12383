/**
 * Stable Diffusion servers: AUTOMATIC1111/Forge HTTP API and ComfyUI.
 *
 * @module \@layerloom/provider-sd
 */
export type { BasicCredentials } from '@layerloom/core/http';
export type {
  A1111ImageDefaults,
  A1111InpaintingFill,
  A1111LayerDiffuse,
  A1111ResizeMode,
} from './a1111/a1111-image-defaults.js';
export { type A1111Adapter, type A1111Settings, createA1111 } from './a1111/create-a1111.js';
export type { A1111InterruptMode } from './a1111/interrupt-a1111-task.js';
export type { ComfyUIOutputVia } from './comfyui/choose-comfyui-output-node.js';
export type {
  ComfyUIImageDefaults,
  ComfyUIInputOverrides,
} from './comfyui/comfyui-image-defaults.js';
export type {
  ComfyUIInputTarget,
  ComfyUIInputTargets,
  ComfyUINodeMapping,
} from './comfyui/comfyui-node-mapping.js';
export type {
  ComfyUIInputValue,
  ComfyUILink,
  ComfyUINode,
  ComfyUIWorkflow,
} from './comfyui/comfyui-workflow.js';
export {
  type ComfyUIAdapter,
  type ComfyUISettings,
  createComfyUI,
} from './comfyui/create-comfyui.js';
export { type InferredNodeMapping, inferNodeMapping } from './comfyui/infer-node-mapping.js';
export {
  sdxlImageToImageNodes,
  sdxlImageToImageWorkflow,
} from './comfyui/sdxl-image-to-image-workflow.js';
export {
  sdxlTextToImageNodes,
  sdxlTextToImageWorkflow,
} from './comfyui/sdxl-text-to-image-workflow.js';
