// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import { applyLayer, applyNormalLayer } from './apply-layer.js';
import { blendOpaqueRun, startOpaqueRun, writeOpaqueRun } from './blend-opaque-run.js';
import { markHidden } from './mark-hidden.js';
import type { PreparedLayer } from './prepare-composite.js';
import type { RowState } from './row-state.js';
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
  const layers = task.layers;
  const count = layers.length;
  const inverse255 = 1 / 255;
  const littleEndian = task.littleEndian;
  const outputBytes = task.output;
  const output = new Uint32Array(
    outputBytes.buffer,
    outputBytes.byteOffset,
    outputBytes.length >>> 2,
  );
  const noMask = new Uint8Array(0);

  // Every layer's numbers in typed arrays: the row loop reads no layer object (their shapes
  // differ with the caller, which would make it polymorphic).
  const layerWords: Uint32Array[] = [];
  const layerMasks: Uint8Array[] = [];
  const layerTop = new Int32Array(count);
  const layerBottom = new Int32Array(count);
  const layerLeft = new Int32Array(count);
  const layerRight = new Int32Array(count);
  const layerWidth = new Int32Array(count);
  const layerColumn = new Int32Array(count);
  const layerDataRow = new Int32Array(count);
  const layerMode = new Int32Array(count);
  const layerHasMask = new Uint8Array(count);
  const layerHides = new Uint8Array(count);
  const layerAlphaScale = new Float64Array(count);
  for (let level = 0; level < count; level++) {
    const layer = layers[level]!;
    layerWords.push(
      new Uint32Array(layer.data.buffer, layer.data.byteOffset, layer.data.length >>> 2),
    );
    const mask = layer.mask;
    layerMasks.push(
      mask === null ? noMask : new Uint8Array(mask.buffer, mask.byteOffset, mask.length),
    );
    layerTop[level] = layer.top;
    layerBottom[level] = layer.top + layer.height;
    layerLeft[level] = Math.max(0, layer.left);
    layerRight[level] = Math.min(width, layer.left + layer.width);
    layerWidth[level] = layer.width;
    layerColumn[level] = layer.left;
    layerDataRow[level] = layer.dataRow;
    layerMode[level] = layer.mode;
    layerHasMask[level] = mask === null ? 0 : 1;
    layerHides[level] = layer.mode === 0 && layer.opacity === 1 ? 1 : 0;
    layerAlphaScale[level] = layer.opacity * inverse255;
  }
  // With the WebAssembly kernel, the accumulator and touched flags live in its memory, where
  // its loops and the JavaScript ones (for the modes it leaves out) both work on them.
  const stage = task.wasm ? stageWasmRow(task.wasm, width, count) : null;
  const float32 = task.wasmFloat32 === true;
  const state: RowState = {
    count,
    starts: stage === null ? new Int32Array(width) : stage.starts,
    hiddenEnd: stage === null ? new Int32Array(width) : stage.hiddenEnd,
    hiddenRuns: stage === null ? new Int32Array(1 + 3 * width) : stage.hiddenRuns,
    touched: stage === null ? new Uint8Array(width) : stage.touched,
    accumulator: stage === null ? new Float64Array(width * 4) : stage.accumulator,
    base: new Uint32Array(task.base.buffer, task.base.byteOffset, task.base.length >>> 2),
    baseStart: 0,
    layerWords,
    rowIndex: new Int32Array(count),
    shifts: Int32Array.from(littleEndian ? [0, 8, 16, 24] : [24, 16, 8, 0]),
    blended: new Float64Array(3),
    minimumHiddenRun: 16,
  };
  const layerInRow = new Uint8Array(count);
  const spanFrom = new Int32Array(count);
  const spanTo = new Int32Array(count);
  // Runs of columns that start from the same source, and the part of each that layers cover.
  const runStart = new Int32Array(width);
  const runBegin = new Int32Array(width);
  const runEnd = new Int32Array(width);
  const runFrom = new Int32Array(width);
  const runTo = new Int32Array(width);
  const alphaShift = state.shifts[3]!;
  // The alpha byte's bits in a pixel's word: `word & alphaBits` is 0 when it is transparent.
  const alphaBits = (255 << alphaShift) | 0;
  const base = state.base;
  const starts = state.starts;
  const rowIndex = state.rowIndex;

  for (let y = task.rowStart; y < task.rowEnd; y++) {
    const baseStart = (y - task.baseRow) * width;
    state.baseStart = baseStart;
    const outputStart = (y - task.outputRow) * width;
    let covered = false;
    for (let level = 0; level < count; level++) {
      layerInRow[level] = 0;
      if (y < layerTop[level]! || y >= layerBottom[level]!) continue;
      // Index in the layer's words of canvas column 0 of this row.
      const rowOffset =
        (y - layerTop[level]! - layerDataRow[level]!) * layerWidth[level]! - layerColumn[level]!;
      rowIndex[level] = rowOffset;
      // The row's span: clipped to the canvas, then trimmed of transparent (or masked-out)
      // pixels at both ends, which add nothing in any mode.
      const words = layerWords[level]!;
      const mask = layerMasks[level]!;
      const hasMask = layerHasMask[level] === 1;
      let from = layerLeft[level]!;
      let to = layerRight[level]!;
      if (!hasMask) {
        // Transparent borders are wide: four pixels a test first.
        while (
          from + 4 <= to &&
          ((words[rowOffset + from]! |
            words[rowOffset + from + 1]! |
            words[rowOffset + from + 2]! |
            words[rowOffset + from + 3]!) &
            alphaBits) ===
            0
        ) {
          from += 4;
        }
        while (
          to - 4 >= from &&
          ((words[rowOffset + to - 1]! |
            words[rowOffset + to - 2]! |
            words[rowOffset + to - 3]! |
            words[rowOffset + to - 4]!) &
            alphaBits) ===
            0
        ) {
          to -= 4;
        }
      }
      while (
        from < to &&
        (((words[rowOffset + from]! >>> alphaShift) & 255) === 0 ||
          (hasMask && mask[rowOffset + from] === 0))
      ) {
        from++;
      }
      while (
        to > from &&
        (((words[rowOffset + to - 1]! >>> alphaShift) & 255) === 0 ||
          (hasMask && mask[rowOffset + to - 1] === 0))
      ) {
        to--;
      }
      if (from === to) continue;
      spanFrom[level] = from;
      spanTo[level] = to;
      layerInRow[level] = 1;
      covered = true;
    }
    if (!covered) {
      output.set(base.subarray(baseStart, baseStart + width), outputStart);
      continue;
    }
    starts.fill(count);
    state.touched.fill(0);
    state.hiddenRuns[0] = 0;
    if (stage !== null) {
      stageRowWasm(
        state,
        stage,
        width,
        layerInRow,
        spanFrom,
        spanTo,
        layerMasks,
        layerHasMask,
        layerHides,
      );
    }
    for (let level = 0; level < count && stage === null; level++) {
      if (layerInRow[level] === 0 || layerHides[level] === 0) continue;
      markHidden(
        state,
        level,
        layerWords[level]!,
        layerMasks[level]!,
        layerHasMask[level] === 1,
        spanFrom[level]!,
        spanTo[level]!,
      );
    }

    // Cut the row into runs of one start (the hidden runs in column order, the backdrop
    // between them); in each, the columns that some layer above covers.
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
        runStart[runs] = start;
        runBegin[runs] = x;
        runFrom[runs] = from;
        runTo[runs] = to;
        runEnd[runs] = next;
        runs++;
        x = next;
      }
    }

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
