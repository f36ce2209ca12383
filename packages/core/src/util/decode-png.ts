import { inflateSync } from 'node:zlib';
import { LayerloomError } from '../errors/layerloom-error.js';

/** Decoded pixels: RGBA, 8 bits per channel, straight alpha (the `ImageData` shape). */
export interface DecodedPng {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** `width * height * 4` bytes, row-major RGBA. */
  readonly data: Uint8ClampedArray;
}

const signature = [137, 80, 78, 71, 13, 10, 26, 10];
/** Channels per colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA). */
const channelsByColorType: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const decodeError = (message: string) => new LayerloomError('image_decode_error', message);

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

/**
 * Decodes a non-interlaced 8-bit PNG (grey, RGB, palette, grey+alpha or RGBA) to RGBA. A small
 * decoder for core's own needs (the offline preview provider); the compositor decodes every
 * format with sharp.
 *
 * @param bytes - the PNG file.
 * @param options - `maxPixels`: refuse larger images before allocating. @default 64 Mpix
 * @throws LayerloomError `image_decode_error` for anything else or a damaged file.
 */
export function decodePng(
  bytes: Uint8Array,
  options: { readonly maxPixels?: number } = {},
): DecodedPng {
  if (bytes.length < 8 || signature.some((value, index) => bytes[index] !== value)) {
    throw decodeError('Expected a PNG file (bad signature)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const compressed: Uint8Array[] = [];
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const start = offset + 8;
    if (start + length + 4 > bytes.length)
      throw decodeError(`Truncated PNG: chunk ${type} runs past the end`);
    const data = bytes.subarray(start, start + length);
    if (type === 'IHDR') {
      width = view.getUint32(start);
      height = view.getUint32(start + 4);
      const bitDepth = data[8];
      colorType = data[9] ?? -1;
      if (bitDepth !== 8 || channelsByColorType[colorType] === undefined || data[12] !== 0) {
        throw decodeError(
          `Unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${data[12]} (expected 8-bit, non-interlaced)`,
        );
      }
      const maxPixels = options.maxPixels ?? 64 * 1024 * 1024;
      if (width === 0 || height === 0 || width * height > maxPixels) {
        throw new LayerloomError(
          'image_too_large',
          `PNG of ${width}x${height} exceeds ${maxPixels} pixels`,
        );
      }
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') compressed.push(data);
    else if (type === 'IEND') break;
    offset = start + length + 4;
  }
  if (colorType < 0) throw decodeError('Damaged PNG: no IHDR chunk');
  const channels = channelsByColorType[colorType]!;
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(compressed));
  } catch (cause) {
    throw new LayerloomError('image_decode_error', 'Damaged PNG: image data does not inflate', {
      cause,
    });
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height)
    throw decodeError('Truncated PNG: image data is too short');
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const value = raw[source + x]!;
      const left = x >= channels ? pixels[row + x - channels]! : 0;
      const up = y > 0 ? pixels[row - stride + x]! : 0;
      const upLeft = x >= channels && y > 0 ? pixels[row - stride + x - channels]! : 0;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = left;
          break;
        case 2:
          predicted = up;
          break;
        case 3:
          predicted = (left + up) >> 1;
          break;
        case 4:
          predicted = paeth(left, up, upLeft);
          break;
        default:
          throw decodeError(`Damaged PNG: unknown row filter ${filter}`);
      }
      pixels[row + x] = (value + predicted) & 255;
    }
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let index = 0; index < width * height; index++) {
    const source = index * channels;
    const target = index * 4;
    if (colorType === 3) {
      const entry = pixels[source]!;
      if (palette === undefined || entry * 3 + 2 >= palette.length)
        throw decodeError('Damaged PNG: palette index out of range');
      data[target] = palette[entry * 3]!;
      data[target + 1] = palette[entry * 3 + 1]!;
      data[target + 2] = palette[entry * 3 + 2]!;
      data[target + 3] = transparency?.[entry] ?? 255;
    } else if (channels >= 3) {
      data[target] = pixels[source]!;
      data[target + 1] = pixels[source + 1]!;
      data[target + 2] = pixels[source + 2]!;
      data[target + 3] = channels === 4 ? pixels[source + 3]! : 255;
    } else {
      const grey = pixels[source]!;
      data[target] = grey;
      data[target + 1] = grey;
      data[target + 2] = grey;
      data[target + 3] = channels === 2 ? pixels[source + 1]! : 255;
    }
  }
  return { width, height, data };
}
