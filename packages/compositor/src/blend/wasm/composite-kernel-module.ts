import { compositeKernelWasm } from './composite-kernel-bytes.js';
import { kernelLoader } from './kernel-loader.js';
import type { WasmKernel, WasmModule } from './wasm-kernel.js';

const loader = kernelLoader<WasmKernel>(compositeKernelWasm, { littleEndianOnly: false });

/**
 * The compiled SIMD kernel (`composite-kernel.wat`), compiled once per thread on first use, or
 * `null` where WebAssembly SIMD is not available (the JavaScript kernel then does all the work).
 *
 * @returns the module, which can also be posted to worker threads.
 */
export function compositeKernelModule(): WasmModule | null {
  return loader.module();
}

/**
 * The calling thread's instance of the WebAssembly kernel, made on first use and kept (its
 * memory holds one row's scratch space), or `null` without WebAssembly SIMD.
 *
 * @returns the instance.
 */
export function callerWasmKernel(): WasmKernel | null {
  return loader.instance();
}
