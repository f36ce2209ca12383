// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import type { RowState } from './row-state.js';

/**
 * Cuts the current row into runs of columns with one starting source — the hidden runs in
 * column order, the backdrop between them — and finds, in each, the columns that some layer
 * above its source covers (`runFrom`..`runTo`; the rest of the run is copied from the source).
 * Sorts `state.hiddenRuns` by column on the way.
 *
 * @param state - the band's state, on the current row, its hidden runs marked.
 * @returns the number of runs, in `state.runStart`, `runBegin`, `runFrom`, `runTo`, `runEnd`.
 */
export function cutRuns(state: RowState): number {
  const width = state.width;
  const count = state.count;
  const layerInRow = state.layerInRow;
  const spanFrom = state.spanFrom;
  const spanTo = state.spanTo;
  const hiddenRuns = state.hiddenRuns;
  const hiddenCount = hiddenRuns[0]!;
  for (let run = 1; run < hiddenCount; run++) {
    // Insertion sort by start column: a row has few hidden runs, mostly in order already.
    const index = run * 3 + 1;
    const start = hiddenRuns[index]!;
    const end = hiddenRuns[index + 1]!;
    const level = hiddenRuns[index + 2]!;
    let place = run;
    while (place > 0 && hiddenRuns[(place - 1) * 3 + 1]! > start) {
      const to = place * 3 + 1;
      const from = to - 3;
      hiddenRuns[to] = hiddenRuns[from]!;
      hiddenRuns[to + 1] = hiddenRuns[from + 1]!;
      hiddenRuns[to + 2] = hiddenRuns[from + 2]!;
      place--;
    }
    const to = place * 3 + 1;
    hiddenRuns[to] = start;
    hiddenRuns[to + 1] = end;
    hiddenRuns[to + 2] = level;
  }
  let runs = 0;
  let x = 0;
  for (let hidden = 0; hidden <= hiddenCount; hidden++) {
    // The backdrop up to the next hidden run, then that run.
    const index = hidden * 3 + 1;
    const hiddenStart = hidden < hiddenCount ? hiddenRuns[index]! : width;
    for (let part = 0; part < 2; part++) {
      const start = part === 0 ? count : hiddenRuns[index + 2]!;
      const next = part === 0 ? hiddenStart : hiddenRuns[index + 1]!;
      if (part === 1 && hidden === hiddenCount) break;
      if (x >= next) continue;
      let from = next;
      let to = x;
      for (let level = 0; level < start; level++) {
        if (layerInRow[level] === 0) continue;
        const spanStart = spanFrom[level]!;
        const spanEnd = spanTo[level]!;
        if (spanStart >= next || spanEnd <= x) continue;
        if (spanStart < from) from = spanStart;
        if (spanEnd > to) to = spanEnd;
      }
      if (from < x) from = x;
      if (to > next) to = next;
      if (from > to) from = to;
      state.runStart[runs] = start;
      state.runBegin[runs] = x;
      state.runFrom[runs] = from;
      state.runTo[runs] = to;
      state.runEnd[runs] = next;
      runs++;
      x = next;
    }
  }
  return runs;
}
