import { deflateSync } from 'node:zlib';
import { ValidationError } from '../errors/validation-error.js';

/** Pixels to encode: RGBA, 8 bits per channel, straight alpha (the `ImageData` shape). */
export interface PngPixels {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** `width * height * 4` bytes, row-major RGBA. */
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** Options of {@link encodePng}. */
export interface EncodePngOptions {
  /** zlib level, 0 (store) to 9 (smallest). @default 6 */
  readonly level?: number;
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let index = 0; index < 4; index++) out[4 + index] = type.charCodeAt(index);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes RGBA pixels as an 8-bit RGBA PNG (filter "up" on every row). A small encoder for core's
 * own needs — test images, the offline preview provider; the compositor has a parallel encoder.
 *
 * @param pixels - width, height and RGBA data.
 * @param options - zlib level.
 * @returns the PNG file.
 * @throws ValidationError when the data length does not match the size.
 */
export function encodePng(pixels: PngPixels, options: EncodePngOptions = {}): Uint8Array {
  const { width, height, data } = pixels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw ValidationError.field(
      ['width'],
      `Expected \`width\` and \`height\` to be positive integers, got ${width}x${height}`,
    );
  }
  if (data.length !== width * height * 4) {
    throw ValidationError.field(
      ['data'],
      `Expected \`data\` to have ${width * height * 4} bytes (${width}x${height} RGBA), got ${data.length}`,
    );
  }
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const target = y * (stride + 1);
    raw[target] = y === 0 ? 0 : 2;
    const row = y * stride;
    if (y === 0) raw.set(data.subarray(row, row + stride), target + 1);
    else
      for (let x = 0; x < stride; x++)
        raw[target + 1 + x] = (data[row + x]! - data[row - stride + x]!) & 255;
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: options.level ?? 6 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
