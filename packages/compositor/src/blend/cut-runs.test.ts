import { describe, expect, it } from 'vitest';
import { cutRuns } from './cut-runs.js';
import { littleEndian } from './little-endian.js';
import { markHiddenRow } from './mark-hidden.js';
import { createRowState, startRow } from './row-state.js';

const width = 100;

/** A layer of one row: opaque over `opaque`, alpha 128 elsewhere in `visible`, else clear. */
function layer(left: number, size: number, mode: number, opaque: [number, number]) {
  const data = new Uint8ClampedArray(size * 4).fill(90);
  for (let x = 0; x < size; x++) {
    const column = left + x;
    data[x * 4 + 3] = column >= opaque[0] && column < opaque[1] ? 255 : 128;
  }
  return { data, width: size, height: 1, left, top: 0, mode, opacity: 1, mask: null, dataRow: 0 };
}

function runsOf(layers: ReturnType<typeof layer>[]) {
  const task = {
    width,
    rowStart: 0,
    rowEnd: 1,
    base: new Uint8ClampedArray(width * 4).fill(255),
    baseRow: 0,
    output: new Uint8ClampedArray(width * 4),
    outputRow: 0,
    layers,
    littleEndian,
  };
  const state = createRowState(task, null);
  expect(startRow(state, 0)).toBe(true);
  markHiddenRow(state);
  const count = cutRuns(state);
  return Array.from({ length: count }, (_, run) => ({
    start: state.runStart[run],
    begin: state.runBegin[run],
    from: state.runFrom[run],
    to: state.runTo[run],
    end: state.runEnd[run],
  }));
}

describe('cutRuns', () => {
  it('cuts a row into runs of one source, in column order, each with its covered part', () => {
    // Top-first: a multiply layer over 10..40, a normal one opaque over 60..90 (hides it),
    // a normal one opaque over 20..50 (found after the other: the runs get sorted).
    const runs = runsOf([
      layer(10, 30, 1, [0, 0]),
      layer(55, 40, 0, [60, 90]),
      layer(15, 40, 0, [20, 50]),
    ]);
    expect(runs).toEqual([
      { start: 3, begin: 0, from: 10, to: 20, end: 20 },
      { start: 2, begin: 20, from: 20, to: 40, end: 50 },
      { start: 3, begin: 50, from: 50, to: 60, end: 60 },
      { start: 1, begin: 60, from: 60, to: 60, end: 90 },
      { start: 3, begin: 90, from: 90, to: 95, end: 100 },
    ]);
  });

  it('leaves a row with nothing hidden as one run from the backdrop', () => {
    expect(runsOf([layer(30, 10, 2, [30, 40])])).toEqual([
      { start: 1, begin: 0, from: 30, to: 40, end: 100 },
    ]);
  });

  it('does not mark runs shorter than 16 columns', () => {
    expect(runsOf([layer(30, 40, 0, [40, 55])])).toEqual([
      { start: 1, begin: 0, from: 30, to: 70, end: 100 },
    ]);
  });
});
