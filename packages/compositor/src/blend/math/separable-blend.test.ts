import { type BlendMode, blendModes } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { separableBlend as referenceBlend } from '../../../test/reference-composite.js';
import { blendModeCodes } from '../blend-mode-codes.js';
import { separableBlend } from './separable-blend.js';

// Every byte value, and the values around the spec's thresholds and edges.
const values = [
  ...Array.from({ length: 256 }, (_, byte) => byte / 255),
  1e-15,
  1 - 1e-15,
  0.25 + 1e-12,
  0.5 - 1e-12,
  0.5 + 1e-12,
];

describe('separableBlend', () => {
  const separable = blendModes.filter((mode) => blendModeCodes[mode] <= 11);

  it('has the 12 separable modes', () => {
    expect(separable).toHaveLength(12);
  });

  it.each(separable)('%s agrees with the reference on a grid of Cb × Cs', (mode: BlendMode) => {
    const code = blendModeCodes[mode];
    let worst = 0;
    for (const backdrop of values) {
      for (const source of values) {
        const error = Math.abs(
          separableBlend(code, backdrop, source) - referenceBlend(mode, backdrop, source),
        );
        if (!(error <= worst)) worst = error;
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });
});
