/** The memory of a WebAssembly instance, as much of it as the kernel uses. */
export interface WasmMemory {
  /** The memory's bytes; replaced (the old one detached) when the memory grows. */
  readonly buffer: ArrayBuffer;
  /** Adds `pages` pages of 64 KiB; returns the previous number of pages. */
  grow(pages: number): number;
}

/**
 * The exports of `composite-kernel.wat`, instantiated: its memory and its loops over one run of
 * columns. Pointers are byte offsets into `memory`; see the `.wat` file for the layout.
 */
export interface WasmKernel {
  /** The instance's memory, where the JavaScript kernel stages a row. */
  readonly memory: WasmMemory;
  /** `markHidden` on a staged layer row, into staged `starts`, `hiddenEnd` and runs. */
  readonly markHidden: (
    level: number,
    layer: number,
    mask: number,
    hasMask: number,
    starts: number,
    hiddenEnd: number,
    runs: number,
    from: number,
    to: number,
    unset: number,
    minimum: number,
  ) => void;
  /** Starts a run from opaque pixels; 0 (the run half done) at a pixel that is not opaque. */
  readonly startOpaque: (source: number, accumulator: number, count: number) => number;
  /** `normal` over an opaque backdrop. */
  readonly normalOpaque: OpaqueLoop;
  /** `multiply` over an opaque backdrop. */
  readonly multiplyOpaque: OpaqueLoop;
  /** `screen` over an opaque backdrop. */
  readonly screenOpaque: OpaqueLoop;
  /** `soft-light` over an opaque backdrop. */
  readonly softLightOpaque: OpaqueLoop;
  /** Any mode of `separableModes` over an opaque backdrop. */
  readonly separableOpaque: (
    mode: number,
    layer: number,
    mask: number,
    hasMask: number,
    accumulator: number,
    count: number,
    alphaScale: number,
  ) => void;
  /** `startOpaque` into a float32 accumulator (16 bytes a column). */
  readonly startOpaque32: (source: number, accumulator: number, count: number) => number;
  /** `normal` over an opaque backdrop, float32. */
  readonly normalOpaque32: OpaqueLoop;
  /** `multiply` over an opaque backdrop, float32. */
  readonly multiplyOpaque32: OpaqueLoop;
  /** `screen` over an opaque backdrop, float32. */
  readonly screenOpaque32: OpaqueLoop;
  /** `soft-light` over an opaque backdrop, float32. */
  readonly softLightOpaque32: OpaqueLoop;
  /** `writeOpaque` from a float32 accumulator. */
  readonly writeOpaque32: (accumulator: number, output: number, count: number) => void;
  /** Rounds a run blended over an opaque backdrop into RGBA bytes. */
  readonly writeOpaque: (accumulator: number, output: number, count: number) => void;
  /** One layer over a run whose backdrop may be translucent (`normal` or a separable mode). */
  readonly blendGeneral: (
    mode: number,
    layer: number,
    mask: number,
    hasMask: number,
    accumulator: number,
    touched: number,
    source: number,
    count: number,
    alphaScale: number,
  ) => void;
  /** Unpremultiplies and rounds a run of the general path, copying its untouched columns. */
  readonly writeGeneral: (
    accumulator: number,
    touched: number,
    source: number,
    output: number,
    count: number,
  ) => void;
}

/** A lean loop of one mode over an opaque backdrop. */
export type OpaqueLoop = (
  layer: number,
  mask: number,
  hasMask: number,
  accumulator: number,
  count: number,
  alphaScale: number,
) => void;

/** A compiled WebAssembly module; opaque here (it can be posted to a worker thread). */
export type WasmModule = object;

/**
 * Instantiates the compiled `composite-kernel.wat`. Worker threads run this from its source
 * text (with the module they were given), so it references nothing but its argument and the
 * global `WebAssembly`.
 *
 * @param module - the compiled kernel (`compositeKernelModule()`).
 * @returns the instance's exports.
 */
export function instantiateWasmKernel(module: WasmModule): WasmKernel {
  const api = (
    globalThis as unknown as {
      WebAssembly: { Instance: new (module: WasmModule, imports: object) => { exports: unknown } };
    }
  ).WebAssembly;
  return new api.Instance(module, {}).exports as WasmKernel;
}
