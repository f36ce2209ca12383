import { availableParallelism } from 'node:os';
import { describeValue, ValidationError } from '@layerloom/core';
import sharp from 'sharp';
import { assertRaster } from '../assert-raster.js';
import { sharedBandWorkerPool } from '../blend/band-worker-pool.js';
import { ImageEncodeError } from '../errors/image-encode-error.js';
import type { Raster } from '../raster.js';
import { encodePngParallel, fastPngCompressionLevel } from './png/encode-png-parallel.js';

/** Formats the compositor encodes: those it decodes, and AVIF. */
export type EncodeFormat = 'png' | 'webp' | 'jpeg' | 'avif';

/** Options of {@link encodeImage}. */
export interface EncodeImageOptions {
  /**
   * File format. PNG is lossless and encoded by Layerloom itself, on the compositing worker
   * threads; WebP, JPEG and AVIF by sharp. JPEG has no alpha: transparent areas are flattened
   * onto white.
   */
  readonly format: EncodeFormat;
  /** Quality of the lossy formats, 1 to 100. @default 90 (WebP, JPEG), 60 (AVIF) */
  readonly quality?: number;
  /**
   * PNG compression, 0 (stored) to 9 (smallest, slowest). 1, the default, is fast: rows each
   * filtered with the best of None, Sub and Up, compressed as literals and runs (Layerloom's
   * WebAssembly deflate, else zlib's run-length or Huffman-only strategy); 2 and 3 are zlib's
   * levels over the same filters; 4 to 9 zlib's levels over all five PNG filters. The pixels
   * are the same at every level. @default 1
   */
  readonly compressionLevel?: number;
  /** Lossless WebP or AVIF. @default false */
  readonly lossless?: boolean;
  /** Threads for PNG, the calling one included. @default os.availableParallelism() */
  readonly threads?: number;
}

/** Default {@link EncodeImageOptions.compressionLevel}: fast. */
export const defaultCompressionLevel = fastPngCompressionLevel;

/** IANA media type of each format. */
export const imageMediaTypes: Readonly<Record<EncodeFormat, string>> = {
  png: 'image/png',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
  avif: 'image/avif',
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
      `Expected \`options\` to be \`{ format, quality?, compressionLevel?, lossless?, threads? }\`, got ${describeValue(options)}`,
      'options',
    );
  }
  const { format, quality, compressionLevel, lossless, threads } = options as Record<
    string,
    unknown
  >;
  if (typeof format !== 'string' || !Object.hasOwn(imageMediaTypes, format)) {
    throw ValidationError.field(
      ['format'],
      `Expected \`format\` to be one of "png", "webp", "jpeg", "avif", got ${describeValue(format)}`,
      'options',
    );
  }
  integerIn(quality, 'quality', 1, 100);
  integerIn(compressionLevel, 'compressionLevel', 0, 9);
  integerIn(threads, 'threads', 1, 256);
  if (lossless !== undefined && typeof lossless !== 'boolean') {
    throw ValidationError.field(
      ['lossless'],
      `Expected \`lossless\` to be a boolean, got ${describeValue(lossless)}`,
      'options',
    );
  }
}

/**
 * Encodes a {@link Raster} as PNG, WebP, JPEG or AVIF. PNG is Layerloom's own encoder: rows
 * cut into chunks, filtered and compressed in parallel on the compositing worker threads and
 * joined into one zlib stream (see decision record 0015); the others are sharp's.
 *
 * @example
 * ```ts
 * const png = await encodeImage(raster, { format: 'png', compressionLevel: 9 });
 * ```
 *
 * @param raster - the pixels.
 * @param options - `format`, `quality`, `compressionLevel`, `lossless`, `threads`.
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
  const lossless = options.lossless ?? false;
  try {
    if (options.format === 'png') {
      return await encodePngParallel(raster, {
        compressionLevel: options.compressionLevel ?? defaultCompressionLevel,
        threads: options.threads ?? availableParallelism(),
        pool: sharedBandWorkerPool,
      });
    }
    let pipeline = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
      raw: { width, height, channels: 4 },
    });
    switch (options.format) {
      case 'webp':
        pipeline = pipeline.webp({ quality: options.quality ?? 90, lossless });
        break;
      case 'jpeg':
        pipeline = pipeline
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: options.quality ?? 90 });
        break;
      case 'avif':
        pipeline = pipeline.avif({ quality: options.quality ?? 60, lossless });
        break;
    }
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
