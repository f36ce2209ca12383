import { expected, integerRangeSchema, numberRangeSchema } from '@layerloom/core';
import { z } from 'zod';

/**
 * Input names of a model the adapter does not know: which of the model's inputs receives each
 * request field. A field without a name is not sent (a warning says so), and the provider's
 * capabilities follow: `seed`, `imageInput` and `mask` are true only when mapped.
 */
export interface ReplicateInputNames {
  /** @default 'prompt' */
  readonly prompt?: string;
  readonly negativePrompt?: string;
  readonly width?: string;
  readonly height?: string;
  readonly seed?: string;
  readonly image?: string;
  readonly mask?: string;
  /** The input that takes `strength` (e.g. `prompt_strength`, `strength`). */
  readonly strength?: string;
}

/**
 * Options of a Replicate model: the defaults given to `.image(modelId, defaults)`, and a layer's
 * `options` (which win; `input` is merged key by key). Unknown keys are refused with a
 * `ValidationError` naming them. An option the model has no input for is not sent and becomes
 * a warning in the result.
 */
export interface ReplicateImageOptions {
  /**
   * `aspect_ratio` for models that take one from a list (FLUX schnell and dev, Ideogram),
   * instead of the ratio nearest the request's size. @default the nearest ratio
   */
  readonly aspectRatio?: string;
  /** Denoising steps (`num_inference_steps`): FLUX schnell 1–4, FLUX dev 1–50, SDXL 1–500. */
  readonly numInferenceSteps?: number;
  /** Prompt guidance: FLUX dev `guidance` 0–10, SDXL `guidance_scale` 1–50. */
  readonly guidance?: number;
  /**
   * `prompt_strength` of image-to-image (FLUX dev, SDXL), 0–1. Overrides the request's
   * `strength`, which maps to it one to one. @default the request's `strength`
   */
  readonly promptStrength?: number;
  /** `output_format` (FLUX models: `webp`, `jpg`, `png`). @default the model's (`webp`) */
  readonly outputFormat?: 'webp' | 'jpg' | 'png';
  /**
   * Inputs sent as they are, over the ones the adapter maps (for inputs it does not map, such as
   * `style_type`, `go_fast`, `safety_tolerance`, or every input of a model it does not know).
   * JSON values only. @default {}
   */
  readonly input?: Readonly<Record<string, unknown>>;
  /** For models the adapter does not know only: see {@link ReplicateInputNames}. */
  readonly inputNames?: ReplicateInputNames;
}

const inputName = z
  .string(expected('an input name'))
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, expected('an input name such as "prompt_strength"'))
  .optional();

/** Schema of {@link ReplicateImageOptions}: unknown keys are refused. */
export const replicateImageOptionsSchema = z.strictObject({
  aspectRatio: z
    .string(expected('an aspect ratio such as "16:9"'))
    .regex(/^\d+:\d+$/, expected('an aspect ratio such as "16:9"'))
    .optional(),
  numInferenceSteps: integerRangeSchema(1, 500).optional(),
  guidance: numberRangeSchema(0, 50).optional(),
  promptStrength: numberRangeSchema(0, 1).optional(),
  outputFormat: z.enum(['webp', 'jpg', 'png']).optional(),
  input: z.record(z.string(), z.unknown(), expected('an object of model inputs')).optional(),
  inputNames: z
    .strictObject({
      prompt: inputName,
      negativePrompt: inputName,
      width: inputName,
      height: inputName,
      seed: inputName,
      image: inputName,
      mask: inputName,
      strength: inputName,
    })
    .optional(),
});

/**
 * The options of one request: the defaults, then the request's own options over them, with
 * `input` and `inputNames` merged key by key.
 *
 * @param defaults - validated defaults.
 * @param own - validated request options.
 */
export function mergeReplicateOptions(
  defaults: ReplicateImageOptions,
  own: ReplicateImageOptions,
): ReplicateImageOptions {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(own)) {
    if (value !== undefined) merged[key] = value;
  }
  if (defaults.input !== undefined || own.input !== undefined) {
    merged.input = { ...defaults.input, ...own.input };
  }
  if (defaults.inputNames !== undefined || own.inputNames !== undefined) {
    merged.inputNames = { ...defaults.inputNames, ...own.inputNames };
  }
  return merged as ReplicateImageOptions;
}
