import type { ResolvedBinding } from '@layerloom/core';
import type { ComfyUIInputOverrides } from './comfyui-image-defaults.js';
import type { ComfyUIValueName } from './comfyui-node-mapping.js';
import type { ComfyUIInputValue } from './comfyui-workflow.js';

/** What a world-pack binding adds to one ComfyUI call. */
export interface ComfyUIBindingValues {
  /** Values placed where the node mapping says (checkpoint, steps, CFG, sampler, scheduler). */
  readonly values: Readonly<Partial<Record<ComfyUIValueName, ComfyUIInputValue>>>;
  /** The binding's node overrides, applied after the adapter's defaults and before the request's. */
  readonly inputs: ComfyUIInputOverrides | undefined;
  /** What the binding asked for and ComfyUI could not be given. */
  readonly warnings: readonly string[];
}

/**
 * Reads a world-pack binding (`ImageRequest.binding`) for a ComfyUI call: its checkpoint,
 * steps, CFG scale, sampler and scheduler go into the template like the adapter's defaults
 * (over them), its `nodeOverrides` are raw node inputs (over the adapter's `inputs`, under the
 * request's `options.inputs`).
 *
 * @param binding - the request's binding, if any.
 */
export function applyComfyUIBinding(binding: ResolvedBinding | undefined): ComfyUIBindingValues {
  if (binding === undefined) return { values: {}, inputs: undefined, warnings: [] };
  const values: Partial<Record<ComfyUIValueName, ComfyUIInputValue>> = {};
  if (binding.checkpoint !== undefined) values.checkpoint = binding.checkpoint;
  if (binding.steps !== undefined) values.steps = binding.steps;
  if (binding.cfgScale !== undefined) values.cfgScale = binding.cfgScale;
  if (binding.sampler !== undefined) values.sampler = binding.sampler;
  if (binding.scheduler !== undefined) values.scheduler = binding.scheduler;
  const warnings: string[] = [];
  if (binding.loras !== undefined && binding.loras.length > 0) {
    warnings.push(
      "ComfyUI takes LoRAs through LoraLoader nodes; the binding's `loras` were not sent (give them as `nodeOverrides` of the workflow's LoraLoader).",
    );
  }
  if (binding.workflow !== undefined) {
    warnings.push(
      "This adapter keeps its own workflow template; the binding's `workflow` was not used.",
    );
  }
  return { values, inputs: binding.nodeOverrides, warnings };
}
