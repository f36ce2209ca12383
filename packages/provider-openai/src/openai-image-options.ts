import { expected, integerRangeSchema } from '@layerloom/core';
import { z } from 'zod';

/**
 * Options of an OpenAI image model: the defaults given to `.image(modelId, defaults)`, and a
 * layer's `options` (which win over the defaults). An option the model does not accept is not
 * sent and becomes a warning in the result.
 */
export interface OpenAIImageOptions {
  /**
   * Rendering quality. GPT image models take `low`, `medium`, `high` or `auto`; dall-e-3 takes
   * `standard` or `hd`; dall-e-2 only `standard`. The other family's names are translated
   * (`hd` ↔ `high`, `standard` ↔ `medium`, `low`/`medium` → `standard`) with a warning.
   * @default the API's default: `auto` for GPT image models, `standard` for DALL·E
   */
  readonly quality?: 'low' | 'medium' | 'high' | 'auto' | 'standard' | 'hd';
  /**
   * Background of GPT image models. A request for a cut-out (`transparent: true`) always sends
   * `transparent`. @default the API's default (`auto`)
   */
  readonly background?: 'transparent' | 'opaque' | 'auto';
  /** File format of GPT image models' output. @default 'png' (`png` or `webp` for cut-outs) */
  readonly outputFormat?: 'png' | 'jpeg' | 'webp';
  /** Compression of `jpeg` and `webp` output, 0–100 (GPT image models). @default 100 */
  readonly outputCompression?: number;
  /** Content moderation of GPT image generations (not edits). @default 'auto' */
  readonly moderation?: 'low' | 'auto';
  /** dall-e-3's style. @default 'vivid' */
  readonly style?: 'vivid' | 'natural';
  /**
   * How DALL·E returns the image: inline (`b64_json`) or as a URL that the adapter downloads
   * through its guarded fetch. GPT image models always answer inline.
   * @default 'b64_json'
   */
  readonly responseFormat?: 'b64_json' | 'url';
  /**
   * How closely an edit keeps the input images, faces above all (gpt-image-1, gpt-image-1.5,
   * gpt-image-2; not gpt-image-1-mini). Overrides the value derived from the request's
   * `strength`; applies to reference images too.
   * @default derived from `strength`: below 0.5 → `high`, otherwise the API's `low`
   */
  readonly inputFidelity?: 'high' | 'low';
  /**
   * Partial images to stream (0–3, GPT image models). Above 0 the request is streamed and
   * every partial image is reported through `onProgress` as a preview. Each partial image is
   * billed as extra output tokens. @default 0
   */
  readonly partialImages?: number;
  /**
   * `auto` lets a GPT image model choose the size (sent as `size: "auto"`); the image then need
   * not have the request's aspect ratio, and the compositor fits it into the layer's box. DALL·E
   * has no `auto`: the snapped size is sent, with a warning.
   * @default the request's size, snapped to the model's sizes
   */
  readonly size?: 'auto';
  /** End-user id sent as `user`, for OpenAI's abuse monitoring. */
  readonly user?: string;
  /**
   * What to do with a negative prompt, which OpenAI has no field for: `warn` leaves it out
   * with a warning; `append` adds "Avoid: <negative prompt>." to the prompt (with a note in
   * the warnings). @default 'warn'
   */
  readonly negativePrompt?: 'warn' | 'append';
}

const nonEmptyString = z
  .string(expected('a non-empty string'))
  .min(1, expected('a non-empty string'));

/** The fields of {@link OpenAIImageOptions}, each validated. */
export const openAIImageOptionFields = {
  quality: z.enum(['low', 'medium', 'high', 'auto', 'standard', 'hd']).optional(),
  background: z.enum(['transparent', 'opaque', 'auto']).optional(),
  outputFormat: z.enum(['png', 'jpeg', 'webp']).optional(),
  outputCompression: integerRangeSchema(0, 100).optional(),
  moderation: z.enum(['low', 'auto']).optional(),
  style: z.enum(['vivid', 'natural']).optional(),
  responseFormat: z.enum(['b64_json', 'url']).optional(),
  inputFidelity: z.enum(['high', 'low']).optional(),
  partialImages: integerRangeSchema(0, 3).optional(),
  size: z.literal('auto', expected('"auto"')).optional(),
  user: nonEmptyString.optional(),
  negativePrompt: z.enum(['warn', 'append']).optional(),
};

/** Schema of {@link OpenAIImageOptions} given to `.image()`: unknown keys are refused. */
export const openAIImageOptionsSchema = z.strictObject(openAIImageOptionFields);

/**
 * Schema of a request's `options`: the same fields, but unknown keys pass (they are reported as
 * warnings: a layer's options may be meant for another provider).
 */
export const openAIRequestOptionsSchema = z.looseObject(openAIImageOptionFields);
