import { describe, expect, it } from 'vitest';
import { maxStabilitySeed, wireSeed } from './map-image-request.js';
import {
  aspectRatioOfSize,
  resolveStabilityModel,
  sizeOfAspectRatio,
  sizesOfModel,
} from './stability-models.js';
import { costOf, mergeStabilityPrices } from './stability-prices.js';

describe('aspect ratios and sizes', () => {
  it('gives the 1 MP sizes the SD3 family answers with', () => {
    expect(sizesOfModel(1).map(({ width, height }) => `${width}x${height}`)).toEqual([
      '1536x640',
      '1344x768',
      '1216x832',
      '1088x896',
      '1024x1024',
      '896x1088',
      '832x1216',
      '768x1344',
      '640x1536',
    ]);
  });

  it('maps a size of the model back to its ratio, and nothing else', () => {
    expect(aspectRatioOfSize(sizeOfAspectRatio('9:16', 1.5), 1.5)).toBe('9:16');
    expect(aspectRatioOfSize({ width: 1000, height: 1000 }, 1)).toBeUndefined();
  });
});

describe('resolveStabilityModel', () => {
  it('knows the generate models and routes other sd3 ids to the SD3 endpoint', () => {
    expect(resolveStabilityModel('stable-image-ultra')).toMatchObject({
      endpoint: 'ultra',
      imageToImage: true,
    });
    expect(resolveStabilityModel('stable-image-core')).toMatchObject({
      endpoint: 'core',
      imageToImage: false,
    });
    expect(resolveStabilityModel('sd3-large')).toMatchObject({
      endpoint: 'sd3',
      sd3Model: 'sd3-large',
      known: false,
    });
    expect(() => resolveStabilityModel('flux-pro')).toThrow(/modelId/);
  });
});

describe('wireSeed', () => {
  it.each([
    [1, 1, 0],
    [maxStabilitySeed, maxStabilitySeed, 0],
    [0, maxStabilitySeed, 1],
    [maxStabilitySeed + 1, maxStabilitySeed, 1],
    [maxStabilitySeed + 2, 1, 1],
  ])('seed %d is sent as %d (%d warnings)', (seed, wire, warningCount) => {
    const warnings: string[] = [];
    expect(wireSeed(seed, warnings)).toBe(wire);
    expect(warnings).toHaveLength(warningCount);
  });
});

describe('prices', () => {
  it('turns credits into dollars, with entries overridden one by one', () => {
    expect(costOf(mergeStabilityPrices(), 'sd3.5-large')).toEqual({ credits: 6.5, usd: 0.065 });
    const prices = mergeStabilityPrices({ credits: { 'sd3.5-large': 7 } });
    expect(costOf(prices, 'sd3.5-large')).toEqual({ credits: 7, usd: 0.07 });
    expect(costOf(prices, 'erase')).toEqual({ credits: 5, usd: 0.05 });
    expect(costOf(prices, 'toString')).toBeUndefined();
  });
});
