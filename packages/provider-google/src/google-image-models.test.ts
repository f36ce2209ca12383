import { snapSize } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { calculateGoogleCost } from './calculate-google-cost.js';
import { googleImageModels, resolveGoogleImageModel } from './google-image-models.js';
import { defaultGoogleImagePrices } from './google-image-prices.js';

describe('resolveGoogleImageModel', () => {
  it('knows the models, their aliases and a models/ prefix', () => {
    expect(resolveGoogleImageModel('gemini-2.5-flash-image').family).toBe('gemini');
    expect(resolveGoogleImageModel('models/imagen-4.0-generate-001').canonicalId).toBe(
      'imagen-4.0-generate-001',
    );
    expect(resolveGoogleImageModel('gemini-3-pro-image').canonicalId).toBe(
      'gemini-3-pro-image-preview',
    );
  });

  it('gives unknown ids the rules of their family, marked unknown', () => {
    expect(resolveGoogleImageModel('imagen-5.0-generate-001')).toMatchObject({
      family: 'imagen',
      canonicalId: 'imagen-5.0-generate-001',
      known: false,
      imageSize: false,
    });
    expect(resolveGoogleImageModel('gemini-4-image')).toMatchObject({
      family: 'gemini',
      known: false,
      maxInputImages: 3,
    });
  });

  it('lists each size once, with one aspect ratio and tier', () => {
    for (const spec of Object.values(googleImageModels)) {
      const keys = spec.sizes.map((size) => `${size.width}x${size.height}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const size of spec.sizes) {
        const [w, h] = size.aspectRatio.split(':').map(Number) as [number, number];
        // Within 8 %: the API's sizes round to multiples of 16 (Imagen's 3:4 is 896x1280).
        expect(Math.abs(size.width / size.height / (w / h) - 1)).toBeLessThan(0.08);
      }
    }
  });

  it('snaps with the planner’s rule to the tier nearest the requested area', () => {
    const sizes = googleImageModels['gemini-3-pro-image-preview']!.sizes;
    expect(snapSize({ width: 4000, height: 4000 }, sizes)).toEqual({ width: 4096, height: 4096 });
    expect(snapSize({ width: 1920, height: 1080 }, sizes)).toEqual({ width: 1376, height: 768 });
    expect(snapSize({ width: 2560, height: 1440 }, sizes)).toEqual({ width: 2752, height: 1536 });
    expect(snapSize({ width: 512, height: 512 }, sizes)).toEqual({ width: 1024, height: 1024 });
  });
});

describe('calculateGoogleCost', () => {
  const flash = defaultGoogleImagePrices['gemini-2.5-flash-image'];

  it('prices tokens when usage is reported: image output, other output as text, input', () => {
    expect(
      calculateGoogleCost(flash, {
        tier: '1K',
        usage: {
          inputTokens: 1000,
          outputTokens: 1300,
          outputImageTokens: 1290,
          thoughtsTokens: 0,
        },
      }),
    ).toBe(0.039025); // 1000 × 0.30 + 1290 × 30 + 10 × 2.50, per million
  });

  it('prices per image without usage, and nothing without a price', () => {
    expect(calculateGoogleCost(flash, { tier: '1K' })).toBe(0.039);
    expect(calculateGoogleCost(flash, { tier: '4K' })).toBeUndefined();
    expect(calculateGoogleCost(undefined, { tier: '1K' })).toBeUndefined();
    expect(
      calculateGoogleCost(defaultGoogleImagePrices['imagen-4.0-generate-001'], {
        tier: '2K',
        usage: { inputTokens: 5, outputTokens: 5 },
      }),
    ).toBe(0.04);
  });
});
