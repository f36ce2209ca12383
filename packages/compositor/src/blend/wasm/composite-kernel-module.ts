import { compositeKernelWasm } from './composite-kernel-bytes.js';
import { kernelLoader } from './kernel-loader.js';
import type { WasmModule } from './wasm-kernel.js';

const loader = kernelLoader<never>(compositeKernelWasm, { littleEndianOnly: false });

/**
 * The compiled SIMD kernel (`composite-kernel.wat`), compiled once per thread on first use, or
 * `null` where WebAssembly SIMD is not available (the JavaScript kernel then does all the work).
 *
 * @returns the module, which can also be posted to worker threads.
 */
export function compositeKernelModule(): WasmModule | null {
  return loader.module();
}
