import { type ImageInspection, inspectImage } from '@layerloom/core';

/** The image formats OpenAI returns and takes as edit input. */
export const openAIImageMediaTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** What {@link inspectOpenAIImage} learns: core's inspection, for OpenAI's formats. */
export type OpenAIImageInspection = ImageInspection<(typeof openAIImageMediaTypes)[number]>;

/**
 * Core's `inspectImage` (format, size, completeness, alpha — no pixels decoded) for the formats
 * OpenAI deals in: PNG, JPEG and WebP. Anything else, a GIF included, is not an OpenAI image.
 *
 * @param bytes - the file.
 * @returns what was learnt, or `undefined` when the bytes are not a PNG, JPEG or WebP file.
 */
export function inspectOpenAIImage(bytes: Uint8Array): OpenAIImageInspection | undefined {
  return inspectImage(bytes, openAIImageMediaTypes);
}
