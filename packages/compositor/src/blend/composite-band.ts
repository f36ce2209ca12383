// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import { applyLayer, applyNormalLayer } from './apply-layer.js';
import { blendOpaqueRun, startOpaqueRun, writeOpaqueRun } from './blend-opaque-run.js';
import { cutRuns } from './cut-runs.js';
import { markHiddenRow } from './mark-hidden.js';
import type { PreparedLayer } from './prepare-composite.js';
import { createRowState, startRow } from './row-state.js';
import {
  blendGeneralRunWasm,
  blendOpaqueRunFloat32Wasm,
  blendOpaqueRunWasm,
  leanMode,
  stagedSourceAt,
  startOpaqueRunWasm,
  wasmBlendsMode,
  writeRunWasm,
} from './wasm/blend-run-wasm.js';
import { stageRowWasm } from './wasm/stage-row-wasm.js';
import type { WasmKernel } from './wasm/wasm-kernel.js';
import { stageWasmRow } from './wasm/wasm-stage.js';
import { writeRow } from './write-row.js';

/**
 * One layer as the kernel sees it: a {@link PreparedLayer} whose `data` (and `mask`) may hold
 * only the rows a band reads, starting at layer row {@link BandLayer.dataRow}.
 */
export interface BandLayer extends PreparedLayer {
  /** Layer row held at `data[0]` (and at `mask[0]`). */
  readonly dataRow: number;
}

/** A horizontal band of the canvas to composite: rows `rowStart` to `rowEnd` (exclusive). */
export interface BandTask {
  /** Canvas width in pixels. */
  readonly width: number;
  /** First canvas row of the band. */
  readonly rowStart: number;
  /** Canvas row after the band. */
  readonly rowEnd: number;
  /** RGBA bytes of whole canvas rows of the backdrop, starting at canvas row `baseRow`. */
  readonly base: Uint8ClampedArray;
  /** Canvas row held at `base[0]`. */
  readonly baseRow: number;
  /** Where the result goes: RGBA bytes of whole canvas rows, starting at row `outputRow`. */
  readonly output: Uint8ClampedArray;
  /** Canvas row held at `output[0]`. */
  readonly outputRow: number;
  /** Layers, top-first, each intersecting the band, with an opacity above 0. */
  readonly layers: readonly BandLayer[];
  /** Byte order of the machine, for reading pixels as 32-bit words. */
  readonly littleEndian: boolean;
  /**
   * The WebAssembly SIMD kernel to run the hot loops with, or `null`/absent for the JavaScript
   * loops only. Both give the same bytes.
   */
  readonly wasm?: WasmKernel | null;
  /**
   * With `wasm`: take the float32 fast path on rows over an opaque backdrop whose layers are
   * all `normal`, `multiply`, `screen` or `soft-light` (within ±1 of the exact result, but not
   * always the same bytes as the float64 loops). Off, every loop is float64 and the bytes are
   * the JavaScript kernel's.
   */
  readonly wasmFloat32?: boolean;
}

