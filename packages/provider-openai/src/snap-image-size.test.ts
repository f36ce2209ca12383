import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FreeSizeRule, resolveOpenAIImageModel } from './openai-image-models.js';
import { snapImageSize } from './snap-image-size.js';

const gptImage1 = resolveOpenAIImageModel('gpt-image-1');
const gptImage2 = resolveOpenAIImageModel('gpt-image-2');
const rule = gptImage2.sizes as FreeSizeRule;

describe('snapImageSize', () => {
  it.each<[number, number, string]>([
    [1024, 1024, '1024x1024'],
    [512, 512, '1024x1024'],
    [1920, 1080, '1536x1024'],
    [800, 1200, '1024x1536'],
    [1100, 1000, '1024x1024'],
    [1300, 1000, '1536x1024'],
    [100, 5000, '1024x1536'],
  ])('snaps %ix%i to the nearest aspect of gpt-image-1: %s', (width, height, size) => {
    const snapped = snapImageSize(gptImage1, width, height);
    expect(snapped.size).toBe(size);
    expect(snapped.snapped).toBe(`${width}x${height}` !== size);
  });

  it('snaps dall-e-2 squares by area', () => {
    const dallE2 = resolveOpenAIImageModel('dall-e-2');
    expect(snapImageSize(dallE2, 300, 300).size).toBe('256x256');
    expect(snapImageSize(dallE2, 400, 400).size).toBe('512x512');
    expect(snapImageSize(dallE2, 2000, 1000).size).toBe('1024x1024');
  });

  it('keeps gpt-image-2 sizes that follow the rule', () => {
    expect(snapImageSize(gptImage2, 3840, 2160)).toMatchObject({
      size: '3840x2160',
      snapped: false,
    });
    expect(snapImageSize(gptImage2, 720, 2160)).toMatchObject({ size: '720x2160', snapped: false });
  });

  it('always gives gpt-image-2 a size the rule accepts, near the requested aspect', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        (width, height) => {
          const snapped = snapImageSize(gptImage2, width, height);
          const long = Math.max(snapped.width, snapped.height);
          const short = Math.min(snapped.width, snapped.height);
          expect(snapped.width % rule.multipleOf).toBe(0);
          expect(snapped.height % rule.multipleOf).toBe(0);
          expect(short).toBeGreaterThanOrEqual(rule.minSide);
          expect(long).toBeLessThanOrEqual(rule.maxLongSide);
          expect(short).toBeLessThanOrEqual(rule.maxShortSide);
          expect(long / short).toBeLessThanOrEqual(rule.maxAspectRatio);
          // Orientation is kept, and the aspect is as close as the rule allows (within rounding).
          if (width !== height && long !== short)
            expect(snapped.width > snapped.height).toBe(width > height);
          const wanted = Math.min(Math.max(width / height, 1 / 3), 3);
          const got = snapped.width / snapped.height;
          if (Math.min(width, height) >= 256)
            expect(Math.abs(Math.log(got / wanted))).toBeLessThan(0.07);
          // Sizes that already follow the rule are kept.
          if (
            width % 16 === 0 &&
            height % 16 === 0 &&
            Math.max(width, height) <= 3840 &&
            Math.min(width, height) <= 2160 &&
            Math.max(width, height) / Math.min(width, height) <= 3
          ) {
            expect(snapped.snapped).toBe(false);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
