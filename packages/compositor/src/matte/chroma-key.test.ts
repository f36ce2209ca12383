import { ValidationError } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import type { Raster } from '../raster.js';
import { chromaKey } from './chroma-key.js';

/** A 10×10 image: a green backdrop (lit, then shaded in the lower rows) and a red square. */
function greenScreen(): Raster {
  const data = new Uint8ClampedArray(10 * 10 * 4);
  for (let y = 0; y < 10; y++) {
    for (let x = 0; x < 10; x++) {
      const inside = x >= 3 && x < 7 && y >= 3 && y < 7;
      const shade = y >= 8 ? 0.8 : 1;
      data.set(
        inside ? [210, 50, 40, 255] : [30 * shade, 200 * shade, 50 * shade, 255],
        (y * 10 + x) * 4,
      );
    }
  }
  return { width: 10, height: 10, data };
}

const alphaAt = (raster: Raster, x: number, y: number) =>
  raster.data[(y * raster.width + x) * 4 + 3];

describe('chromaKey', () => {
  it('keys out the backdrop, shaded parts included, and keeps the subject', () => {
    const keyed = chromaKey(greenScreen(), { color: '#00ff00' });
    expect(alphaAt(keyed, 0, 0)).toBe(0);
    expect(alphaAt(keyed, 9, 9)).toBeLessThan(32);
    expect(alphaAt(keyed, 5, 5)).toBe(255);
    expect([...keyed.data.subarray((5 * 10 + 5) * 4, (5 * 10 + 5) * 4 + 3)]).toEqual([210, 50, 40]);
  });

  it('without refining, only colours close to the exact key go', () => {
    const keyed = chromaKey(greenScreen(), {
      color: '#00ff00',
      refine: false,
      tolerance: 0.05,
      softness: 0.05,
    });
    expect(alphaAt(keyed, 0, 0)).toBe(255);
  });

  it('ramps alpha through the soft edge and removes green spill there', () => {
    const mixed = {
      width: 3,
      height: 1,
      data: new Uint8ClampedArray([30, 200, 50, 255, 120, 150, 60, 255, 210, 50, 40, 255]),
    };
    const options = { color: 'rgb(30, 200, 50)', tolerance: 0.05, softness: 0.5, refine: false };
    const keyed = chromaKey(mixed, options);
    const alpha = alphaAt(keyed, 1, 0)!;
    expect(alpha).toBeGreaterThan(0);
    expect(alpha).toBeLessThan(255);
    const [red, green] = keyed.data.subarray(4, 6);
    expect(green! - red!).toBeLessThan(150 - 120);
    const noSpill = chromaKey(mixed, { ...options, spill: 0 });
    expect([...noSpill.data.subarray(4, 7)]).toEqual([120, 150, 60]);
  });

  it('multiplies the existing alpha and leaves the input alone', () => {
    const input = greenScreen();
    input.data[(5 * 10 + 5) * 4 + 3] = 100;
    const before = new Uint8ClampedArray(input.data);
    const keyed = chromaKey(input, { color: '#0f0' });
    expect(alphaAt(keyed, 5, 5)).toBe(100);
    expect(input.data).toEqual(before);
  });

  it('validates its options', () => {
    expect(() => chromaKey(greenScreen(), { color: 'greenish' })).toThrow(
      'Expected `color` to be a CSS colour, got "greenish" (string)',
    );
    expect(() => chromaKey(greenScreen(), { color: '#0f0', tolerance: Number.NaN })).toThrow(
      'Expected `tolerance` to be a number from 0 to 1, got `NaN` (number)',
    );
    expect(() =>
      chromaKey({ width: 1, height: 1, data: new Uint8ClampedArray(3) }, { color: '#0f0' }),
    ).toThrow(ValidationError);
  });
});
