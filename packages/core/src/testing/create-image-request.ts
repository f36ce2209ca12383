import type { ImageRequest } from '../types/provider.js';

/**
 * An {@link ImageRequest} for an adapter test: `a test image` at 1024×1024 with a fresh signal
 * that is never aborted, and the given fields over that.
 *
 * @param fields - fields to set or replace, e.g. `{ prompt, width, height, seed }`.
 * @returns the request.
 *
 * @example
 * const request = (fields: Partial<ImageRequest> = {}) =>
 *   createImageRequest({ prompt: 'a corgi', width: 512, height: 512, ...fields });
 * await provider.generate(request({ seed: 5 }));
 */
export function createImageRequest(fields: Partial<ImageRequest> = {}): ImageRequest {
  return {
    prompt: 'a test image',
    width: 1024,
    height: 1024,
    signal: new AbortController().signal,
    ...fields,
  };
}
