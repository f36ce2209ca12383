// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import type { RowState } from './row-state.js';

/**
 * Marks, in `state.starts`, the columns from `from` to `to` where this layer (which hides what
 * is below it: `normal`, opacity 1) is opaque and no higher layer already hides it. Columns a
 * higher layer hides are jumped over in one step (`state.hiddenEnd` holds, for each hidden
 * column, the end of its hidden run), so each pixel is read at most once per row. Each run
 * marked is added to `state.hiddenRuns`.
 *
 * @param state - the band's state, on the current row.
 * @param level - the layer.
 * @param from - first column of its span.
 * @param to - column after its span.
 */
export function markHidden(state: RowState, level: number, from: number, to: number): void {
  const words = state.layerWords[level]!;
  const mask = state.layerMasks[level]!;
  const hasMask = state.layerHasMask[level] === 1;
  const starts = state.starts;
  const hiddenEnd = state.hiddenEnd;
  const unset = state.count;
  const offset = state.rowIndex[level]!;
  const alphaShift = state.shifts[3]!;
  let x = from;
  while (x < to) {
    if (starts[x] !== unset) {
      x = hiddenEnd[x]!;
      continue;
    }
    const runStart = x;
    while (
      x < to &&
      starts[x] === unset &&
      ((words[offset + x]! >>> alphaShift) & 255) === 255 &&
      (!hasMask || mask[offset + x] === 255)
    ) {
      x++;
    }
    if (x === runStart) {
      x++;
      continue;
    }
    if (x - runStart < state.minimumHiddenRun) continue;
    starts.fill(level, runStart, x);
    hiddenEnd.fill(x, runStart, x);
    const runs = state.hiddenRuns;
    const index = runs[0]! * 3 + 1;
    runs[index] = runStart;
    runs[index + 1] = x;
    runs[index + 2] = level;
    runs[0]!++;
  }
}

/**
 * Marks the hidden runs of every layer of the current row that hides what is below it,
 * top-down (`markHidden`), for the JavaScript loops.
 *
 * @param state - the band's state, on the current row.
 */
export function markHiddenRow(state: RowState): void {
  for (let level = 0; level < state.count; level++) {
    if (state.layerInRow[level] === 0 || state.layerHides[level] === 0) continue;
    markHidden(state, level, state.spanFrom[level]!, state.spanTo[level]!);
  }
}
