import { describe, expect, it } from 'vitest';
import type { Raster } from '../raster.js';
import { dropShadow } from './drop-shadow.js';
import { lightWrap } from './light-wrap.js';

/** A 40×30 layer: an opaque 10×8 block at (12, 9) with a half-transparent column beside it. */
function block(): Raster {
  const data = new Uint8ClampedArray(40 * 30 * 4);
  for (let y = 9; y < 17; y++) {
    for (let x = 12; x < 23; x++) data.set([220, 180, 40, x === 22 ? 128 : 255], (y * 40 + x) * 4);
  }
  return { width: 40, height: 30, data };
}

const alphaAt = (raster: Raster, x: number, y: number) =>
  x < 0 || y < 0 || x >= raster.width || y >= raster.height
    ? 0
    : raster.data[(y * raster.width + x) * 4 + 3]!;

describe('dropShadow', () => {
  it('without blur, is the alpha footprint shifted along the angle, scaled by opacity', () => {
    const layer = block();
    const shadow = dropShadow(layer, { angle: 0, distance: 5, blur: 0, opacity: 0.5 });
    expect(shadow).toMatchObject({ left: 5, top: 0 });
    for (let y = -2; y < 32; y++) {
      for (let x = -2; x < 50; x++) {
        const expected = Math.round(alphaAt(layer, x - 5, y) * 0.5);
        expect(alphaAt(shadow.raster, x - shadow.left, y - shadow.top)).toBe(expected);
      }
    }
    const down = dropShadow(layer, { angle: 90, distance: 4, blur: 0, opacity: 1 });
    expect(down).toMatchObject({ left: 0, top: 4 });
    expect([...down.raster.data.subarray((9 * 40 + 12) * 4, (9 * 40 + 12) * 4 + 4)]).toEqual([
      0, 0, 0, 255,
    ]);
  });

  it('blurred, keeps the footprint’s mass and centre, moved by the offset', () => {
    const layer = block();
    const shadow = dropShadow(layer, {
      angle: 45,
      distance: 6,
      blur: 4,
      opacity: 1,
      color: 'navy',
    });
    expect(shadow.raster.width).toBe(40 + 16);
    const moments = (raster: Raster, left: number, top: number) => {
      let mass = 0;
      let sumX = 0;
      let sumY = 0;
      for (let y = 0; y < raster.height; y++) {
        for (let x = 0; x < raster.width; x++) {
          const alpha = alphaAt(raster, x, y);
          mass += alpha;
          sumX += alpha * (x + left);
          sumY += alpha * (y + top);
        }
      }
      return { mass, x: sumX / mass, y: sumY / mass };
    };
    const own = moments(layer, 0, 0);
    const cast = moments(shadow.raster, shadow.left, shadow.top);
    expect(Math.abs(cast.mass - own.mass) / own.mass).toBeLessThan(0.01);
    expect(cast.x - own.x).toBeCloseTo(4, 0);
    expect(cast.y - own.y).toBeCloseTo(4, 0);
    const [red, green, blue] = shadow.raster.data.subarray((16 * 56 + 24) * 4);
    expect([red, green, blue]).toEqual([0, 0, 128]);
  });

  it('validates its options', () => {
    expect(() => dropShadow(block(), { opacity: 2 })).toThrow(
      'Expected `opacity` to be a number from 0 to 1, got `2` (number)',
    );
    expect(() => dropShadow(block(), { color: 'shade' })).toThrow('Expected `color` to be a CSS');
  });
});

describe('lightWrap', () => {
  it('brightens the edge with the backdrop’s light and leaves the interior and alpha alone', () => {
    const layer = block();
    const backdrop: Raster = {
      width: 40,
      height: 30,
      data: new Uint8ClampedArray(40 * 30 * 4).fill(250),
    };
    const wrapped = lightWrap(layer, backdrop, { amount: 1, radius: 2 });
    const at = (raster: Raster, x: number, y: number) => (y * raster.width + x) * 4;
    // The edge pixel's blue (40 under a white backdrop) rises; alpha stays.
    expect(wrapped.data[at(wrapped, 12, 12) + 2]).toBeGreaterThan(100);
    expect(wrapped.data[at(wrapped, 12, 12) + 3]).toBe(255);
    expect(wrapped.data[at(wrapped, 2, 2) + 3]).toBe(0);
    expect(lightWrap(layer, backdrop, { amount: 0 }).data).toEqual(layer.data);
    expect(() => lightWrap(layer, { width: 1, height: 1, data: new Uint8ClampedArray(4) })).toThrow(
      'Expected `backdrop` to be 40 × 30 like the layer, got 1 × 1',
    );
  });
});
