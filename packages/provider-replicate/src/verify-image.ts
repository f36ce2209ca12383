import {
  describeLeadingBytes,
  type EncodedImage,
  type ImageInspection,
  inspectImage,
  ProviderError,
} from '@layerloom/core';
import { replicateErrorCodes } from './describe-replicate-error.js';

/** An output file checked by {@link verifyOutputImage}. */
export interface VerifiedOutput {
  /** The bytes, with the media type read from them. */
  readonly image: EncodedImage;
  /** Format, declared size and completeness. */
  readonly inspection: ImageInspection;
}

/**
 * Checks that an output file is an image the pipeline can use, with core's `inspectImage`: a
 * PNG, JPEG, WebP or GIF whose header declares a size of at most `maxPixels` and whose bytes are
 * all there.
 *
 * @param bytes - the file.
 * @param maxPixels - largest `width * height` accepted (a decompression bomb passes a byte cap).
 * @param predictionId - for errors.
 * @throws ProviderError `provider_bad_response` (not an image, no size, truncated), or
 *   `provider_response_too_large` for a header declaring too many pixels. Not retryable.
 */
export function verifyOutputImage(
  bytes: Uint8Array,
  maxPixels: number,
  predictionId: string,
): VerifiedOutput {
  const refuse = (message: string, code: string = replicateErrorCodes.badResponse) =>
    new ProviderError(`Replicate returned ${message}`, {
      provider: 'replicate',
      code,
      retryable: false,
      requestId: predictionId,
    });
  const inspection = inspectImage(bytes);
  if (inspection === undefined) {
    throw refuse(`an output file that is not an image (${describeLeadingBytes(bytes)})`);
  }
  const { width = 0, height = 0, mediaType } = inspection;
  if (width === 0 || height === 0) {
    throw refuse(`an output image (${mediaType}) whose header has no readable size`);
  }
  if (width * height > maxPixels) {
    throw refuse(
      `an output image whose header declares ${width}x${height} pixels, more than the ${maxPixels} allowed (setting \`maxImagePixels\`)`,
      'provider_response_too_large',
    );
  }
  if (!inspection.complete) {
    throw refuse(`an output image that is truncated (${mediaType}, ${bytes.byteLength} bytes)`);
  }
  return { image: { bytes, mediaType }, inspection };
}
