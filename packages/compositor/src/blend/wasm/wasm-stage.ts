// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import type { OpaqueLoop, WasmKernel } from './wasm-kernel.js';

/**
 * Room for one canvas row in the WebAssembly kernel's memory, and views of it. Byte offsets
 * (`…At`) are what the kernel's functions take; every area is indexed by canvas column, so
 * column `x` of an area is at `…At + x × (bytes a column)`. The JavaScript loops work on the
 * same accumulator and touched flags through the views, so both kernels can share a row.
 */
export interface WasmStage {
  /** The instance. */
  readonly kernel: WasmKernel;
  /** Columns of each layer's and mask's row (the canvas width rounded up to 16). */
  readonly stride: number;
  /** Accumulator: 4 float64 a column (premultiplied red, green, blue, alpha). */
  readonly accumulatorAt: number;
  /** Touched flags: 1 byte a column. */
  readonly touchedAt: number;
  /** `RowState.starts`: an int32 a column. */
  readonly startsAt: number;
  /** `RowState.hiddenEnd`: an int32 a column. */
  readonly hiddenEndAt: number;
  /** `RowState.hiddenRuns`: an int32 count, then 3 int32 a run. */
  readonly hiddenRunsAt: number;
  /** The backdrop's row: 4 bytes a column. */
  readonly baseAt: number;
  /** Each layer's row, one after the other (layer `level` at `layersAt + level × width × 4`). */
  readonly layersAt: number;
  /** Each layer's mask row, one after the other (`masksAt + level × width`). */
  readonly masksAt: number;
  /** The output row: 4 bytes a column. */
  readonly outputAt: number;
  /** View of the accumulator. */
  readonly accumulator: Float64Array;
  /** View of the touched flags. */
  readonly touched: Uint8Array;
  /** View of the starts. */
  readonly starts: Int32Array;
  /** View of the hidden runs' ends. */
  readonly hiddenEnd: Int32Array;
  /** View of the hidden runs. */
  readonly hiddenRuns: Int32Array;
  /** View of the memory as words, from byte 0 (the pixel areas are at `…At / 4`). */
  readonly words: Uint32Array;
  /** View of the mask rows, from `masksAt`. */
  readonly masks: Uint8Array;
  /** View of the output row. */
  readonly output: Uint32Array;
  /** Scratch (not in the kernel's memory): starts of the row's hidden runs, sorted. */
  readonly sortedStart: Int32Array;
  /** Scratch: ends of the row's hidden runs, in the order of `sortedStart`. */
  readonly sortedEnd: Int32Array;
  /**
   * Per blend-mode code: the kernel's own float64 loop over an opaque backdrop (`normal`,
   * `multiply`, `screen`, `soft-light`), or `null` for `separableOpaque`.
   */
  readonly opaqueLoops: readonly (OpaqueLoop | null)[];
  /** Per blend-mode code: the float32 loop over an opaque backdrop, or `null` for none. */
  readonly opaqueLoops32: readonly (OpaqueLoop | null)[];
}

/**
 * Lays out room for rows of `width` columns and `count` layers in the kernel's memory (growing
 * it when needed) and returns views of it.
 *
 * @param kernel - the instantiated kernel.
 * @param width - canvas width in pixels.
 * @param count - number of layers.
 * @returns the stage.
 */
export function stageWasmRow(kernel: WasmKernel, width: number, count: number): WasmStage {
  const padded = (width + 15) & ~15;
  const accumulatorAt = 0;
  const touchedAt = accumulatorAt + width * 32;
  const startsAt = touchedAt + padded;
  const hiddenEndAt = startsAt + padded * 4;
  const hiddenRunsAt = hiddenEndAt + padded * 4;
  const baseAt = hiddenRunsAt + (1 + 3 * padded) * 4 + 12;
  const layersAt = baseAt + padded * 4;
  const outputAt = layersAt + count * padded * 4;
  const masksAt = outputAt + padded * 4;
  const size = masksAt + count * padded;
  const memory = kernel.memory;
  const missing = Math.ceil((size - memory.buffer.byteLength) / 65_536);
  if (missing > 0) memory.grow(missing);
  const buffer = memory.buffer;
  // Indexed by blend-mode code: 0 normal, 1 multiply, 2 screen, 9 soft-light.
  const opaqueLoops: (OpaqueLoop | null)[] = new Array(16).fill(null);
  const opaqueLoops32: (OpaqueLoop | null)[] = new Array(16).fill(null);
  opaqueLoops[0] = kernel.normalOpaque;
  opaqueLoops[1] = kernel.multiplyOpaque;
  opaqueLoops[2] = kernel.screenOpaque;
  opaqueLoops[9] = kernel.softLightOpaque;
  opaqueLoops32[0] = kernel.normalOpaque32;
  opaqueLoops32[1] = kernel.multiplyOpaque32;
  opaqueLoops32[2] = kernel.screenOpaque32;
  opaqueLoops32[9] = kernel.softLightOpaque32;
  return {
    kernel,
    stride: padded,
    accumulatorAt,
    touchedAt,
    startsAt,
    hiddenEndAt,
    hiddenRunsAt,
    baseAt,
    layersAt,
    masksAt,
    outputAt,
    accumulator: new Float64Array(buffer, accumulatorAt, width * 4),
    touched: new Uint8Array(buffer, touchedAt, width),
    starts: new Int32Array(buffer, startsAt, width),
    hiddenEnd: new Int32Array(buffer, hiddenEndAt, width),
    hiddenRuns: new Int32Array(buffer, hiddenRunsAt, 1 + 3 * width),
    words: new Uint32Array(buffer, 0, masksAt >>> 2),
    masks: new Uint8Array(buffer, masksAt, count * padded),
    output: new Uint32Array(buffer, outputAt, width),
    sortedStart: new Int32Array(width),
    sortedEnd: new Int32Array(width),
    opaqueLoops,
    opaqueLoops32,
  };
}
