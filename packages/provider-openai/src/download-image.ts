import {
  type ImageDownloadLimits as GuardedLimits,
  downloadImage as guardedDownload,
  type ImageDownloadOptions,
} from '@layerloom/core/http';
import { defaultAllowedImageHosts } from './image-download-options.js';
import type { ResponseContext } from './provider-failure.js';

/** Limits of one download: the options plus the byte cap. */
export interface ImageDownloadLimits extends ImageDownloadOptions {
  /** Largest body read, in bytes. */
  readonly maxBytes: number;
}

/**
 * Downloads an image URL from an OpenAI response with core's guarded downloader, allowing
 * OpenAI's image storage unless `imageDownload.allowedHosts` says otherwise. Never sends the
 * API key.
 *
 * @param location - the URL from the response.
 * @param limits - allowlist, lookup, redirects, timeout and byte cap.
 * @param signal - aborts the download.
 * @param context - the API call's request id, for errors.
 * @returns the downloaded bytes (not yet checked to be an image).
 * @throws ProviderError `provider_download_refused` for a refused URL, core's HTTP errors for a
 *   failed download, AbortError.
 */
export function downloadImage(
  location: string,
  limits: ImageDownloadLimits,
  signal: AbortSignal,
  context: ResponseContext,
): Promise<Uint8Array> {
  const allowed: GuardedLimits = {
    ...limits,
    allowedHosts: limits.allowedHosts ?? defaultAllowedImageHosts,
  };
  return guardedDownload(location, allowed, signal, {
    provider: 'openai',
    requestId: context.requestId,
  });
}
