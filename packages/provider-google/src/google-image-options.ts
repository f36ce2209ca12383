import { expected, integerRangeSchema, numberRangeSchema } from '@layerloom/core';
import { z } from 'zod';

/** An image given inline, as the wire carries it: base64 `data` and its `mimeType`. */
export interface GoogleInlineImage {
  /** `image/png`, `image/jpeg`, `image/webp`, `image/heic` or `image/heif`. */
  readonly mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/heic' | 'image/heif';
  /** The file, base64-encoded. */
  readonly data: string;
}

/** One `safetySettings` entry of a Gemini request. */
export interface GeminiSafetySetting {
  /** e.g. `HARM_CATEGORY_HARASSMENT`, `HARM_CATEGORY_SEXUALLY_EXPLICIT`. */
  readonly category: string;
  /** e.g. `BLOCK_ONLY_HIGH`, `BLOCK_NONE`. */
  readonly threshold: string;
}

/**
 * Options of a Google image model: the defaults given to `.image(modelId, defaults)`, and a
 * layer's `options` (which win over the defaults). Some apply to the Gemini models only, some
 * to Imagen only; sent to the other family they are not sent and become a warning. Unknown
 * keys are refused with a `ValidationError` naming them.
 */
export interface GoogleImageOptions {
  /**
   * Gemini: extra input images sent after the prompt (and after the layer's `image`), e.g. a
   * character sheet to keep a face or a style sample. At most 3 for gemini-2.5-flash-image,
   * 14 for the Gemini 3 image models, counting the layer's `image`.
   */
  readonly referenceImages?: readonly GoogleInlineImage[];
  /**
   * Gemini: ask for the model's text too (`responseModalities: ["TEXT", "IMAGE"]`). The text
   * is returned as a warning and in `providerMetadata.text`. @default false (`["IMAGE"]`)
   */
  readonly includeText?: boolean;
  /** Gemini: sampling temperature, 0–2 (`generationConfig.temperature`). */
  readonly temperature?: number;
  /** Gemini: the request's `safetySettings`, sent as given. */
  readonly safetySettings?: readonly GeminiSafetySetting[];
  /** Imagen: whether people may be painted (`parameters.personGeneration`). */
  readonly personGeneration?: 'DONT_ALLOW' | 'ALLOW_ADULT' | 'ALLOW_ALL';
  /** Imagen: how closely the image follows the prompt (`parameters.guidanceScale`). */
  readonly guidanceScale?: number;
  /** Imagen: the safety filter level (`parameters.safetySetting`). */
  readonly safetyFilterLevel?:
    | 'BLOCK_LOW_AND_ABOVE'
    | 'BLOCK_MEDIUM_AND_ABOVE'
    | 'BLOCK_ONLY_HIGH'
    | 'BLOCK_NONE';
  /** Imagen: output format (`parameters.outputOptions.mimeType`). @default the API's PNG */
  readonly outputMimeType?: 'image/png' | 'image/jpeg';
  /** Imagen: JPEG quality 0–100 (`parameters.outputOptions.compressionQuality`). */
  readonly outputCompressionQuality?: number;
  /** Imagen: return safety scores (`parameters.includeSafetyAttributes`) in `providerMetadata`. */
  readonly includeSafetyAttributes?: boolean;
  /**
   * What to do with a negative prompt. Neither family has a field for it on the Gemini API
   * (Imagen's `negativePrompt` is refused there): `warn` leaves it out with a warning;
   * `append` adds "Avoid: <negative prompt>." to the prompt, with a note in the warnings.
   * @default 'warn'
   */
  readonly negativePrompt?: 'warn' | 'append';
}

/** Which family each option belongs to. */
export const googleImageOptionFamilies = {
  referenceImages: 'gemini',
  includeText: 'gemini',
  temperature: 'gemini',
  safetySettings: 'gemini',
  personGeneration: 'imagen',
  guidanceScale: 'imagen',
  safetyFilterLevel: 'imagen',
  outputMimeType: 'imagen',
  outputCompressionQuality: 'imagen',
  includeSafetyAttributes: 'imagen',
  negativePrompt: 'both',
} as const satisfies Record<keyof GoogleImageOptions, 'gemini' | 'imagen' | 'both'>;

const nonEmptyString = z
  .string(expected('a non-empty string'))
  .min(1, expected('a non-empty string'));

const inlineImageSchema = z.strictObject({
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']),
  data: z
    .string(expected('base64 image data'))
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, expected('base64 image data'))
    .refine((value) => value.length % 4 === 0, expected('base64 image data')),
});

/** Schema of {@link GoogleImageOptions}: unknown keys are refused, naming them. */
export const googleImageOptionsSchema = z.strictObject({
  referenceImages: z.array(inlineImageSchema).max(14).optional(),
  includeText: z.boolean().optional(),
  temperature: numberRangeSchema(0, 2).optional(),
  safetySettings: z
    .array(z.strictObject({ category: nonEmptyString, threshold: nonEmptyString }))
    .optional(),
  personGeneration: z.enum(['DONT_ALLOW', 'ALLOW_ADULT', 'ALLOW_ALL']).optional(),
  guidanceScale: numberRangeSchema(0, 100).optional(),
  safetyFilterLevel: z
    .enum(['BLOCK_LOW_AND_ABOVE', 'BLOCK_MEDIUM_AND_ABOVE', 'BLOCK_ONLY_HIGH', 'BLOCK_NONE'])
    .optional(),
  outputMimeType: z.enum(['image/png', 'image/jpeg']).optional(),
  outputCompressionQuality: integerRangeSchema(0, 100).optional(),
  includeSafetyAttributes: z.boolean().optional(),
  negativePrompt: z.enum(['warn', 'append']).optional(),
});
