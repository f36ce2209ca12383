import { describe, expect, it } from 'vitest';
import type { Raster } from '../raster.js';
import { isOpaque } from './is-opaque.js';

function raster(width: number, height: number, data = new Uint8ClampedArray(width * height * 4)) {
  for (let index = 3; index < data.length; index += 4) data[index] = 255;
  return { width, height, data } satisfies Raster;
}

describe('isOpaque', () => {
  it('is true when every alpha is 255, whatever the colours', () => {
    const opaque = raster(13, 7);
    opaque.data.fill(0x5a);
    for (let index = 3; index < opaque.data.length; index += 4) opaque.data[index] = 255;
    expect(isOpaque(opaque)).toBe(true);
    expect(isOpaque(raster(0, 0))).toBe(true);
  });

  it('finds one pixel below 255 anywhere: in a group of eight words or in the tail', () => {
    // 13 × 7 = 91 pixels: 11 groups of eight, then 3 pixels one by one.
    for (const pixel of [0, 5, 40, 87, 88, 90]) {
      const image = raster(13, 7);
      image.data[pixel * 4 + 3] = 254;
      expect(isOpaque(image), `pixel ${pixel}`).toBe(false);
    }
  });

  it('reads bytes when the data does not start on a 4-byte boundary', () => {
    const buffer = new Uint8ClampedArray(1 + 5 * 4);
    const shifted = raster(5, 1, buffer.subarray(1));
    expect(shifted.data.byteOffset % 4).toBe(1);
    expect(isOpaque(shifted)).toBe(true);
    shifted.data[4 * 4 + 3] = 0;
    expect(isOpaque(shifted)).toBe(false);
  });
});