/**
 * The compositing kernel. For each row of the band it trims every layer's span of its
 * transparent ends, finds, per column, the highest layer that hides everything below it
 * (`normal`, opacity 1, alpha 255, mask 255) — the layers beneath are never read — and cuts the
 * row into runs of columns starting from the same source. Over an opaque backdrop (the common
 * case) each run is blended layer by layer, bottom to top, by lean per-mode loops over the
 * run's part of each layer span, with no per-pixel bookkeeping; otherwise the general loops
 * blend into a float64 premultiplied accumulator. The accumulator is the size of one row (it
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
  const layerWords = state.layerWords;
  const layerMasks = state.layerMasks;
  const layerMode = state.layerMode;
  const layerHasMask = state.layerHasMask;
  const layerAlphaScale = state.layerAlphaScale;
  const layerInRow = state.layerInRow;
  const spanFrom = state.spanFrom;
  const spanTo = state.spanTo;
  const runStart = state.runStart;
  const runBegin = state.runBegin;
  const runEnd = state.runEnd;
  const runFrom = state.runFrom;
  const runTo = state.runTo;
  const base = state.base;
  const rowIndex = state.rowIndex;

  for (let y = task.rowStart; y < task.rowEnd; y++) {
    const outputStart = (y - task.outputRow) * width;
    if (!startRow(state, y)) {
      output.set(base.subarray(state.baseStart, state.baseStart + width), outputStart);
      continue;
    }
    const baseStart = state.baseStart;
    if (stage !== null) stageRowWasm(state, stage);
    else markHiddenRow(state);
    const runs = cutRuns(state);

    if (stage !== null) {
      // The same paths with the WebAssembly loops, on the row staged in its memory; in float32
      // when every layer of the row has a lean mode.
      let lean = float32;
      for (let level = 0; level < count && lean; level++) {
        if (layerInRow[level] === 1 && !leanMode(layerMode[level]!)) lean = false;
      }
      let opaque = true;
      for (let run = 0; run < runs && opaque; run++) {
        if (runFrom[run]! < runTo[run]!) {
          opaque = startOpaqueRunWasm(
            state,
            stage,
            lean,
            runStart[run]!,
            runFrom[run]!,
            runTo[run]!,
          );
        }
      }
      if (!opaque) state.touched.fill(0);
      const fast = opaque && lean;
      for (let run = 0; run < runs; run++) {
        const start = runStart[run]!;
        const from = runFrom[run]!;
        const to = runTo[run]!;
        const sourceAt = stagedSourceAt(state, stage, start);
        for (let level = start - 1; level >= 0 && from < to; level--) {
          if (layerInRow[level] === 0) continue;
          const spanStart = Math.max(spanFrom[level]!, from);
          const spanEnd = Math.min(spanTo[level]!, to);
          if (spanStart >= spanEnd) continue;
          const mode = layerMode[level]!;
          const hasMask = layerHasMask[level] === 1;
          const alphaScale = layerAlphaScale[level]!;
          if (fast) {
            blendOpaqueRunFloat32Wasm(stage, level, hasMask, mode, alphaScale, spanStart, spanEnd);
          } else if (!wasmBlendsMode(mode)) {
            // The other modes in JavaScript, on the same accumulator.
            applyLayer(
              state,
              level,
              layerWords[level]!,
              layerMasks[level]!,
              hasMask,
              mode,
              alphaScale,
              spanStart,
              spanEnd,
            );
          } else if (opaque) {
            blendOpaqueRunWasm(stage, level, hasMask, mode, alphaScale, spanStart, spanEnd);
          } else {
            blendGeneralRunWasm(
              stage,
              sourceAt,
              level,
              hasMask,
              mode,
              alphaScale,
              spanStart,
              spanEnd,
            );
          }
        }
        writeRunWasm(stage, sourceAt, !opaque, fast, runBegin[run]!, from, to, runEnd[run]!);
      }
      output.set(stage.output, outputStart);
      continue;
    }

    // Over an opaque backdrop the lean path applies; a backdrop pixel that is not opaque
    // sends the row to the general one.
    let opaque = true;
    for (let run = 0; run < runs && opaque; run++) {
      if (runFrom[run]! < runTo[run]!) {
        opaque = startOpaqueRun(state, runStart[run]!, runFrom[run]!, runTo[run]!);
      }
    }
    if (opaque) {
      for (let run = 0; run < runs; run++) {
        const start = runStart[run]!;
        const from = runFrom[run]!;
        const to = runTo[run]!;
        for (let level = start - 1; level >= 0 && from < to; level--) {
          if (layerInRow[level] === 0) continue;
          const spanStart = Math.max(spanFrom[level]!, from);
          const spanEnd = Math.min(spanTo[level]!, to);
          if (spanStart >= spanEnd) continue;
          const mode = layerMode[level]!;
          if (mode === 0 || mode === 1 || mode === 2 || mode === 9) {
            blendOpaqueRun(
              state,
              level,
              layerWords[level]!,
              layerMasks[level]!,
              layerHasMask[level] === 1,
              mode,
              layerAlphaScale[level]!,
              spanStart,
              spanEnd,
            );
          } else {
            // Every column of the run is touched and hidden by nothing at or above `level`.
            applyLayer(
              state,
              level,
              layerWords[level]!,
              layerMasks[level]!,
              layerHasMask[level] === 1,
              mode,
              layerAlphaScale[level]!,
              spanStart,
              spanEnd,
            );
          }
        }
        // Write the run: copied words on either side of the blended columns.
        const words = start === count ? base : layerWords[start]!;
        const offset = start === count ? baseStart : rowIndex[start]!;
        const begin = runBegin[run]!;
        const end = runEnd[run]!;
        if (begin < from) {
          output.set(words.subarray(offset + begin, offset + from), outputStart + begin);
        }
        if (from < to) writeOpaqueRun(state, output, outputStart, from, to);
        if (to < end) output.set(words.subarray(offset + to, offset + end), outputStart + to);
      }
      continue;
    }

    state.touched.fill(0);
    for (let level = count - 1; level >= 0; level--) {
      if (layerInRow[level] === 0) continue;
      const from = spanFrom[level]!;
      const to = spanTo[level]!;
      const hasMask = layerHasMask[level] === 1;
      const mode = layerMode[level]!;
      if (mode === 0) {
        applyNormalLayer(
          state,
          level,
          layerWords[level]!,
          layerMasks[level]!,
          hasMask,
          layerAlphaScale[level]!,
          from,
          to,
        );
      } else {
        applyLayer(
          state,
          level,
          layerWords[level]!,
          layerMasks[level]!,
          hasMask,
          mode,
          layerAlphaScale[level]!,
          from,
          to,
        );
      }
    }
    writeRow(state, output, outputStart, width);
  }
}
