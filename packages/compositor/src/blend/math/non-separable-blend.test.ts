import { type BlendMode, blendModes } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { blend as referenceBlend } from '../../../test/reference-composite.js';
import { blendModeCodes } from '../blend-mode-codes.js';
import { nonSeparableBlend } from './non-separable-blend.js';

function colours(seed: number, count: number): [number, number, number][] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return (state >>> 24) / 255;
  };
  const list: [number, number, number][] = [
    [0, 0, 0],
    [1, 1, 1],
    [0.5, 0.5, 0.5], // grey: SetSat's ties
    [1, 0, 0],
    [0.2, 0.2, 0.9],
  ];
  while (list.length < count) list.push([next(), next(), next()]);
  return list;
}

describe('nonSeparableBlend', () => {
  const nonSeparable = blendModes.filter((mode) => blendModeCodes[mode] >= 12);

  it.each(nonSeparable)('%s agrees with the reference', (mode: BlendMode) => {
    const result = new Float64Array(3);
    let worst = 0;
    for (const backdrop of colours(1, 60)) {
      for (const source of colours(2, 60)) {
        nonSeparableBlend(blendModeCodes[mode], ...backdrop, ...source, result);
        const expected = referenceBlend(mode, backdrop, source);
        for (let channel = 0; channel < 3; channel++) {
          const error = Math.abs(result[channel]! - expected[channel]!);
          if (!(error <= worst)) worst = error;
        }
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
});
