import { encodePng } from '@layerloom/core';

/**
 * A real PNG of one colour, encoded with core's encoder (zlib from `node:zlib`).
 *
 * @param rgba - red, green, blue, alpha, 0..255.
 * @param size - side in pixels.
 */
export function solidPng(rgba: readonly [number, number, number, number], size = 2): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  for (let index = 0; index < data.length; index += 4) data.set(rgba, index);
  return encodePng({ width: size, height: size, data });
}

/** Base64 of some bytes. */
export const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A minimal JPEG start (SOI + APP0 marker): enough for magic-byte checks. */
export const jpegBytes = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46,
]);
