import { describe, expect, it } from 'vitest';
import { calculateFalCost } from './calculate-fal-cost.js';
import { defaultFalImagePrices } from './fal-image-prices.js';
import { falAppId, logFraction } from './run-fal-queue.js';

describe('falAppId', () => {
  it('keeps owner and app, drops the endpoint path', () => {
    expect(falAppId('fal-ai/flux/dev/image-to-image')).toBe('fal-ai/flux');
    expect(falAppId('fal-ai/recraft-v3')).toBe('fal-ai/recraft-v3');
    expect(falAppId('workflows/me/my-flow/run')).toBe('workflows/me/my-flow');
  });
});

describe('logFraction', () => {
  it.each<[string, number | undefined]>([
    ['Step 7/28', 0.25],
    ['  45%|████▌     | 9/20', 0.45],
    ['100%', 1],
    ['Loading model', undefined],
    ['Step 30/28', undefined],
    ['250%', undefined],
  ])('%s', (line, fraction) => {
    expect(logFraction(line)).toBe(fraction);
  });
});

describe('calculateFalCost', () => {
  it('bills whole megapixels of 1024x1024, at least one', () => {
    const flux = defaultFalImagePrices['fal-ai/flux/dev'];
    expect(calculateFalCost(flux, { width: 512, height: 512 })).toBe(0.025);
    expect(calculateFalCost(flux, { width: 1024, height: 1024 })).toBe(0.025);
    expect(calculateFalCost(flux, { width: 1025, height: 1024 })).toBe(0.05);
    expect(calculateFalCost(flux, { width: 2048, height: 2048 })).toBe(0.1);
  });

  it('prices per image, by style prefix', () => {
    const recraft = defaultFalImagePrices['fal-ai/recraft-v3'];
    expect(calculateFalCost(recraft, { width: 1024, height: 1024 })).toBe(0.04);
    expect(
      calculateFalCost(recraft, { width: 1, height: 1, style: 'vector_illustration/line_art' }),
    ).toBe(0.08);
    expect(calculateFalCost(recraft, { width: 1, height: 1, style: 'vector' })).toBe(0.04);
    expect(calculateFalCost(undefined, { width: 1, height: 1 })).toBeUndefined();
  });
});
