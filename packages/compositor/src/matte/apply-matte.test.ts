import { describe, expect, it } from 'vitest';
import type { Raster } from '../raster.js';
import { applyMatte } from './apply-matte.js';

function raster(pixels: readonly (readonly number[])[]): Raster {
  return { width: pixels.length, height: 1, data: new Uint8ClampedArray(pixels.flat()) };
}

describe('applyMatte', () => {
  it('`none` returns an opaque image as it is, without copying it', () => {
    const image = raster([
      [10, 20, 30, 255],
      [40, 50, 60, 255],
    ]);
    expect(applyMatte(image, 'none')).toBe(image);
  });

  it('`none` makes a copy with every alpha at 255, leaving the image untouched', () => {
    const image = raster([
      [10, 20, 30, 255],
      [40, 50, 60, 0],
    ]);
    const matted = applyMatte(image, 'none');
    expect(matted).not.toBe(image);
    expect([...matted.data]).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
    expect(image.data[7]).toBe(0);
  });

  it('`alpha` and `auto` keep an image that has transparency as it is', () => {
    const image = raster([
      [10, 20, 30, 128],
      [40, 50, 60, 255],
    ]);
    expect(applyMatte(image, 'alpha')).toBe(image);
    expect(applyMatte(image, 'auto')).toBe(image);
  });
});
