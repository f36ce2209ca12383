import { compositeKernelWasm } from './composite-kernel-bytes.js';
import { simdSupported } from './simd-support.js';
import type { WasmModule } from './wasm-kernel.js';
import { webAssemblyApi } from './web-assembly-api.js';

let compiled: WasmModule | null | undefined;

/**
 * The compiled SIMD kernel (`composite-kernel.wat`), compiled once per thread on first use, or
 * `null` where WebAssembly SIMD is not available (the JavaScript kernel then does all the work).
 *
 * @returns the module, which can also be posted to worker threads.
 */
export function compositeKernelModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = webAssemblyApi();
  if (api !== undefined && simdSupported()) {
    try {
      compiled = new api.Module(Buffer.from(compositeKernelWasm, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}
