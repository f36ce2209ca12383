/**
 * The generic loop over an opaque backdrop, one mode at a time, against the float64 reference
 * and against the general loop (which composites any backdrop, and computes the same
 * expressions when it is opaque).
 */
import { blendModes } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { noise } from '../../test/noise.js';
import { maxChannelError, referenceComposite } from '../../test/reference-composite.js';
import type { Raster } from '../raster.js';
import { applyLayer } from './apply-layer.js';
import { blendModeCodes } from './blend-mode-codes.js';
import { blendOpaqueRun, startOpaqueRun, writeOpaqueRun } from './blend-opaque-run.js';
import { littleEndian } from './little-endian.js';
import { createRowState, type RowState, startRow } from './row-state.js';

const width = 257;

/** One row: an opaque backdrop, a layer over columns 3..250 with every kind of alpha. */
function row(mode: number, opacity: number, masked: boolean, seed: number) {
  const base: Raster = { width, height: 1, data: noise(width * 4, seed) };
  for (let x = 0; x < width; x++) base.data[x * 4 + 3] = 255;
  const layerWidth = 248;
  const data = noise(layerWidth * 4, seed + 1);
  for (let x = 0; x < layerWidth; x++) {
    // Runs of transparent, opaque and partly transparent pixels.
    if (x % 50 < 8) data[x * 4 + 3] = 0;
    else if (x % 50 < 20) data[x * 4 + 3] = 255;
  }
  const mask = masked ? new Uint8Array(noise(layerWidth, seed + 2)) : null;
  if (mask !== null) for (let x = 0; x < layerWidth; x += 7) mask[x] = x % 2 === 0 ? 0 : 255;
  const output = new Uint8ClampedArray(width * 4);
  const task = {
    width,
    rowStart: 0,
    rowEnd: 1,
    base: base.data,
    baseRow: 0,
    output,
    outputRow: 0,
    layers: [
      { data, width: layerWidth, height: 1, left: 3, top: 0, mode, opacity, mask, dataRow: 0 },
    ],
    littleEndian,
  };
  const layer = { raster: { width: layerWidth, height: 1, data }, left: 3, opacity, mask };
  return { base, task, layer, output };
}

/** The state on the row, its one run started from the backdrop. */
function started(task: ReturnType<typeof row>['task']): RowState {
  const state = createRowState(task, null);
  expect(startRow(state, 0)).toBe(true);
  expect(startOpaqueRun(state, state.count, 0, width)).toBe(true);
  return state;
}

function blendWith(state: RowState, apply: typeof blendOpaqueRun): void {
  apply(state, 0, state.spanFrom[0]!, state.spanTo[0]!);
}

describe('the generic loop over an opaque backdrop', () => {
  describe.each(blendModes)('%s', (blend) => {
    const mode = blendModeCodes[blend];
    it.each([
      [1, false],
      [0.55, false],
      [1, true],
      [0.3, true],
    ])('opacity %d, mask %s: within ±1 of the reference', (opacity, masked) => {
      for (let seed = 1; seed <= 4; seed++) {
        const { base, task, layer, output } = row(mode, opacity, masked, seed * 17);
        const state = started(task);
        blendWith(state, blendOpaqueRun);
        const words = new Uint32Array(output.buffer);
        writeOpaqueRun(state, words, 0, state.count, 0, 0, width, width);
        const expected = referenceComposite(base, [
          {
            ...layer,
            blend,
            ...(layer.mask === null ? { mask: undefined } : { mask: layer.mask }),
          },
        ]);
        expect(maxChannelError({ width, height: 1, data: output }, expected)).toBeLessThanOrEqual(
          1,
        );
      }
    });

    it('gives the general loop’s values (the same bits, but screen’s shorter B − Cb)', () => {
      for (let seed = 1; seed <= 4; seed++) {
        const { task } = row(mode, 0.8, seed % 2 === 0, seed * 31);
        const generic = started(task);
        const reference = started(task);
        blendWith(generic, blendOpaqueRun);
        blendWith(reference, applyLayer);
        if (blend === 'screen') {
          for (let index = 0; index < width * 4; index++) {
            expect(generic.accumulator[index]).toBeCloseTo(reference.accumulator[index]!, 14);
          }
        } else expect([...generic.accumulator]).toEqual([...reference.accumulator]);
      }
    });
  });

  it('leaves transparent and masked-out pixels, and the alpha, as they were', () => {
    const { task } = row(blendModeCodes['color-dodge'], 1, true, 5);
    const state = started(task);
    const before = Float64Array.from(state.accumulator);
    blendWith(state, blendOpaqueRun);
    const data = task.layers[0]!.data;
    const mask = task.layers[0]!.mask!;
    for (let x = 3; x < 251; x++) {
      const hidden = data[(x - 3) * 4 + 3] === 0 || mask[x - 3] === 0;
      for (let channel = 0; channel < 4; channel++) {
        const index = x * 4 + channel;
        if (hidden || channel === 3) expect(state.accumulator[index]).toBe(before[index]);
      }
    }
  });
});
