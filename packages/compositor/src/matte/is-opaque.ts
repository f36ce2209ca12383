import { littleEndian } from '../blend/little-endian.js';
import type { Raster } from '../raster.js';

/**
 * Whether every pixel of `raster` is opaque (alpha 255). Reads 32-bit words when the bytes
 * start on a 4-byte boundary (a decoded image's do), else bytes; stops at the first group of
 * pixels that is not opaque.
 *
 * @param raster - the raster; it is not modified.
 * @returns true when no pixel has an alpha below 255.
 */
export function isOpaque(raster: Raster): boolean {
  const data = raster.data;
  if (data.byteOffset % 4 !== 0) {
    for (let index = 3; index < data.length; index += 4) if (data[index] !== 255) return false;
    return true;
  }
  const words = new Int32Array(data.buffer, data.byteOffset, data.length >>> 2);
  // The alpha byte is a word's high byte on little-endian machines, its low byte otherwise.
  const alpha = littleEndian ? -16777216 : 255;
  const length = words.length;
  let index = 0;
  // Eight words ANDed at a time: their alpha bits stay all set only if every alpha is 255.
  for (; index + 8 <= length; index += 8) {
    const all =
      words[index]! &
      words[index + 1]! &
      words[index + 2]! &
      words[index + 3]! &
      words[index + 4]! &
      words[index + 5]! &
      words[index + 6]! &
      words[index + 7]!;
    if ((all & alpha) !== alpha) return false;
  }
  for (; index < length; index++) if ((words[index]! & alpha) !== alpha) return false;
  return true;
}
