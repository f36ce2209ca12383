import { inspectImage } from '@layerloom/core';

/** Media types the Stable Diffusion servers return (and the compositor decodes). */
export const serverImageMediaTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** One of {@link serverImageMediaTypes}. */
export type ServerImageMediaType = (typeof serverImageMediaTypes)[number];

/**
 * The media type of an encoded image, read from its magic bytes by core's `inspectImage`,
 * limited to the formats the servers return.
 *
 * @param bytes - the file's bytes.
 * @returns `image/png`, `image/jpeg` or `image/webp`, or `undefined` for anything else.
 */
export function detectImageMediaType(bytes: Uint8Array): ServerImageMediaType | undefined {
  return inspectImage(bytes, serverImageMediaTypes)?.mediaType;
}
