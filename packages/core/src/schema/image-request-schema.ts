import { z } from 'zod';
import { expected } from './format-issues.js';

const encodedImage = z.object(
  {
    bytes: z.instanceof(Uint8Array, expected('a Uint8Array')),
    mediaType: z.string(expected('a media type')),
  },
  expected('an image `{ bytes, mediaType }`'),
);

/**
 * Schema of the `ImageRequest` a provider's `generate` receives, for adapters to check it
 * before anything is sent: a prompt (possibly empty: some operations take none), a size of
 * whole pixels up to 65535, the optional fields with their types, `strength` in [0, 1], the
 * input image and mask as `{ bytes, mediaType }`, and the `signal`. Unknown fields pass.
 * Extend it where an adapter is stricter, e.g. `.extend({ prompt: z.string().min(1) })`.
 *
 * @example
 * generate(request) {
 *   parseWithSchema(imageRequestSchema, request, 'request');
 * }
 */
export const imageRequestSchema = z.looseObject({
  prompt: z.string(expected('a string')),
  width: z.number().int().min(1).max(65_535),
  height: z.number().int().min(1).max(65_535),
  negativePrompt: z.string(expected('a string')).optional(),
  seed: z.number().optional(),
  transparent: z.boolean(expected('a boolean')).optional(),
  image: encodedImage.optional(),
  mask: encodedImage.optional(),
  strength: z.number().min(0).max(1).optional(),
  options: z.record(z.string(), z.unknown(), expected('an object of options')).optional(),
  signal: z.instanceof(AbortSignal, expected('an AbortSignal')),
  onProgress: z.function().optional(),
});

/** A non-empty prompt, for adapters whose service needs one. */
export const nonEmptyPromptSchema = z
  .string(expected('a non-empty string'))
  .min(1, expected('a non-empty string'));
