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
 */
export function wasmBlendsMode(mode: number): boolean {
  return mode <= 5 || (mode >= 8 && mode <= 11);
}

/** Whether `mode` has a float32 loop: 0 normal, 1 multiply, 2 screen, 9 soft-light. */
export function leanMode(mode: number): boolean {
  return mode === 0 || mode === 1 || mode === 2 || mode === 9;
}

/** Where the stage holds the pixels a run starts from: a hiding layer's row, or the backdrop's. */
export function stagedSourceAt(state: RowState, stage: WasmStage, start: number): number {
  return start === state.count ? stage.baseAt : stage.layersAt + start * stage.stride * 4;
}

/**
 * `startOpaqueRun` in WebAssembly: fills the accumulator from the run's staged starting pixels
 * (`start`: a hiding layer, or `state.count` for the backdrop). Returns false as soon as one is
 * not opaque.
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
 * `blendOpaqueRun` (or `applyLayer` over an opaque run) in WebAssembly, for `wasmBlendsMode`,
 * on the staged layer row.
 */
export function blendOpaqueRunWasm(
  stage: WasmStage,
  level: number,
  hasMask: boolean,
  mode: number,
  alphaScale: number,
  from: number,
  to: number,
): void {
  const kernel = stage.kernel;
  const layerAt = stage.layersAt + (level * stage.stride + from) * 4;
  const maskAt = stage.masksAt + level * stage.stride + from;
  const masked = hasMask ? 1 : 0;
  const accumulatorAt = stage.accumulatorAt + from * 32;
  const count = to - from;
  if (mode === 0) kernel.normalOpaque(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  else if (mode === 1) {
    kernel.multiplyOpaque(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else if (mode === 2) {
    kernel.screenOpaque(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else if (mode === 9) {
    kernel.softLightOpaque(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else {
    kernel.separableOpaque(mode, layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  }
}

/** `blendOpaqueRunWasm` on the float32 fast path, for `leanMode`. */
export function blendOpaqueRunFloat32Wasm(
  stage: WasmStage,
  level: number,
  hasMask: boolean,
  mode: number,
  alphaScale: number,
  from: number,
  to: number,
): void {
  const kernel = stage.kernel;
  const layerAt = stage.layersAt + (level * stage.stride + from) * 4;
  const maskAt = stage.masksAt + level * stage.stride + from;
  const masked = hasMask ? 1 : 0;
  const accumulatorAt = stage.accumulatorAt + from * 16;
  const count = to - from;
  if (mode === 0) kernel.normalOpaque32(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  else if (mode === 1) {
    kernel.multiplyOpaque32(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else if (mode === 2) {
    kernel.screenOpaque32(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else {
    kernel.softLightOpaque32(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  }
}

/**
 * One layer over the columns `from` to `to` of a run on the general path (the backdrop may be
 * translucent), in WebAssembly, for `wasmBlendsMode`: a lazily started premultiplied
 * accumulator, from the run's staged starting pixels at `sourceAt`.
 */
export function blendGeneralRunWasm(
  stage: WasmStage,
  sourceAt: number,
  level: number,
  hasMask: boolean,
  mode: number,
  alphaScale: number,
  from: number,
  to: number,
): void {
  stage.kernel.blendGeneral(
    mode,
    stage.layersAt + (level * stage.stride + from) * 4,
    stage.masksAt + level * stage.stride + from,
    hasMask ? 1 : 0,
    stage.accumulatorAt + from * 32,
    stage.touchedAt + from,
    sourceAt + from * 4,
    to - from,
    alphaScale,
  );
}

/**
 * Writes the columns `begin` to `end` of a run into the staged output row: the columns `from`
 * to `to` from the accumulator (rounded; from the float32 one on the fast path; unpremultiplied
 * on the general path, where untouched ones are copied), the others copied from the run's staged starting pixels at `sourceAt`.
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
