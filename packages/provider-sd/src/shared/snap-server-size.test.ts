import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapServerSize } from './snap-server-size.js';

const range = { min: 64, max: 2048, multipleOf: 8 };

describe('snapServerSize', () => {
  it('keeps sizes that fit, without a warning', () => {
    expect(snapServerSize({ width: 1024, height: 64 }, range, 'X')).toEqual({
      width: 1024,
      height: 64,
    });
  });

  it('rounds to the nearest multiple and clamps into the range', () => {
    expect(snapServerSize({ width: 1, height: 5000 }, range, 'X')).toMatchObject({
      width: 64,
      height: 2048,
    });
    expect(snapServerSize({ width: 1003, height: 1005 }, range, 'X')).toMatchObject({
      width: 1000,
      height: 1008,
    });
  });

  it('always gives sides in range that are multiples, moved by at most half a step inside the range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        (width, height) => {
          const snapped = snapServerSize({ width, height }, range, 'X');
          for (const [side, original] of [
            [snapped.width, width],
            [snapped.height, height],
          ] as const) {
            expect(side % 8).toBe(0);
            expect(side).toBeGreaterThanOrEqual(64);
            expect(side).toBeLessThanOrEqual(2048);
            if (original >= 64 && original <= 2048)
              expect(Math.abs(side - original)).toBeLessThanOrEqual(4);
          }
          expect(snapped.warning === undefined).toBe(
            snapped.width === width && snapped.height === height,
          );
        },
      ),
    );
  });
});
