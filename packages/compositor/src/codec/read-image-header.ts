import { inspectImage } from '@layerloom/core';
import { ImageDecodeError } from '../errors/image-decode-error.js';

/** Formats the compositor decodes. */
export type ImageFormat = 'png' | 'webp' | 'jpeg';

/** What an image's header declares. */
export interface ImageHeader {
  /** The format, from the file signature. */
  readonly format: ImageFormat;
  /** Declared width in pixels. */
  readonly width: number;
  /** Declared height in pixels. */
  readonly height: number;
}

const formats = { 'image/png': 'png', 'image/webp': 'webp', 'image/jpeg': 'jpeg' } as const;
const decodedMediaTypes = Object.keys(formats) as (keyof typeof formats)[];

/**
 * Reads the format and the declared size from an image's first bytes, without decoding it, so
 * that an oversized image is refused before any large allocation. The header is read by core's
 * `inspectImage`; this adds the compositor's rules: PNG, WebP or JPEG only, a readable and
 * non-empty size, and failures as {@link ImageDecodeError}.
 *
 * @param bytes - the encoded image.
 * @returns the format and declared size.
 * @throws {ImageDecodeError} when the bytes are not PNG, WebP or JPEG, or the header is cut
 *   short or malformed.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const inspection = inspectImage(bytes, decodedMediaTypes);
  if (inspection === undefined) {
    throw new ImageDecodeError(
      `Expected PNG, WebP or JPEG bytes, got ${bytes.length === 0 ? 'no bytes' : `bytes starting ${[...bytes.subarray(0, 4)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ')}`}`,
    );
  }
  const format = formats[inspection.mediaType];
  const { width, height } = inspection;
  if (width === undefined || height === undefined) {
    throw new ImageDecodeError(
      inspection.complete
        ? `The ${format.toUpperCase()} header is malformed: it declares no readable size`
        : `The ${format.toUpperCase()} header is truncated`,
      { format },
    );
  }
  if (width === 0 || height === 0) {
    throw new ImageDecodeError(
      `Expected the ${format.toUpperCase()} header to declare a non-empty size, got ${width} × ${height}`,
      { format },
    );
  }
  return { format, width, height };
}
