import { decodePng } from '@layerloom/core';

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether a PNG's header declares alpha: colour type 4 or 6, or a `tRNS` chunk. */
function declaresAlpha(bytes: Uint8Array): boolean {
  if (bytes.length < 33 || !pngSignature.every((value, index) => bytes[index] === value)) {
    return false;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const colourType = bytes[25];
  if (colourType === 4 || colourType === 6) return true;
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (type === 'tRNS') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    offset += 12 + length;
  }
  return false;
}

/**
 * Whether a PNG is a cut-out: its header declares alpha and at least one pixel is not opaque.
 * PNGs the small decoder cannot read (16-bit, interlaced) count when the header declares alpha.
 *
 * @param bytes - an encoded image (anything but a PNG gives `false`).
 */
export function hasTransparentPixels(bytes: Uint8Array): boolean {
  if (!declaresAlpha(bytes)) return false;
  let data: Uint8Array | Uint8ClampedArray;
  try {
    data = decodePng(bytes, { maxPixels: 8192 * 8192 }).data;
  } catch {
    return true;
  }
  for (let index = 3; index < data.length; index += 4) if (data[index]! < 255) return true;
  return false;
}
