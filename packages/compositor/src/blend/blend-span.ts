// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import { applyLayer } from './apply-layer.js';
import { blendOpaqueRun } from './blend-opaque-run.js';
import type { RowState } from './row-state.js';
import { blendGeneralRunWasm, blendOpaqueRunWasm, wasmBlendsMode } from './wasm/blend-run-wasm.js';

/**
 * Blends one layer over the columns `from` to `to` of a run, with the loop that fits: the
 * WebAssembly kernel's for the modes it has (`wasmBlendsMode`; float32 on the fast path), else
 * the JavaScript generic loop over an opaque backdrop (`blendOpaqueRun`) or the general loops
 * (`applyLayer`), on the same accumulator.
 *
 * @param state - the band's state, on the current row, the run started.
 * @param level - the layer.
 * @param opaque - every column of the row starts from an opaque pixel.
 * @param fast - the row takes the WebAssembly kernel's float32 fast path.
 * @param sourceAt - with the WebAssembly kernel, byte offset of the run's staged source.
 * @param from - first column, in the layer's span and in the run.
 * @param to - column after the last.
 */
export function blendSpan(
  state: RowState,
  level: number,
  opaque: boolean,
  fast: boolean,
  sourceAt: number,
  from: number,
  to: number,
): void {
  const mode = state.layerMode[level]!;
  const stage = state.stage;
  if (stage !== null && wasmBlendsMode(mode)) {
    if (opaque) blendOpaqueRunWasm(state, stage, fast, level, from, to);
    else blendGeneralRunWasm(state, stage, sourceAt, level, from, to);
  } else if (opaque) blendOpaqueRun(state, level, from, to);
  else applyLayer(state, level, from, to);
}
