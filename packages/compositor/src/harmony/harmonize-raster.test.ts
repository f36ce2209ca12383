import { ValidationError } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { noise } from '../../test/noise.js';
import { oklabFromSrgb } from '../matte/oklab.js';
import type { Raster } from '../raster.js';
import { colorStatistics, paletteStatistics } from './color-statistics.js';
import { harmonizeRaster } from './harmonize-raster.js';

/**
 * A noisy image around `center` (sRGB) with a disc of alpha; outside the disc the pixels are
 * transparent and of a wild colour that must not count.
 */
function noisyLayer(center: [number, number, number], spread: number, seed: number): Raster {
  const size = 64;
  const grain = noise(size * size * 3, seed);
  let drawn = 0;
  const next = () => grain[drawn++]! / 255;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = (y * size + x) * 4;
      const inside = Math.hypot(x - 31.5, y - 31.5) < 28;
      const shade = (next() - 0.5) * spread;
      data[at] = inside ? center[0] + shade + (next() - 0.5) * 20 : 255;
      data[at + 1] = inside ? center[1] + shade + (next() - 0.5) * 20 : 0;
      data[at + 2] = inside ? center[2] + shade + (next() - 0.5) * 20 : 255;
      data[at + 3] = inside ? (x < 32 ? 255 : 128) : 0;
    }
  }
  return { width: size, height: size, data };
}

/** The alpha-weighted Oklab mean, pixel by pixel (the reference the histogram is checked by). */
function exactMean(raster: Raster): [number, number, number] {
  const color = { l: 0, a: 0, b: 0 };
  const sums: [number, number, number] = [0, 0, 0];
  let total = 0;
  for (let index = 0; index < raster.data.length; index += 4) {
    const weight = raster.data[index + 3]! / 255;
    if (weight === 0) continue;
    oklabFromSrgb(raster.data[index]!, raster.data[index + 1]!, raster.data[index + 2]!, color);
    sums[0] += weight * color.l;
    sums[1] += weight * color.a;
    sums[2] += weight * color.b;
    total += weight;
  }
  return sums.map((sum) => sum / total) as [number, number, number];
}

/** Oklab ΔE in the usual ×100 scale. */
const deltaE = (first: readonly number[], second: readonly number[]) =>
  100 * Math.hypot(first[0]! - second[0]!, first[1]! - second[1]!, first[2]! - second[2]!);

const warm = () => noisyLayer([200, 130, 80], 60, 1);
const cold = () => noisyLayer([70, 110, 170], 30, 2);

describe('colorStatistics', () => {
  it('matches the pixel-by-pixel alpha-weighted mean, transparent pixels left out', () => {
    const layer = warm();
    const statistics = colorStatistics(layer);
    expect(deltaE(statistics.mean, exactMean(layer))).toBeLessThan(0.1);
    expect(statistics.weight).toBeGreaterThan(0);
    expect(statistics.spread[0]).toBeGreaterThan(0.02);
  });

  it('of a palette: the mean of its colours', () => {
    const statistics = paletteStatistics(['#ff0000', '#ff0000']);
    expect(statistics.spread).toEqual([0, 0, 0]);
    expect(statistics.mean[0]).toBeCloseTo(0.628, 3);
    expect(() => paletteStatistics(['#ff0000', 'reddish'])).toThrow(
      'Expected `palette[1]` to be a CSS colour, got "reddish" (string)',
    );
  });
});

describe('harmonizeRaster', () => {
  it('moves the alpha-weighted Oklab mean to within ΔE 2 of the target at amount 1', () => {
    const layer = warm();
    const target = colorStatistics(cold());
    const before = deltaE(exactMean(layer), target.mean);
    const matched = harmonizeRaster(layer, { target });
    const after = deltaE(exactMean(matched), target.mean);
    expect(before).toBeGreaterThan(15);
    expect(after).toBeLessThanOrEqual(2);
    // Alpha and the transparent pixels are left as they were.
    for (let index = 3; index < layer.data.length; index += 4) {
      expect(matched.data[index]).toBe(layer.data[index]);
      if (layer.data[index] === 0) {
        expect([...matched.data.subarray(index - 3, index)]).toEqual([255, 0, 255]);
      }
    }
  });

  it('lands halfway at amount 0.5', () => {
    const layer = warm();
    const source = exactMean(layer);
    const target = colorStatistics(cold());
    const halfway = source.map((value, channel) => (value + target.mean[channel]!) / 2);
    const matched = harmonizeRaster(layer, { target, amount: 0.5 });
    expect(deltaE(exactMean(matched), halfway)).toBeLessThanOrEqual(1);
    expect(deltaE(exactMean(matched), source)).toBeGreaterThan(5);
  });

  it('white balance moves only the colour cast: lightness stays', () => {
    const layer = warm();
    const target = colorStatistics(cold());
    const matched = harmonizeRaster(layer, { target, mode: 'white-balance' });
    const [lightnessBefore] = exactMean(layer);
    const [lightness, a, b] = exactMean(matched);
    expect(Math.abs(lightness - lightnessBefore) * 100).toBeLessThan(1.5);
    expect(100 * Math.hypot(a - target.mean[1], b - target.mean[2])).toBeLessThanOrEqual(2);
  });

  it('matches a palette and gives the same bytes every run', () => {
    const target = paletteStatistics(['#3a6ea5', '#5b8fc7', '#294e78']);
    const first = harmonizeRaster(warm(), { target, amount: 1 });
    expect(deltaE(exactMean(first), target.mean)).toBeLessThanOrEqual(2);
    expect(harmonizeRaster(warm(), { target, amount: 1 }).data).toEqual(first.data);
    const untouched = harmonizeRaster(warm(), { target, amount: 0 });
    expect(untouched.data).toEqual(warm().data);
  });

  it('rejects an out-of-range amount and a malformed target', () => {
    const target = colorStatistics(cold());
    expect(() => harmonizeRaster(warm(), { target, amount: 1.5 })).toThrow(
      'Expected `amount` to be a number from 0 to 1, got `1.5` (number)',
    );
    expect(() => harmonizeRaster(warm(), { target: {} as never })).toThrow(ValidationError);
    expect(() => harmonizeRaster(warm(), { target, mode: 'sepia' as never })).toThrow(
      'Expected `mode` to be "full" or "white-balance", got "sepia" (string)',
    );
  });
});
