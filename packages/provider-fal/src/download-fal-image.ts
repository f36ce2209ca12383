import { downloadImage, type ImageDownloadOptions } from '@layerloom/core/http';
import { decodeDataUri } from './read-fal-output.js';
import type { FalResponseContext } from './verify-fal-image.js';

/** Hosts fal serves output files from: `fal.media` and its subdomains (`v3.fal.media`…). */
export const defaultFalImageHosts: readonly string[] = ['fal.media', '*.fal.media'];

/**
 * Fetches an output image: a `data:` URI (`sync_mode`) is decoded; a URL is downloaded with
 * core's guarded downloader (https only, fal's hosts unless `imageDownload.allowedHosts` says
 * otherwise, no private addresses, re-checked redirects, byte cap, timeout). The API key is
 * never sent with the download.
 *
 * @param location - the image's `url` from the output.
 * @param options - the `imageDownload` setting.
 * @param maxBytes - largest image accepted.
 * @param signal - aborts the download.
 * @param context - the request id, for errors.
 * @returns the bytes (not yet checked to be an image).
 * @throws ProviderError `provider_download_refused`, core's HTTP errors, AbortError.
 */
export function fetchFalImage(
  location: string,
  options: ImageDownloadOptions,
  maxBytes: number,
  signal: AbortSignal,
  context: FalResponseContext,
): Promise<Uint8Array> {
  if (location.startsWith('data:')) {
    return Promise.resolve().then(() => decodeDataUri(location, maxBytes, context));
  }
  return downloadImage(
    location,
    { ...options, allowedHosts: options.allowedHosts ?? defaultFalImageHosts, maxBytes },
    signal,
    { provider: 'fal', requestId: context.requestId },
  );
}
