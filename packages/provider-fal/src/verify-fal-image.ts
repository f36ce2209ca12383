import {
  describeLeadingBytes,
  type EncodedImage,
  type ImageInspection,
  inspectImage,
  type ProviderError,
} from '@layerloom/core';
import { responseFailure } from '@layerloom/core/http';
import { falErrorCodes } from './describe-fal-error.js';

/** Where an answer came from, for errors about it. */
export interface FalResponseContext {
  /** fal's request id, when known. */
  readonly requestId?: string | undefined;
  /** The HTTP status of the answer. */
  readonly status?: number | undefined;
}

/**
 * A `ProviderError` from the fal adapter about an answer, a refused download or the queue.
 *
 * @param message - what was wrong, without secrets.
 * @param code - the stable code, e.g. `provider_bad_response`.
 * @param context - request id and status.
 * @param retryable - whether a retry may help. @default false
 */
export function falFailure(
  message: string,
  code: string,
  context: FalResponseContext = {},
  retryable = false,
): ProviderError {
  return responseFailure('fal', message, code, { ...context, retryable });
}

/** An image checked by {@link verifyFalImage}. */
export interface VerifiedFalImage {
  /** The bytes, with the media type read from them. */
  readonly image: EncodedImage;
  /** Format, declared size, completeness. */
  readonly inspection: ImageInspection;
}

/**
 * Checks that downloaded bytes really are an image: PNG, JPEG or WebP magic bytes, a readable
 * size no larger than `maxPixels` (a decompression bomb passes any byte cap), and a complete
 * file.
 *
 * @param bytes - the downloaded file.
 * @param maxPixels - largest `width * height` accepted.
 * @param context - request id, for errors.
 * @throws ProviderError `provider_bad_response`, or `provider_response_too_large` for a header
 *   declaring too many pixels.
 */
export function verifyFalImage(
  bytes: Uint8Array,
  maxPixels: number,
  context: FalResponseContext,
): VerifiedFalImage {
  const inspection = inspectImage(bytes, ['image/png', 'image/jpeg', 'image/webp']);
  const bad = (message: string) => falFailure(message, falErrorCodes.badResponse, context);
  if (inspection === undefined) {
    throw bad(
      `fal returned an image that is not a PNG, JPEG or WebP file (${describeLeadingBytes(bytes)})`,
    );
  }
  const { width, height } = inspection;
  if (width === undefined || height === undefined || width === 0 || height === 0) {
    throw bad(`fal returned an image (${inspection.mediaType}) whose header has no readable size`);
  }
  if (width * height > maxPixels) {
    throw falFailure(
      `fal returned an image whose header declares ${width}x${height} pixels, more than the ${maxPixels} allowed (setting \`maxImagePixels\`)`,
      'provider_response_too_large',
      context,
    );
  }
  if (!inspection.complete) {
    throw bad(
      `fal returned an image that is truncated (${inspection.mediaType}, ${bytes.byteLength} bytes)`,
    );
  }
  return { image: { bytes, mediaType: inspection.mediaType }, inspection };
}
