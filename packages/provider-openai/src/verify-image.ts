import { describeLeadingBytes, type EncodedImage } from '@layerloom/core';
import { openAIErrorCodes } from './describe-openai-error.js';
import { inspectOpenAIImage, type OpenAIImageInspection } from './inspect-image.js';
import { providerFailure, type ResponseContext } from './provider-failure.js';

/** An image checked by {@link verifyImage}. */
export interface VerifiedImage {
  /** The bytes, with the media type read from them. */
  readonly image: EncodedImage;
  /** Format, size and completeness. */
  readonly inspection: OpenAIImageInspection;
}

/**
 * Checks that bytes returned as an image really are one: PNG, JPEG or WebP magic bytes, a
 * complete file, and a pixel size in the header no larger than `maxPixels` (a decompression
 * bomb would pass the byte cap).
 *
 * @param bytes - the returned file.
 * @param maxPixels - largest `width * height` accepted.
 * @param context - request id and status, for errors.
 * @param what - what the bytes are, for messages (`an image`, `a partial image`).
 * @throws ProviderError `provider_bad_response`, or `provider_response_too_large` for a header
 *   declaring too many pixels.
 */
export function verifyImage(
  bytes: Uint8Array,
  maxPixels: number,
  context: ResponseContext,
  what = 'an image',
): VerifiedImage {
  const inspection = inspectOpenAIImage(bytes);
  if (inspection === undefined) {
    throw providerFailure(
      `OpenAI returned ${what} that is not a PNG, JPEG or WebP file (${describeLeadingBytes(bytes)})`,
      openAIErrorCodes.badResponse,
      context,
    );
  }
  const { width, height } = inspection;
  if (width === undefined || height === undefined || width === 0 || height === 0) {
    throw providerFailure(
      `OpenAI returned ${what} (${inspection.mediaType}) whose header has no readable size`,
      openAIErrorCodes.badResponse,
      context,
    );
  }
  if (width * height > maxPixels) {
    throw providerFailure(
      `OpenAI returned ${what} whose header declares ${width}x${height} pixels, more than the ${maxPixels} allowed (setting \`maxImagePixels\`)`,
      'provider_response_too_large',
      context,
    );
  }
  if (!inspection.complete) {
    throw providerFailure(
      `OpenAI returned ${what} that is truncated (${inspection.mediaType}, ${bytes.byteLength} bytes)`,
      openAIErrorCodes.badResponse,
      context,
    );
  }
  return { image: { bytes, mediaType: inspection.mediaType }, inspection };
}
