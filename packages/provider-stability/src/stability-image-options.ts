import { expected, integerRangeSchema, numberRangeSchema } from '@layerloom/core';
import { z } from 'zod';
import {
  type StabilityControl,
  type StabilityEditOperation,
  stabilityControls,
  stabilityEditOperations,
} from './stability-endpoints.js';

/** Style presets of the Stable Image API (`style_preset`). */
export const stabilityStylePresets = [
  'enhance',
  'anime',
  'photographic',
  'digital-art',
  'comic-book',
  'fantasy-art',
  'line-art',
  'analog-film',
  'neon-punk',
  'isometric',
  'low-poly',
  'origami',
  'modeling-compound',
  'cinematic',
  '3d-model',
  'pixel-art',
  'tile-texture',
] as const;

/** One of the style presets the Stability API lists. */
export type StabilityStylePreset = (typeof stabilityStylePresets)[number];

/** Pixels to add on each side of the input image (`edit/outpaint`), 0–2000 each. */
export interface StabilityOutpaint {
  readonly left?: number;
  readonly right?: number;
  readonly up?: number;
  readonly down?: number;
}

/**
 * Options of a Stability model: the defaults given to `.image(modelId, defaults)`, and a
 * layer's `options` (which win over the defaults). Unknown keys are refused with a
 * `ValidationError` naming them; an option the endpoint called does not take is not sent and
 * becomes a warning in the result.
 */
export interface StabilityImageOptions {
  /**
   * The edit to run on the request's input `image` (a layer with `from`): `inpaint`,
   * `search-and-replace` (needs `searchPrompt`), `erase`, `remove-background` or `outpaint`
   * (needs `outpaint`). Without it, an input image with a `mask` is inpainted, and one without
   * is painted over (image-to-image). @default none
   */
  readonly operation?: StabilityEditOperation;
  /**
   * A control service guided by the input `image`: `sketch`, `structure` or `style`.
   * Exclusive with `operation`. @default none
   */
  readonly control?: StabilityControl;
  /** Output file format (`output_format`). remove-background takes png or webp. @default 'png' */
  readonly outputFormat?: 'png' | 'jpeg' | 'webp';
  /** Style preset (`style_preset`). @default none */
  readonly stylePreset?: StabilityStylePreset;
  /** Prompt adherence of the SD3 models (`cfg_scale`), 1–10. @default the API's (4; 1 for turbo and flash) */
  readonly cfgScale?: number;
  /** What search-and-replace looks for (`search_prompt`), e.g. `dog`. */
  readonly searchPrompt?: string;
  /** Grow the mask's edges by this many pixels (`grow_mask`): 0–100 inpaint, 0–20 erase and search-and-replace. */
  readonly growMask?: number;
  /** Pixels to add on each side with `operation: 'outpaint'` (`left`, `right`, `up`, `down`). */
  readonly outpaint?: StabilityOutpaint;
  /** How much new detail outpaint invents (`creativity`), 0–1. @default the API's (0.5) */
  readonly creativity?: number;
  /**
   * How strongly the input image guides `control: 'sketch' | 'structure'`
   * (`control_strength`), 0–1. Overrides the value derived from `strength`.
   * @default 1 − strength, else the API's (0.7)
   */
  readonly controlStrength?: number;
  /**
   * How closely `control: 'style'` keeps the input image's style (`fidelity`), 0–1. Overrides
   * the value derived from `strength`. @default 1 − strength, else the API's (0.5)
   */
  readonly fidelity?: number;
  /**
   * How the image comes back: `bytes` (`Accept: image/*`, the raw file, `finish-reason` and
   * `seed` as headers) or `base64` (`Accept: application/json`). @default 'bytes'
   */
  readonly responseFormat?: 'bytes' | 'base64';
  /**
   * What a `CONTENT_FILTERED` answer (a 200 whose image the service blurred by moderation) does:
   * `error` fails the call with `ProviderError` `provider_content_filtered` (not retryable);
   * `warn` returns the blurred image with a warning. @default 'error'
   */
  readonly contentFiltered?: 'error' | 'warn';
  /** End-user id sent as `stability-client-user-id`, for Stability's moderation follow-ups. */
  readonly user?: string;
}

const unit = numberRangeSchema(0, 1).optional();
const outpaintSide = integerRangeSchema(0, 2000).optional();

/** The fields of {@link StabilityImageOptions}, each validated. */
export const stabilityImageOptionFields = {
  operation: z
    .enum(stabilityEditOperations, expected(`one of ${stabilityEditOperations.join(', ')}`))
    .optional(),
  control: z.enum(stabilityControls, expected(`one of ${stabilityControls.join(', ')}`)).optional(),
  outputFormat: z.enum(['png', 'jpeg', 'webp'], expected('png, jpeg or webp')).optional(),
  stylePreset: z.enum(stabilityStylePresets, expected('a Stability style preset')).optional(),
  cfgScale: numberRangeSchema(1, 10).optional(),
  searchPrompt: z
    .string(expected('a non-empty string'))
    .min(1, expected('a non-empty string'))
    .max(10_000, expected('at most 10000 characters'))
    .optional(),
  growMask: integerRangeSchema(0, 100).optional(),
  outpaint: z
    .strictObject({ left: outpaintSide, right: outpaintSide, up: outpaintSide, down: outpaintSide })
    .optional(),
  creativity: unit,
  controlStrength: unit,
  fidelity: unit,
  responseFormat: z.enum(['bytes', 'base64'], expected('bytes or base64')).optional(),
  contentFiltered: z.enum(['error', 'warn'], expected('error or warn')).optional(),
  user: z
    .string(expected('a non-empty string'))
    .min(1, expected('a non-empty string'))
    .max(256, expected('at most 256 characters'))
    .optional(),
};

/**
 * Schema of {@link StabilityImageOptions}, for the defaults and for a request's `options`
 * alike: unknown keys are refused (a ValidationError names them).
 */
export const stabilityImageOptionsSchema = z.strictObject(stabilityImageOptionFields);
