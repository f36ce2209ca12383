import { compositeKernelModule } from './composite-kernel-module.js';
import { instantiateWasmKernel, type WasmKernel } from './wasm-kernel.js';

let instance: WasmKernel | null | undefined;

/**
 * The calling thread's instance of the WebAssembly kernel, made on first use and kept (its
 * memory holds one row's scratch space), or `null` without WebAssembly SIMD.
 *
 * @returns the instance.
 */
export function callerWasmKernel(): WasmKernel | null {
  if (instance === undefined) {
    const module = compositeKernelModule();
    instance = module === null ? null : instantiateWasmKernel(module);
  }
  return instance;
}
