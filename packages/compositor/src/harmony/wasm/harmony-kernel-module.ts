import { simdSupported } from '../../blend/wasm/simd-support.js';
import {
  instantiateWasmKernel,
  type WasmMemory,
  type WasmModule,
} from '../../blend/wasm/wasm-kernel.js';
import { webAssemblyApi } from '../../blend/wasm/web-assembly-api.js';
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

let compiled: WasmModule | null | undefined;
let instance: HarmonyKernel | null | undefined;

/**
 * The compiled harmony kernel (`harmony-kernel.wat`), compiled once per thread on first use,
 * or `null` where WebAssembly SIMD is not available or the machine is big-endian (the
 * JavaScript table pass then does the work, with the same bytes).
 *
 * @returns the module, which can also be posted to worker threads.
 */
export function harmonyKernelModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = webAssemblyApi();
  const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
  if (api !== undefined && littleEndian && simdSupported()) {
    try {
      compiled = new api.Module(Buffer.from(harmonyKernelWasm, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * The calling thread's instance of {@link harmonyKernelModule}, made on first use.
 *
 * @returns the kernel, or `null` without the module.
 */
export function harmonyKernel(): HarmonyKernel | null {
  if (instance !== undefined) return instance;
  const module = harmonyKernelModule();
  instance = module === null ? null : (instantiateWasmKernel(module) as unknown as HarmonyKernel);
  return instance;
}
