import { compositeKernelModule } from './wasm/composite-kernel-module.js';

/**
 * Which loops composite: `auto` (the WebAssembly SIMD kernel with its float32 fast path where
 * the runtime supports it, else JavaScript), or one forced: `wasm` (the same),
 * `wasm-float64` (the WebAssembly kernel without the float32 fast path: the JavaScript
 * kernel's bytes) or `js`. Internal: tests force each path to compare them.
 */
export type KernelPath = 'auto' | 'wasm' | 'wasm-float64' | 'js';

let current: KernelPath = 'auto';

/**
 * Forces the kernel path for later composites (internal, for tests; not exported by the
 * package). `wasm` still falls back to JavaScript where WebAssembly SIMD is missing.
 *
 * @param path - the path to take.
 * @returns the path taken until now, to restore it.
 */
export function setKernelPath(path: KernelPath): KernelPath {
  const previous = current;
  current = path;
  return previous;
}

/**
 * Whether composites run the WebAssembly kernel's loops now.
 *
 * @returns true unless the path is forced to `js` or the runtime lacks WebAssembly SIMD.
 */
export function usesWasmKernel(): boolean {
  return current !== 'js' && compositeKernelModule() !== null;
}

/**
 * Whether the WebAssembly kernel takes its float32 fast path now.
 *
 * @returns false when the path is forced to `wasm-float64` (or `js`).
 */
export function usesFloat32Path(): boolean {
  return current === 'auto' || current === 'wasm';
}
