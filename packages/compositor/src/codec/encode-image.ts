import { describeValue, ValidationError } from '@layerloom/core';
import sharp from 'sharp';
import { assertRaster } from '../assert-raster.js';
import { ImageEncodeError } from '../errors/image-encode-error.js';
import type { Raster } from '../raster.js';
import type { ImageFormat } from './read-image-header.js';

/** Options of {@link encodeImage}. */
export interface EncodeImageOptions {
  /** File format. JPEG has no alpha: transparent areas are flattened onto white. */
  readonly format: ImageFormat;
  /** Quality of the lossy formats (WebP, JPEG), 1 to 100. @default 90 */
  readonly quality?: number;
  /**
   * PNG zlib level, 0 (store) to 9 (smallest, slowest). The default is fast, for the
   * intermediate images of a render; use 6 to 9 for files that are kept. @default 2
   */
  readonly compressionLevel?: number;
  /** Lossless WebP. @default false */
  readonly lossless?: boolean;
}

/** Default {@link EncodeImageOptions.compressionLevel}: fast. */
export const defaultCompressionLevel = 2;

/** IANA media type of each format. */
export const imageMediaTypes: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
};

function integerIn(value: unknown, name: string, low: number, high: number): void {
  if (
    value !== undefined &&
    (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high)
  ) {
    throw ValidationError.field(
      [name],
      `Expected \`${name}\` to be an integer from ${low} to ${high}, got ${describeValue(value)}`,
      'options',
    );
  }
}

/**
 * Checks {@link EncodeImageOptions}.
 *
 * @param options - what the caller passed.
 * @throws {ValidationError} naming the bad option.
 */
export function validateEncodeOptions(options: unknown): asserts options is EncodeImageOptions {
  if (typeof options !== 'object' || options === null) {
    throw ValidationError.field(
      [],
      `Expected \`options\` to be \`{ format, quality?, compressionLevel? }\`, got ${describeValue(options)}`,
      'options',
    );
  }
  const { format, quality, compressionLevel, lossless } = options as Record<string, unknown>;
  if (typeof format !== 'string' || !Object.hasOwn(imageMediaTypes, format)) {
    throw ValidationError.field(
      ['format'],
      `Expected \`format\` to be one of "png", "webp", "jpeg", got ${describeValue(format)}`,
      'options',
    );
  }
  integerIn(quality, 'quality', 1, 100);
  integerIn(compressionLevel, 'compressionLevel', 0, 9);
  if (lossless !== undefined && typeof lossless !== 'boolean') {
    throw ValidationError.field(
      ['lossless'],
      `Expected \`lossless\` to be a boolean, got ${describeValue(lossless)}`,
      'options',
    );
  }
}

/**
 * Encodes a {@link Raster} as PNG, WebP or JPEG.
 *
 * @example
 * ```ts
 * const png = await encodeImage(raster, { format: 'png', compressionLevel: 9 });
 * ```
 *
 * @param raster - the pixels.
 * @param options - `format`, `quality`, `compressionLevel`, `lossless`.
 * @returns the encoded file.
 * @throws {ValidationError} when the raster or an option is malformed.
 * @throws {ImageEncodeError} (`image_encode_error`) when the encoder fails, e.g. a WebP side
 *   above 16383 pixels.
 */
export async function encodeImage(
  raster: Raster,
  options: EncodeImageOptions,
): Promise<Uint8Array> {
  assertRaster(raster, ['raster']);
  validateEncodeOptions(options);
  const { data, width, height } = raster;
  const quality = options.quality ?? 90;
  let pipeline = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
    raw: { width, height, channels: 4 },
  });
  switch (options.format) {
    case 'png':
      pipeline = pipeline.png({
        compressionLevel: options.compressionLevel ?? defaultCompressionLevel,
      });
      break;
    case 'webp':
      pipeline = pipeline.webp({ quality, lossless: options.lossless ?? false });
      break;
    case 'jpeg':
      pipeline = pipeline.flatten({ background: '#ffffff' }).jpeg({ quality });
      break;
  }
  try {
    const bytes = await pipeline.toBuffer();
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ImageEncodeError(
      `Could not encode the ${options.format.toUpperCase()} image: ${reason}`,
      options.format,
      {
        cause: error,
      },
    );
  }
}
