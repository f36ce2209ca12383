import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSize, roundSizeToRange, snapSize } from './snap-size.js';

const openAiSizes = [
  { width: 1024, height: 1024 },
  { width: 1536, height: 1024 },
  { width: 1024, height: 1536 },
];

describe('snapSize', () => {
  it('picks the listed size closest in aspect ratio, then in area', () => {
    expect(snapSize({ width: 1024, height: 1024 }, openAiSizes)).toEqual({
      width: 1024,
      height: 1024,
    });
    expect(snapSize({ width: 600, height: 400 }, openAiSizes)).toEqual({
      width: 1536,
      height: 1024,
    });
    expect(snapSize({ width: 300, height: 700 }, openAiSizes)).toEqual({
      width: 1024,
      height: 1536,
    });
    expect(snapSize({ width: 1100, height: 1000 }, openAiSizes)).toEqual({
      width: 1024,
      height: 1024,
    });
  });

  it('fits a range keeping the aspect ratio, on multiples', () => {
    const range = { min: 256, max: 1024, multipleOf: 64 };
    expect(snapSize({ width: 2048, height: 1024 }, range)).toEqual({ width: 1024, height: 512 });
    expect(snapSize({ width: 100, height: 50 }, range)).toEqual({ width: 512, height: 256 });
    expect(snapSize({ width: 500, height: 500 }, range)).toEqual({ width: 512, height: 512 });
    expect(snapSize({ width: 7, height: 9 }, { min: 1, max: 4096 })).toEqual({
      width: 7,
      height: 9,
    });
  });

  it('always answers a size the range accepts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16_384 }),
        fc.integer({ min: 1, max: 16_384 }),
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 0, max: 4_096 }),
        fc.integer({ min: 1, max: 128 }),
        (width, height, min, extra, multipleOf) => {
          const range = { min: min * multipleOf, max: (min + extra) * multipleOf, multipleOf };
          const size = snapSize({ width, height }, range);
          for (const side of [size.width, size.height]) {
            expect(side % multipleOf).toBe(0);
            expect(side).toBeGreaterThanOrEqual(range.min);
            expect(side).toBeLessThanOrEqual(range.max);
          }
        },
      ),
    );
  });
});

describe('roundSizeToRange', () => {
  const range = { min: 64, max: 2048, multipleOf: 8 };

  it('rounds each side to the nearest multiple and clamps it, on its own', () => {
    expect(roundSizeToRange({ width: 1003, height: 1005 }, range)).toEqual({
      width: 1000,
      height: 1008,
    });
    expect(roundSizeToRange({ width: 4000, height: 1000 }, range)).toEqual({
      width: 2048,
      height: 1000,
    });
    expect(
      roundSizeToRange({ width: 1, height: 60 }, { min: 60, max: 100, multipleOf: 16 }),
    ).toEqual({ width: 64, height: 64 });
    expect(formatSize({ width: 832, height: 1216 })).toBe('832x1216');
  });
});
