import type { PreparedLayer } from './prepare-composite.js';
import type { WasmKernel } from './wasm/wasm-kernel.js';

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
