import { expected, integerRangeSchema, numberRangeSchema } from '@layerloom/core';
import { z } from 'zod';

/** A JSON value, as the option `input` carries it. */
export type FalJsonValue =
  | string
  | number
  | boolean
  | null
  | readonly FalJsonValue[]
  | { readonly [key: string]: FalJsonValue };

/** fal's size presets (`image_size` as a name instead of `{ width, height }`). */
export type FalImageSizePreset =
  | 'square_hd'
  | 'square'
  | 'portrait_4_3'
  | 'portrait_16_9'
  | 'landscape_4_3'
  | 'landscape_16_9';

/** One LoRA for the FLUX LoRA endpoints. */
export interface FalLora {
  /** URL of the `.safetensors` weights, or a Hugging Face repo id. */
  readonly path: string;
  /** How strongly it applies. @default 1 */
  readonly scale?: number;
}

/**
 * Options of a fal model: the defaults given to `.image(modelId, defaults)`, and a layer's
 * `options` (which win over the defaults). Unknown keys are refused (`ValidationError` naming
 * them). An option the model's endpoint does not take is not sent and becomes a warning.
 */
export interface FalImageOptions {
  /**
   * `queue` submits to `queue.fal.run` and polls (queue position and logs become progress,
   * abort cancels the request); `sync` calls `fal.run` and waits on one connection (abort
   * closes it, which fal treats as a cancel). @default 'queue'
   */
  readonly mode?: 'queue' | 'sync';
  /**
   * A size preset sent as `image_size` instead of the request's `{ width, height }` (the
   * image then has the preset's size, not the layer's).
   */
  readonly imageSize?: FalImageSizePreset;
  /** `num_inference_steps` (1–50). @default the model's (28 for FLUX [dev]) */
  readonly numInferenceSteps?: number;
  /** `guidance_scale` (0–20). @default the model's (3.5 for FLUX) */
  readonly guidanceScale?: number;
  /** `loras` (FLUX LoRA endpoints): weights merged into the model. */
  readonly loras?: readonly FalLora[];
  /** `output_format` of FLUX endpoints. @default 'png' (lossless, for compositing) */
  readonly outputFormat?: 'png' | 'jpeg';
  /** `enable_safety_checker`. @default the model's (on) */
  readonly enableSafetyChecker?: boolean;
  /** `acceleration` of FLUX endpoints. @default the model's ('none') */
  readonly acceleration?: 'none' | 'regular' | 'high';
  /**
   * `sync_mode`: fal answers with the image inline as a data URI instead of a URL (and keeps
   * no copy in the request history). @default the model's (off)
   */
  readonly syncMode?: boolean;
  /** Recraft's `style`, e.g. `digital_illustration` (vector styles cost twice as much). */
  readonly style?: string;
  /** Recraft's `style_id` (a custom style). */
  readonly styleId?: string;
  /** Recraft's `colors`: preferred colours as `{ r, g, b }` (0–255). */
  readonly colors?: readonly { readonly r: number; readonly g: number; readonly b: number }[];
  /**
   * What an answer flagged by fal's safety checker (`has_nsfw_concepts: [true]`, the image
   * blacked out) does: `error` fails the call with a non-retryable `provider_content_policy`;
   * `warn` returns the image with a warning. @default 'error'
   */
  readonly nsfw?: 'error' | 'warn';
  /**
   * Extra input fields sent as they are (JSON), for any model: they are merged over the
   * fields the adapter maps, so they win. Use it for a model the adapter does not know, or a
   * field it does not map.
   */
  readonly input?: Readonly<Record<string, FalJsonValue>>;
}

const nonEmpty = (phrase: string) => z.string(expected(phrase)).min(1, expected(phrase));

const channel = integerRangeSchema(0, 255);

/** The fields of {@link FalImageOptions}, each validated. */
export const falImageOptionFields = {
  mode: z.enum(['queue', 'sync']).optional(),
  imageSize: z
    .enum([
      'square_hd',
      'square',
      'portrait_4_3',
      'portrait_16_9',
      'landscape_4_3',
      'landscape_16_9',
    ])
    .optional(),
  numInferenceSteps: integerRangeSchema(1, 50).optional(),
  guidanceScale: numberRangeSchema(0, 20).optional(),
  loras: z
    .array(
      z.strictObject({
        path: nonEmpty('a LoRA URL or Hugging Face repo id'),
        scale: numberRangeSchema(-4, 4).optional(),
      }),
      expected('an array of { path, scale? }'),
    )
    .optional(),
  outputFormat: z.enum(['png', 'jpeg']).optional(),
  enableSafetyChecker: z.boolean(expected('a boolean')).optional(),
  acceleration: z.enum(['none', 'regular', 'high']).optional(),
  syncMode: z.boolean(expected('a boolean')).optional(),
  style: nonEmpty('a Recraft style such as "digital_illustration"').optional(),
  styleId: nonEmpty('a Recraft style id').optional(),
  colors: z
    .array(
      z.strictObject({ r: channel, g: channel, b: channel }),
      expected('an array of { r, g, b }'),
    )
    .optional(),
  nsfw: z.enum(['error', 'warn']).optional(),
  input: z.record(z.string(), z.json(), expected('an object of JSON values')).optional(),
};

/** Schema of {@link FalImageOptions}, for defaults and a request's `options`: unknown keys are refused. */
export const falImageOptionsSchema = z.strictObject(falImageOptionFields);
