import { describe, expect, it } from 'vitest';
import { calculateImageCost } from './calculate-image-cost.js';
import { defaultOpenAIImagePrices } from './openai-image-prices.js';

const gptImage1 = defaultOpenAIImagePrices['gpt-image-1'];

describe('calculateImageCost', () => {
  it.each<[string, string, number]>([
    ['low', '1024x1024', 0.011],
    ['low', '1536x1024', 0.016],
    ['medium', '1024x1024', 0.042],
    ['medium', '1024x1536', 0.063],
    ['high', '1024x1024', 0.167],
    ['high', '1536x1024', 0.25],
    ['auto', '1536x1024', 0.25],
  ])('prices gpt-image-1 %s %s at $%d per image without usage', (quality, size, price) => {
    expect(calculateImageCost(gptImage1, { quality, size })).toBe(price);
  });

  it('prices gpt-image-1 by tokens when usage is reported', () => {
    expect(
      calculateImageCost(gptImage1, {
        quality: 'high',
        size: '1024x1024',
        usage: {
          input_tokens: 350,
          input_tokens_details: { text_tokens: 50, image_tokens: 300 },
          output_tokens: 4160,
          total_tokens: 4510,
        },
      }),
    ).toBe(0.16965);
    // Without details, input tokens count as text.
    expect(
      calculateImageCost(gptImage1, {
        quality: 'high',
        size: '1024x1024',
        usage: { input_tokens: 100, output_tokens: 1000 },
      }),
    ).toBe(0.0405);
  });

  it.each<[string, string, string, number]>([
    ['dall-e-3', 'standard', '1024x1024', 0.04],
    ['dall-e-3', 'standard', '1792x1024', 0.08],
    ['dall-e-3', 'hd', '1024x1024', 0.08],
    ['dall-e-3', 'hd', '1024x1792', 0.12],
    ['dall-e-2', 'standard', '256x256', 0.016],
    ['dall-e-2', 'standard', '512x512', 0.018],
    ['dall-e-2', 'standard', '1024x1024', 0.02],
  ])('prices %s %s %s at $%d', (model, quality, size, price) => {
    expect(calculateImageCost(defaultOpenAIImagePrices[model], { quality, size })).toBe(price);
  });

  it('knows nothing without a price', () => {
    expect(calculateImageCost(undefined, { quality: 'high', size: '1024x1024' })).toBeUndefined();
    expect(calculateImageCost(gptImage1, { quality: 'high', size: '2048x2048' })).toBeUndefined();
    expect(
      calculateImageCost(defaultOpenAIImagePrices['dall-e-3'], {
        quality: 'standard',
        size: '1024x1024',
        usage: { output_tokens: 10 },
      }),
    ).toBe(0.04);
  });
});
