import { ProviderError } from '@layerloom/core';
import {
  base64DecodedLength,
  decodeBase64,
  downloadImage,
  type ImageDownloadOptions,
  isBase64,
} from '@layerloom/core/http';
import { replicateErrorCodes } from './describe-replicate-error.js';

/** Hosts Replicate serves output files from. */
export const defaultAllowedImageHosts: readonly string[] = [
  'replicate.delivery',
  '*.replicate.delivery',
];

/** Settings of {@link readPredictionOutput}. */
export interface ReadOutputOptions {
  /** The guarded download's settings (the allowlist defaults to Replicate's file hosts). */
  readonly imageDownload: ImageDownloadOptions;
  /** Largest image, in bytes. */
  readonly maxImageBytes: number;
  /** Aborts the download. */
  readonly signal: AbortSignal;
  /** The prediction id, for errors. */
  readonly predictionId: string;
}

/** The output files of a prediction, and the one the adapter returns. */
export interface PredictionOutput {
  /** The first output file's bytes (not yet checked to be an image). */
  readonly bytes: Uint8Array;
  /** Output files the prediction returned (the adapter returns the first). */
  readonly files: number;
}

const bad = (message: string, requestId: string) =>
  new ProviderError(message, {
    provider: 'replicate',
    code: replicateErrorCodes.badResponse,
    retryable: false,
    requestId,
  });

/**
 * The files of a prediction's `output`: a URL, a list of URLs (file outputs), or `data:` URIs.
 *
 * @param output - the prediction's `output`.
 * @returns the file locations, in order.
 */
export function outputFiles(output: unknown): string[] {
  const items = Array.isArray(output) ? output : [output];
  return items.filter(
    (item): item is string =>
      typeof item === 'string' && (/^https?:\/\//i.test(item) || /^data:/i.test(item)),
  );
}

function decodeDataUri(uri: string, options: ReadOutputOptions): Uint8Array {
  const comma = uri.indexOf(',');
  const header = uri.slice(0, Math.max(0, comma));
  const data = uri.slice(comma + 1);
  if (comma < 0 || !/;base64$/i.test(header) || !isBase64(data)) {
    throw bad(
      'Replicate returned a data URI output that is not valid base64',
      options.predictionId,
    );
  }
  if (base64DecodedLength(data) > options.maxImageBytes) {
    throw new ProviderError(
      `Replicate returned an image of more than ${options.maxImageBytes} bytes (setting \`maxImageBytes\`)`,
      {
        provider: 'replicate',
        code: 'provider_response_too_large',
        retryable: false,
        requestId: options.predictionId,
      },
    );
  }
  return decodeBase64(data);
}

/**
 * Reads a succeeded prediction's first output file: decodes a `data:` URI (size-checked first)
 * or downloads a URL through core's guarded downloader (https only, Replicate's file hosts
 * unless `imageDownload.allowedHosts` says otherwise, no private address, redirects re-checked,
 * byte cap). The API token is never sent with a download.
 *
 * @param output - the prediction's `output`.
 * @param options - download settings, limits, signal and prediction id.
 * @throws ProviderError `provider_bad_response` when the output names no file,
 *   `provider_download_refused` for a refused URL, core's HTTP errors for a failed download.
 */
export async function readPredictionOutput(
  output: unknown,
  options: ReadOutputOptions,
): Promise<PredictionOutput> {
  const files = outputFiles(output);
  const first = files[0];
  if (first === undefined) {
    throw bad(
      'Replicate returned a succeeded prediction without an output file (expected a URL or a list of URLs)',
      options.predictionId,
    );
  }
  if (/^data:/i.test(first)) return { bytes: decodeDataUri(first, options), files: files.length };
  const bytes = await downloadImage(
    first,
    {
      ...options.imageDownload,
      allowedHosts: options.imageDownload.allowedHosts ?? defaultAllowedImageHosts,
      maxBytes: options.maxImageBytes,
    },
    options.signal,
    { provider: 'replicate', requestId: options.predictionId },
  );
  return { bytes, files: files.length };
}
