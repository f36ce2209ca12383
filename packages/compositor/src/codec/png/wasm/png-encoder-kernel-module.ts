import { kernelLoader } from '../../../blend/wasm/kernel-loader.js';
import type { WasmMemory, WasmModule } from '../../../blend/wasm/wasm-kernel.js';
import { pngEncoderKernelWasm } from './png-encoder-kernel-bytes.js';

/** The exports of `png-encoder-kernel.wat`, instantiated; pointers are offsets into `memory`. */
export interface PngEncoderKernel {
  /** The instance's memory: 1 page to start, grown by the caller (which replaces `buffer`). */
  readonly memory: WasmMemory;
  /**
   * `filterPngRows` without `allFilters`, the same bytes: filters `rows` rows of `width` RGBA
   * pixels at `src + width × 4` (the row above them at `src`, read unless `top` is 1: the
   * first row is then the image's first, always Sub) into `dst`, each row its filter type
   * byte and then its filtered bytes.
   */
  readonly filterRows: (src: number, dst: number, width: number, rows: number, top: number) => void;
  /** The Adler-32 of `length` bytes at `at` (unsigned once `>>> 0`). */
  readonly adler32: (at: number, length: number) => number;
  /**
   * Counts the literal/length symbols (literals, and runs of a repeated byte as matches at
   * distance 1) of `length` bytes at `at` into the zeroed table at `table` (see the `.wat`
   * file's layout); returns the number of runs.
   */
  readonly countSymbols: (at: number, length: number, table: number) => number;
  /**
   * Writes those symbols and the end of block with the table's codes from `out` on, after
   * `count` (< 32) pending `bits`; returns where its whole 32-bit words end, the bits still
   * pending and their count left at `table + 3328` and `table + 3332`.
   */
  readonly encodeSymbols: (
    at: number,
    length: number,
    table: number,
    out: number,
    bits: number,
    count: number,
  ) => number;
}

const loader = kernelLoader<PngEncoderKernel>(pngEncoderKernelWasm, { littleEndianOnly: true });

/**
 * The compiled PNG encoder kernel (`png-encoder-kernel.wat`), compiled once per thread on first
 * use, or `null` where WebAssembly SIMD is not available or the machine is big-endian (the
 * JavaScript filter and checksum then do the work, with the same bytes).
 *
 * @returns the module, which can also be posted to worker threads.
 */
export function pngEncoderKernelModule(): WasmModule | null {
  return loader.module();
}

/**
 * The calling thread's instance of {@link pngEncoderKernelModule}, made on first use.
 *
 * @returns the kernel, or `null` without the module.
 */
export function pngEncoderKernel(): PngEncoderKernel | null {
  return loader.instance();
}
