import { decodePng, inspectImage } from '@layerloom/core';

/**
 * Whether a PNG is a cut-out: its header declares alpha (colour type 4 or 6, or a `tRNS` chunk,
 * as core's `inspectImage` reads it) and at least one pixel is not opaque. PNGs the small
 * decoder cannot read (16-bit, interlaced) count when the header declares alpha.
 *
 * @param bytes - an encoded image (anything but a PNG gives `false`).
 */
export function hasTransparentPixels(bytes: Uint8Array): boolean {
  if (inspectImage(bytes, ['image/png'])?.hasAlpha !== true) return false;
  let data: Uint8Array | Uint8ClampedArray;
  try {
    data = decodePng(bytes, { maxPixels: 8192 * 8192 }).data;
  } catch {
    return true;
  }
  for (let index = 3; index < data.length; index += 4) if (data[index]! < 255) return true;
  return false;
}
