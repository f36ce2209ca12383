import { kernelLoader } from '../../blend/wasm/kernel-loader.js';
import type { WasmMemory, WasmModule } from '../../blend/wasm/wasm-kernel.js';
import { harmonyKernelWasm } from './harmony-kernel-bytes.js';

/** The exports of `harmony-kernel.wat`, instantiated; see the `.wat` file for the layout. */
export interface HarmonyKernel {
  /** The instance's memory (10 pages: the colour table, then up to 65536 pixels). */
  readonly memory: WasmMemory;
  /**
   * Applies the staged table to `count` staged pixels at byte `pixels`, in place (reading, and
   * writing back unchanged, up to 3 pixels after them).
   */
  readonly applyTable: (pixels: number, count: number) => void;
  /**
   * Makes the `count` 16-bit table entries copied in at byte 0 each 16384 less, as
   * `applyTable` reads them.
   */
  readonly prepareTable: (count: number) => void;
}

const loader = kernelLoader<HarmonyKernel>(harmonyKernelWasm, { littleEndianOnly: true });

/**
 * The compiled harmony kernel (`harmony-kernel.wat`), compiled once per thread on first use,
 * or `null` where WebAssembly SIMD is not available or the machine is big-endian (the
 * JavaScript table pass then does the work, with the same bytes).
 *
 * @returns the module, which can also be posted to worker threads.
 */
export function harmonyKernelModule(): WasmModule | null {
  return loader.module();
}

/**
 * The calling thread's instance of {@link harmonyKernelModule}, made on first use.
 *
 * @returns the kernel, or `null` without the module.
 */
export function harmonyKernel(): HarmonyKernel | null {
  return loader.instance();
}
