// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import type { RowState } from '../row-state.js';
import type { WasmStage } from './wasm-stage.js';

/**
 * Copies the columns `from`..`to` of a row from `source` to `target`, but those of the hidden
 * runs (`hiddenStart`/`hiddenEnd`, `count` of them, sorted, not overlapping), where a higher
 * layer hides this one: nothing reads those pixels.
 *
 * @param target - where to copy.
 * @param targetAt - index in `target` of canvas column 0.
 * @param source - what to copy.
 * @param sourceAt - index in `source` of canvas column 0 of the row.
 * @param from - first column.
 * @param to - column after the last.
 * @param hiddenStart - first column of each hidden run.
 * @param hiddenEnd - column after each hidden run.
 * @param count - number of hidden runs.
 */
export function stageVisible(
  target: Uint32Array | Uint8Array,
  targetAt: number,
  source: Uint32Array | Uint8Array,
  sourceAt: number,
  from: number,
  to: number,
  hiddenStart: Int32Array,
  hiddenEnd: Int32Array,
  count: number,
): void {
  let x = from;
  for (let run = 0; run < count && x < to; run++) {
    const end = hiddenEnd[run]!;
    if (end <= x) continue;
    const start = hiddenStart[run]!;
    if (start >= to) break;
    if (start > x) target.set(source.subarray(sourceAt + x, sourceAt + start), targetAt + x);
    x = end;
  }
  if (x < to) target.set(source.subarray(sourceAt + x, sourceAt + to), targetAt + x);
}

/**
 * Copies into the stage what the current row reads and marks its hidden runs, top-down: each
 * layer's span (with its mask) but for the runs a higher layer hides, then, for a layer that
 * hides what is below it, its own hidden runs (`markHidden` in WebAssembly); last the
 * backdrop's row but for every hidden run. Pixels under a hidden run are never read (see
 * `markHidden`), so they are not copied: on matted AI layers that is about a quarter of the
 * bytes (27 % of the words on the compositor's W8 benchmark).
 *
 * @param state - the band's state, on the current row.
 * @param stage - the kernel's row.
 */
export function stageRowWasm(state: RowState, stage: WasmStage): void {
  const words = stage.words;
  const sortedStart = stage.sortedStart;
  const sortedEnd = stage.sortedEnd;
  const runs = state.hiddenRuns;
  let sorted = 0;
  for (let level = 0; level < state.count; level++) {
    if (state.layerInRow[level] === 0) continue;
    const offset = state.rowIndex[level]!;
    const from = state.spanFrom[level]!;
    const to = state.spanTo[level]!;
    const layerAt = ((stage.layersAt >>> 2) + level * stage.stride) | 0;
    const layerWords = state.layerWords[level]!;
    stageVisible(words, layerAt, layerWords, offset, from, to, sortedStart, sortedEnd, sorted);
    const hasMask = state.layerHasMask[level] === 1;
    if (hasMask) {
      const mask = state.layerMasks[level]!;
      const maskAt = level * stage.stride;
      stageVisible(stage.masks, maskAt, mask, offset, from, to, sortedStart, sortedEnd, sorted);
    }
    if (state.layerHides[level] === 0) continue;
    const found = runs[0]!;
    markHiddenWasm(state, stage, level, hasMask, from, to);
    // Insert the new runs among the sorted ones (a row has few).
    for (let run = found; run < runs[0]!; run++) {
      const start = runs[run * 3 + 1]!;
      const end = runs[run * 3 + 2]!;
      let place = sorted++;
      while (place > 0 && sortedStart[place - 1]! > start) {
        sortedStart[place] = sortedStart[place - 1]!;
        sortedEnd[place] = sortedEnd[place - 1]!;
        place--;
      }
      sortedStart[place] = start;
      sortedEnd[place] = end;
    }
  }
  const baseAt = stage.baseAt >>> 2;
  stageVisible(
    words,
    baseAt,
    state.base,
    state.baseStart,
    0,
    state.width,
    sortedStart,
    sortedEnd,
    sorted,
  );
}

/**
 * `markHidden` in WebAssembly, on the staged layer row (see `RowState.hiddenRuns`).
 *
 * @param state - the band's state, on the current row.
 * @param stage - the kernel's row, the layer staged.
 * @param level - the layer.
 * @param hasMask - whether its mask applies.
 * @param from - first column of its span.
 * @param to - column after its span.
 */
export function markHiddenWasm(
  state: RowState,
  stage: WasmStage,
  level: number,
  hasMask: boolean,
  from: number,
  to: number,
): void {
  stage.kernel.markHidden(
    level,
    stage.layersAt + level * stage.stride * 4,
    stage.masksAt + level * stage.stride,
    hasMask ? 1 : 0,
    stage.startsAt,
    stage.hiddenEndAt,
    stage.hiddenRunsAt,
    from,
    to,
    state.count,
    state.minimumHiddenRun,
  );
}
