import { expected } from '@layerloom/core';
import { z } from 'zod';
import { samplingDefaultsShape } from '../shared/sampling-defaults-shape.js';

/** Raw node input values by node id, e.g. `{ '3': { cfg: 5.5 } }`. */
export type ComfyUIInputOverrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * Settings applied to every call of one ComfyUI provider (`.image(checkpoint, defaults)`). Each
 * goes to the input the node mapping names for it; a value the workflow has no input for is
 * reported as a warning in the result.
 */
export interface ComfyUIImageDefaults {
  /** Negative prompt used when a request has none. @default the workflow's own */
  readonly negativePrompt?: string;
  /** Sampling steps (`nodes.steps`). @default the workflow's own */
  readonly steps?: number;
  /** CFG scale (`nodes.cfgScale`). @default the workflow's own */
  readonly cfgScale?: number;
  /** Sampler name (`nodes.sampler`), e.g. `euler`, `dpmpp_2m`. @default the workflow's own */
  readonly sampler?: string;
  /** Scheduler (`nodes.scheduler`), e.g. `karras`. @default the workflow's own */
  readonly scheduler?: string;
  /** Denoise for image-to-image when the request has no `strength`. @default the workflow's own */
  readonly strength?: number;
  /**
   * Raw input values by node id, set last (over the mapped values), e.g.
   * `{ '3': { cfg: 5.5 } }`. A request's `options.inputs` are applied after these.
   * @default {}
   */
  readonly inputs?: ComfyUIInputOverrides;
  /** Smallest side the workflow accepts. @default 64 */
  readonly minSize?: number;
  /** Largest side the workflow accepts. @default 4096 */
  readonly maxSize?: number;
}

/** Validates {@link ComfyUIInputOverrides}. */
export const comfyUIInputOverridesSchema = z.record(
  z.string(),
  z.record(z.string(), z.unknown(), expected('an object of input values')),
  expected('an object of node ids to `{ input: value }` objects'),
);

/** Validates {@link ComfyUIImageDefaults}. */
export const comfyUIImageDefaultsSchema = z.strictObject(
  {
    ...samplingDefaultsShape(10_000),
    inputs: comfyUIInputOverridesSchema.optional(),
  },
  expected('an object of ComfyUI defaults'),
);
