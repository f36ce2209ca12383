// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.

import type { BandTask } from './band-task.js';
import { startOpaqueRun, writeOpaqueRun } from './blend-opaque-run.js';
import { blendSpan } from './blend-span.js';
import { cutRuns } from './cut-runs.js';
import { markHiddenRow } from './mark-hidden.js';
import { createRowState, startRow } from './row-state.js';
import {
  leanMode,
  stagedSourceAt,
  startOpaqueRunWasm,
  writeRunWasm,
} from './wasm/blend-run-wasm.js';
import { stageRowWasm } from './wasm/stage-row-wasm.js';
import { stageWasmRow } from './wasm/wasm-stage.js';
import { writeRow } from './write-row.js';

/**
 * The compositing kernel. For each row of the band it trims every layer's span of its
 * transparent ends, finds, per column, the highest layer that hides everything below it
 * (`normal`, opacity 1, alpha 255, mask 255) — the layers beneath are never read — and cuts the
 * row into runs of columns starting from the same source (`startRow`, `markHiddenRow`,
 * `cutRuns`). Each run is blended layer by layer, bottom to top, over the run's part of each
 * layer span (`blendSpan`): over an opaque backdrop (the common case) by one generic loop with
 * a per-mode pixel function and no per-pixel bookkeeping (`blendOpaqueRun`); otherwise the
 * general loops blend into a float64 premultiplied accumulator (`applyLayer`). The accumulator is the size of one row (it
 * stays in cache), nothing is rounded between layers, and every pixel is written once: blended
 * ones rounded, the rest copied as runs of words.
 *
 * With `task.wasm` (the WebAssembly SIMD kernel), each row's pixels are first staged in the
 * kernel's memory (but for those a higher layer hides), and the marking of hidden runs, the
 * lean loops, the general loops of `normal` and the separable modes but color-dodge and
 * color-burn, and the writes run there: in float64 with the same expressions (the same bytes
 * come out), or, with `task.wasmFloat32`, in float32 for rows over an opaque backdrop whose
 * layers all have a lean mode (within ±1). The other modes run in the JavaScript loops on the
 * same accumulator.
 *
 * Every RGBA array must start on a 4-byte boundary.
 *
 * @param task - the band, its inputs and its output.
 */
export function compositeBand(task: BandTask): void {
  const width = task.width;
  const count = task.layers.length;
  const outputBytes = task.output;
  const output = new Uint32Array(
    outputBytes.buffer,
    outputBytes.byteOffset,
    outputBytes.length >>> 2,
  );
  // With the WebAssembly kernel, the accumulator and touched flags live in its memory, where
  // its loops and the JavaScript ones (for the modes it leaves out) both work on them.
  const stage = task.wasm ? stageWasmRow(task.wasm, width, count) : null;
  const float32 = task.wasmFloat32 === true;
  const state = createRowState(task, stage);

  for (let y = task.rowStart; y < task.rowEnd; y++) {
    const outputStart = (y - task.outputRow) * width;
    if (!startRow(state, y)) {
      const baseStart = state.baseStart;
      output.set(state.base.subarray(baseStart, baseStart + width), outputStart);
      continue;
    }
    if (stage === null) markHiddenRow(state);
    else stageRowWasm(state, stage);
    const runs = cutRuns(state);

    // Over an opaque backdrop the lean path applies (in float32 with the WebAssembly kernel
    // when every layer of the row has a lean mode); a backdrop pixel that is not opaque sends
    // the row to the general one.
    let lean = stage !== null && float32;
    for (let level = 0; level < count && lean; level++) {
      if (state.layerInRow[level] === 1 && !leanMode(state.layerMode[level]!)) lean = false;
    }
    let opaque = true;
    for (let run = 0; run < runs && opaque; run++) {
      const from = state.runFrom[run]!;
      const to = state.runTo[run]!;
      if (from >= to) continue;
      const start = state.runStart[run]!;
      opaque =
        stage === null
          ? startOpaqueRun(state, start, from, to)
          : startOpaqueRunWasm(state, stage, lean, start, from, to);
    }
    if (!opaque) state.touched.fill(0);
    const fast = opaque && lean;

    // Each run bottom to top, then written: copied words on either side of the blended
    // columns (on the general path without WebAssembly, the whole row at the end).
    for (let run = 0; run < runs; run++) {
      const start = state.runStart[run]!;
      const from = state.runFrom[run]!;
      const to = state.runTo[run]!;
      const sourceAt = stage === null ? 0 : stagedSourceAt(state, stage, start);
      for (let level = start - 1; level >= 0 && from < to; level--) {
        if (state.layerInRow[level] === 0) continue;
        const spanStart = Math.max(state.spanFrom[level]!, from);
        const spanEnd = Math.min(state.spanTo[level]!, to);
        if (spanStart < spanEnd) {
          blendSpan(state, level, opaque, fast, sourceAt, spanStart, spanEnd);
        }
      }
      const begin = state.runBegin[run]!;
      const end = state.runEnd[run]!;
      if (stage !== null) writeRunWasm(stage, sourceAt, !opaque, fast, begin, from, to, end);
      else if (opaque) writeOpaqueRun(state, output, outputStart, start, begin, from, to, end);
    }
    if (stage !== null) output.set(stage.output, outputStart);
    else if (!opaque) writeRow(state, output, outputStart, width);
  }
}
