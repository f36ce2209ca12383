import { describeLeadingBytes, type EncodedImage, inspectImage } from '@layerloom/core';
import {
  base64DecodedLength,
  decodeBase64,
  type HttpResponse,
  isBase64,
} from '@layerloom/core/http';
import { z } from 'zod';
import { type StabilityImageInspection, stabilityMediaTypes } from './check-input-images.js';
import {
  type ResponseContext,
  stabilityErrorCodes,
  stabilityFailure,
} from './describe-stability-error.js';
import { maxStabilitySeed } from './map-image-request.js';

/** What a 2xx answer carried, before the image is checked. */
export interface ReceivedImage {
  /** The image file. */
  readonly bytes: Uint8Array;
  /** `SUCCESS`, `CONTENT_FILTERED`, or whatever the service said (header or JSON field). */
  readonly finishReason: string | undefined;
  /** The seed the service used, when it said. */
  readonly seed: number | undefined;
}

const jsonAnswerSchema = z.looseObject({
  image: z.string(),
  finish_reason: z.string().optional(),
  seed: z.union([z.number(), z.string()]).optional(),
});

function seedOf(value: unknown): number | undefined {
  const seed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= maxStabilitySeed
    ? seed
    : undefined;
}

/**
 * Reads a Stability 2xx answer in either form: raw image bytes (`Accept: image/*`, with the
 * `finish-reason` and `seed` headers) or JSON `{ image: <base64>, finish_reason, seed }`
 * (`Accept: application/json`, headers absent). The form is told by the `content-type`, not by
 * what was asked. Base64 is size-checked before decoding and must be strict base64.
 *
 * @param response - the buffered response.
 * @param maxImageBytes - largest decoded image.
 * @param redact - removes secrets from server text.
 * @throws ProviderError `provider_bad_response` or `provider_response_too_large`.
 */
export function readImageResponse(
  response: HttpResponse,
  maxImageBytes: number,
  redact: (text: string) => string,
): ReceivedImage {
  const context = { requestId: response.requestId, status: response.status };
  const contentType = (response.headers['content-type'] ?? '').toLowerCase();
  if (!contentType.startsWith('application/json')) {
    return {
      bytes: response.body,
      finishReason: response.headers['finish-reason'],
      seed: seedOf(response.headers.seed),
    };
  }
  const parsed = jsonAnswerSchema.safeParse(response.json());
  if (!parsed.success) {
    throw stabilityFailure(
      'Stability returned JSON without an image (expected `image` as base64)',
      stabilityErrorCodes.badResponse,
      context,
      parsed.error,
    );
  }
  const { image } = parsed.data;
  const decodedLength = base64DecodedLength(image);
  if (decodedLength > maxImageBytes) {
    throw stabilityFailure(
      `Stability returned an image of about ${decodedLength} bytes, more than the ${maxImageBytes} allowed (setting \`maxImageBytes\`)`,
      'provider_response_too_large',
      context,
    );
  }
  if (image.length === 0 || !isBase64(image)) {
    throw stabilityFailure(
      `Stability returned an \`image\` that is not valid base64 (${image.length} characters; truncated or corrupted)`,
      stabilityErrorCodes.badResponse,
      context,
    );
  }
  const reason = parsed.data.finish_reason;
  return {
    bytes: decodeBase64(image),
    finishReason: reason === undefined ? undefined : redact(reason),
    seed: seedOf(parsed.data.seed),
  };
}

/** An image checked by {@link verifyImage}. */
export interface VerifiedImage {
  /** The bytes, with the media type read from them. */
  readonly image: EncodedImage;
  /** Format, size and completeness. */
  readonly inspection: StabilityImageInspection;
}

/**
 * Checks that returned bytes really are an image: PNG, JPEG or WebP magic bytes, a readable
 * size no larger than `maxPixels` (a decompression bomb passes the byte cap), a complete file.
 *
 * @param bytes - the returned file.
 * @param maxPixels - largest `width * height` accepted.
 * @param context - request id and status, for errors.
 * @throws ProviderError `provider_bad_response`, or `provider_response_too_large` for a header
 *   declaring too many pixels.
 */
export function verifyImage(
  bytes: Uint8Array,
  maxPixels: number,
  context: ResponseContext,
): VerifiedImage {
  const inspection = inspectImage(bytes, stabilityMediaTypes);
  if (inspection === undefined) {
    throw stabilityFailure(
      `Stability returned something that is not a PNG, JPEG or WebP file (${describeLeadingBytes(bytes)})`,
      stabilityErrorCodes.badResponse,
      context,
    );
  }
  const { width, height } = inspection;
  if (width === undefined || height === undefined || width === 0 || height === 0) {
    throw stabilityFailure(
      `Stability returned an image (${inspection.mediaType}) whose header has no readable size`,
      stabilityErrorCodes.badResponse,
      context,
    );
  }
  if (width * height > maxPixels) {
    throw stabilityFailure(
      `Stability returned an image whose header declares ${width}x${height} pixels, more than the ${maxPixels} allowed (setting \`maxImagePixels\`)`,
      'provider_response_too_large',
      context,
    );
  }
  if (!inspection.complete) {
    throw stabilityFailure(
      `Stability returned an image that is truncated (${inspection.mediaType}, ${bytes.byteLength} bytes)`,
      stabilityErrorCodes.badResponse,
      context,
    );
  }
  return { image: { bytes, mediaType: inspection.mediaType }, inspection };
}
