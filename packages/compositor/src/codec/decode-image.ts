import { describeValue, ValidationError } from '@layerloom/core';
import sharp from 'sharp';
import { ImageDecodeError } from '../errors/image-decode-error.js';
import { ImageTooLargeError } from '../errors/image-too-large-error.js';
import type { Raster } from '../raster.js';
import { readImageHeader } from './read-image-header.js';

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /**
   * Largest image accepted, in pixels (width × height). Checked on the header before anything
   * is decoded, and passed to the decoder as its own limit. @default 67_108_864 (8192²)
   */
  readonly maxPixels?: number;
}

/** Default {@link DecodeImageOptions.maxPixels}: 8192 × 8192. */
export const defaultMaxPixels = 8192 * 8192;

/**
 * Checks `maxPixels` and returns it (or the default).
 *
 * @param value - what the caller passed.
 * @param path - where, for messages.
 */
export function validateMaxPixels(value: unknown, path: readonly (string | number)[]): number {
  if (value === undefined) return defaultMaxPixels;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw ValidationError.field(
      path,
      `Expected \`${path.join('.')}\` to be a positive integer number of pixels, got ${describeValue(value)}`,
      'options',
    );
  }
  return value;
}

/**
 * Decodes a PNG, WebP or JPEG image into a {@link Raster} (RGBA, 8 bits, straight alpha, sRGB;
 * EXIF orientation applied; an embedded colour profile converted to sRGB).
 *
 * The declared size is read from the header first: an image larger than `maxPixels` is refused
 * before any pixel memory is allocated.
 *
 * @example
 * ```ts
 * const raster = await decodeImage(await readFile('layer.png'), { maxPixels: 4096 * 4096 });
 * ```
 *
 * @param bytes - the encoded image.
 * @param options - `maxPixels`.
 * @returns the decoded raster.
 * @throws {ImageTooLargeError} (`image_too_large`) when the image has more than `maxPixels`.
 * @throws {ImageDecodeError} (`image_decode_error`) when the bytes are not a PNG, WebP or JPEG
 *   image, or are truncated or corrupt.
 * @throws {ValidationError} when `bytes` is not a `Uint8Array` or an option is malformed.
 */
export async function decodeImage(
  bytes: Uint8Array,
  options: DecodeImageOptions = {},
): Promise<Raster> {
  if (!(bytes instanceof Uint8Array)) {
    throw ValidationError.field(
      ['bytes'],
      `Expected \`bytes\` to be a Uint8Array, got ${describeValue(bytes)}`,
      'image',
    );
  }
  const maxPixels = validateMaxPixels(options.maxPixels, ['maxPixels']);
  const header = readImageHeader(bytes);
  if (header.width * header.height > maxPixels) {
    throw new ImageTooLargeError(header.width, header.height, maxPixels);
  }
  try {
    const { data, info } = await sharp(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { limitInputPixels: maxPixels, autoOrient: true },
    )
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) {
      throw new Error(`the decoder returned ${info.channels} channels instead of 4`);
    }
    return {
      width: info.width,
      height: info.height,
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ImageDecodeError(
      `Could not decode the ${header.format.toUpperCase()} image: ${reason}`,
      {
        format: header.format,
        cause: error,
      },
    );
  }
}
