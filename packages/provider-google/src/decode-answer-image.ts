import {
  describeLeadingBytes,
  type EncodedImage,
  type ImageInspection,
  inspectImage,
} from '@layerloom/core';
import { base64DecodedLength, decodeBase64, isBase64 } from '@layerloom/core/http';
import { googleErrorCodes } from './describe-google-error.js';
import { type AnswerContext, providerFailure } from './provider-failure.js';

/** The formats the Gemini API answers with. */
const answerMediaTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** An answer's image, checked. */
export interface AnswerImage {
  /** The bytes, with the media type read from them (not the one the answer claims). */
  readonly image: EncodedImage;
  /** What the header says: size, completeness, alpha. */
  readonly inspection: ImageInspection<(typeof answerMediaTypes)[number]>;
}

/** Limits of {@link decodeAnswerImage}. */
export interface AnswerImageLimits {
  /** Largest decoded size, in bytes. */
  readonly maxBytes: number;
  /** Largest `width * height` a header may declare. */
  readonly maxPixels: number;
}

/**
 * Decodes an image the answer carries as base64 (`inlineData.data`, `bytesBase64Encoded`) and
 * checks it before anyone decodes pixels: the decoded size against `maxBytes` before decoding,
 * strict base64 (a cut string is refused), PNG/JPEG/WebP magic bytes, a complete file, and a
 * declared size no larger than `maxPixels` (a decompression bomb passes a byte cap).
 *
 * @param data - the base64 text.
 * @param limits - byte and pixel caps.
 * @param context - request id and status, for errors.
 * @throws ProviderError `provider_bad_response`, or `provider_response_too_large`.
 */
export function decodeAnswerImage(
  data: string,
  limits: AnswerImageLimits,
  context: AnswerContext,
): AnswerImage {
  const fail = (message: string, code: string = googleErrorCodes.badResponse) =>
    providerFailure(`Google returned ${message}`, code, context);
  const size = base64DecodedLength(data);
  if (size > limits.maxBytes) {
    throw fail(
      `an image of about ${size} bytes, more than the ${limits.maxBytes} allowed (setting \`maxImageBytes\`)`,
      'provider_response_too_large',
    );
  }
  if (data.length === 0 || !isBase64(data)) {
    throw fail(`image data that is not valid base64 (${data.length} characters; truncated?)`);
  }
  const bytes = decodeBase64(data);
  const inspection = inspectImage(bytes, answerMediaTypes);
  if (inspection === undefined) {
    throw fail(`bytes that are not a PNG, JPEG or WebP image (${describeLeadingBytes(bytes)})`);
  }
  const { width = 0, height = 0, mediaType } = inspection;
  if (width === 0 || height === 0) {
    throw fail(`an image (${mediaType}) whose header has no readable size`);
  }
  if (width * height > limits.maxPixels) {
    throw fail(
      `an image whose header declares ${width}x${height} pixels, more than the ${limits.maxPixels} allowed (setting \`maxImagePixels\`)`,
      'provider_response_too_large',
    );
  }
  if (!inspection.complete) {
    throw fail(`an image that is truncated (${mediaType}, ${bytes.byteLength} bytes)`);
  }
  return { image: { bytes, mediaType }, inspection };
}
