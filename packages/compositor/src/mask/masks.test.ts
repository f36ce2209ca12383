import { ValidationError } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { boxRadii, featherMask } from './feather-mask.js';
import { shapeMask } from './shape-mask.js';

describe('featherMask', () => {
  const width = 64;
  const step = new Uint8Array(width * 4).map((_, index) => (index % width < 32 ? 255 : 0));

  it('ramps a hard edge over about twice the radius, symmetrically', () => {
    const soft = featherMask(step, width, 4, 8);
    const line = [...soft.subarray(0, width)];
    expect(line[0]).toBe(255);
    expect(line[63]).toBe(0);
    expect(line[31]! + line[32]!).toBeGreaterThanOrEqual(254);
    expect(line[31]! + line[32]!).toBeLessThanOrEqual(256);
    expect(line[31]).toBeGreaterThan(128);
    expect(line[24]).toBeGreaterThan(240);
    expect(line[40]).toBeLessThan(15);
    for (let x = 1; x < width; x++) expect(line[x]!).toBeLessThanOrEqual(line[x - 1]!);
  });

  it('keeps a uniform mask uniform (edges are extended) and leaves the input alone', () => {
    const full = new Uint8Array(100).fill(255);
    expect([...featherMask(full, 10, 10, 30)]).toEqual([...full]);
    const copy = featherMask(step, width, 4, 0);
    expect(copy).toEqual(step);
    expect(copy).not.toBe(step);
  });

  it('costs the same for any radius (box passes)', () => {
    const big = new Uint8Array(256 * 256).map((_, index) => (index % 7 === 0 ? 255 : 0));
    const time = (radius: number) => {
      const start = performance.now();
      featherMask(big, 256, 256, radius);
      return performance.now() - start;
    };
    time(2);
    const small = Math.min(time(2), time(2), time(2));
    const large = Math.min(time(120), time(120), time(120));
    // A blur linear in the radius would be ~60× slower at 120 than at 2; the bound is generous
    // so that a loaded machine (a GC pause, another process) cannot fail it.
    expect(large).toBeLessThan(small * 15 + 20);
    expect(boxRadii(10).every((radius) => radius >= 0)).toBe(true);
  });

  it('validates its arguments', () => {
    expect(() => featherMask(new Uint8Array(3), 2, 2, 1)).toThrow(
      'Expected `mask` to be a Uint8Array of 2 × 2 = 4 bytes, got 3 bytes',
    );
    expect(() => featherMask(new Uint8Array(4), 2, 2, -1)).toThrow(ValidationError);
    expect(() => featherMask(new Uint8Array(4), 2, 2, Number.NaN)).toThrow(
      'Expected `radius` to be a number of pixels from 0 to 10000, got `NaN` (number)',
    );
  });
});

describe('shapeMask', () => {
  const region = { left: 0, top: 0, width: 8, height: 6 };
  const rows = (mask: Uint8Array) =>
    Array.from({ length: 6 }, (_, row) => [...mask.subarray(row * 8, row * 8 + 8)]);

  it('covers a rectangle, anti-aliasing fractional edges', () => {
    const mask = rows(shapeMask({ type: 'rect', x: 2, y: 1, width: 3.5, height: 3 }, region));
    expect(mask[0]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(mask[1]).toEqual([0, 0, 255, 255, 255, 128, 0, 0]);
    expect(mask[4]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('covers an ellipse and inverts', () => {
    const shape = { type: 'ellipse' as const, x: 0, y: 0, width: 8, height: 6 };
    const mask = shapeMask(shape, region);
    expect(mask[3 * 8 + 4]).toBe(255);
    expect(mask[0]).toBe(0);
    const inverted = shapeMask({ ...shape, invert: true }, region);
    expect(inverted[3 * 8 + 4]).toBe(0);
    expect(inverted[0]).toBe(255);
  });

  it('feathers like a Gaussian of deviation feather / 2, in any region of the box', () => {
    const shape = { type: 'rect' as const, x: 10, y: -100, width: 100, height: 300, feather: 4 };
    const mask = shapeMask(shape, { left: 6, top: 0, width: 9, height: 1 });
    // 255 · Φ((x + .5 − 10) / σ) with σ = 2, at x = 6…14
    expect([...mask]).toEqual([10, 27, 58, 102, 153, 197, 228, 245, 252]);
  });
});
