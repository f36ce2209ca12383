// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import type { RowState } from '../row-state.js';
import type { WasmStage } from './wasm-stage.js';

// The JavaScript side of the WebAssembly loops (`composite-kernel.wat`), run by run, on the row
// `stageRowWasm` copied into the kernel's memory.

/**
 * Whether the WebAssembly kernel blends `mode` (a code of `blendModeCodes`): `normal` and the
 * separable modes but color-dodge and color-burn (whose edge rules stay in JavaScript), not
 * the non-separable ones.
 *
 * @param mode - the blend-mode code.
 * @returns whether the WebAssembly loops take it.
 */
export function wasmBlendsMode(mode: number): boolean {
  return mode <= 5 || (mode >= 8 && mode <= 11);
}

/**
 * Whether `mode` has a float32 loop: 0 normal, 1 multiply, 2 screen, 9 soft-light.
 *
 * @param mode - the blend-mode code.
 * @returns whether the float32 fast path takes it.
 */
export function leanMode(mode: number): boolean {
  return mode === 0 || mode === 1 || mode === 2 || mode === 9;
}

/**
 * Where the stage holds the pixels a run starts from: a hiding layer's row, or the backdrop's.
 *
 * @param state - the band's state, on the current row.
 * @param stage - the kernel's row, staged.
 * @param start - the run's source (a hiding layer, or `count` for the backdrop).
 * @returns the byte offset of its canvas column 0.
 */
export function stagedSourceAt(state: RowState, stage: WasmStage, start: number): number {
  return start === state.count ? stage.baseAt : stage.layersAt + start * stage.stride * 4;
}

/**
 * `startOpaqueRun` in WebAssembly: fills the accumulator from the run's staged starting pixels
 * and marks them touched.
 *
 * @param state - the band's state, on the current row.
 * @param stage - the kernel's row, staged.
 * @param float32 - fill the float32 accumulator (the fast path) instead of the float64 one.
 * @param start - the run's source (a hiding layer, or `state.count` for the backdrop).
 * @param from - first column.
 * @param to - column after the last.
 * @returns false as soon as a pixel is not opaque (the run is then half done).
 */
export function startOpaqueRunWasm(
  state: RowState,
  stage: WasmStage,
  float32: boolean,
  start: number,
  from: number,
  to: number,
): boolean {
  const sourceAt = stagedSourceAt(state, stage, start) + from * 4;
  const started = float32
    ? stage.kernel.startOpaque32(sourceAt, stage.accumulatorAt + from * 16, to - from)
    : stage.kernel.startOpaque(sourceAt, stage.accumulatorAt + from * 32, to - from);
  if (started === 0) return false;
  state.touched.fill(1, from, to);
  return true;
}

/**
 * `blendOpaqueRun` in WebAssembly, for `wasmBlendsMode` (and, in float32, for `leanMode`), on
 * the staged layer row: the mode's own loop, or `separableOpaque`.
 *
 * @param state - the band's state, on the current row, the run started.
 * @param stage - the kernel's row, staged.
 * @param float32 - on the float32 accumulator (the fast path).
 * @param level - the layer.
 * @param from - first column.
 * @param to - column after the last.
 */
export function blendOpaqueRunWasm(
  state: RowState,
  stage: WasmStage,
  float32: boolean,
  level: number,
  from: number,
  to: number,
): void {
  const mode = state.layerMode[level]!;
  const alphaScale = state.layerAlphaScale[level]!;
  const layerAt = stage.layersAt + (level * stage.stride + from) * 4;
  const maskAt = stage.masksAt + level * stage.stride + from;
  const masked = state.layerHasMask[level]!;
  const accumulatorAt = stage.accumulatorAt + from * (float32 ? 16 : 32);
  const count = to - from;
  // The float32 fast path is only taken by rows whose layers all have a float32 loop.
  const loop = float32 ? stage.opaqueLoops32[mode]! : stage.opaqueLoops[mode]!;
  if (loop !== null) loop(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  else {
    stage.kernel.separableOpaque(mode, layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  }
}

/**
 * One layer over the columns `from` to `to` of a run on the general path (the backdrop may be
 * translucent), in WebAssembly, for `wasmBlendsMode`: a lazily started premultiplied
 * accumulator, from the run's staged starting pixels at `sourceAt`.
 *
 * @param state - the band's state, on the current row.
 * @param stage - the kernel's row, staged.
 * @param sourceAt - byte offset of the run's staged source (`stagedSourceAt`).
 * @param level - the layer.
 * @param from - first column.
 * @param to - column after the last.
 */
export function blendGeneralRunWasm(
  state: RowState,
  stage: WasmStage,
  sourceAt: number,
  level: number,
  from: number,
  to: number,
): void {
  stage.kernel.blendGeneral(
    state.layerMode[level]!,
    stage.layersAt + (level * stage.stride + from) * 4,
    stage.masksAt + level * stage.stride + from,
    state.layerHasMask[level]!,
    stage.accumulatorAt + from * 32,
    stage.touchedAt + from,
    sourceAt + from * 4,
    to - from,
    state.layerAlphaScale[level]!,
  );
}

/**
 * Writes the columns `begin` to `end` of a run into the staged output row: the columns `from`
 * to `to` from the accumulator (rounded; from the float32 one on the fast path; unpremultiplied
 * on the general path, where untouched ones are copied), the others copied from the run's
 * staged starting pixels at `sourceAt`.
 *
 * @param stage - the kernel's row, blended.
 * @param sourceAt - byte offset of the run's staged source (`stagedSourceAt`).
 * @param general - the row took the general path.
 * @param float32 - the row took the float32 fast path.
 * @param begin - the run's first column.
 * @param from - first blended column.
 * @param to - column after the last blended one.
 * @param end - column after the run.
 */
export function writeRunWasm(
  stage: WasmStage,
  sourceAt: number,
  general: boolean,
  float32: boolean,
  begin: number,
  from: number,
  to: number,
  end: number,
): void {
  const words = stage.words;
  const source = sourceAt >>> 2;
  const output = stage.outputAt >>> 2;
  if (begin < from) words.copyWithin(output + begin, source + begin, source + from);
  if (from < to) {
    if (general) {
      stage.kernel.writeGeneral(
        stage.accumulatorAt + from * 32,
        stage.touchedAt + from,
        sourceAt + from * 4,
        stage.outputAt + from * 4,
        to - from,
      );
    } else if (float32) {
      stage.kernel.writeOpaque32(
        stage.accumulatorAt + from * 16,
        stage.outputAt + from * 4,
        to - from,
      );
    } else {
      stage.kernel.writeOpaque(
        stage.accumulatorAt + from * 32,
        stage.outputAt + from * 4,
        to - from,
      );
    }
  }
  if (to < end) words.copyWithin(output + to, source + to, source + end);
}
