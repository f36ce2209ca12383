import { littleEndian } from '../little-endian.js';
import { simdSupported } from './simd-support.js';
import { instantiateWasmKernel, type WasmModule } from './wasm-kernel.js';
import { webAssemblyApi } from './web-assembly-api.js';

/** A kernel's compiled module and this thread's instance of it, each made on first use. */
export interface KernelLoader<Kernel> {
  /**
   * The compiled module, or `null` where WebAssembly SIMD is not available (or, for a kernel
   * that reads memory as little-endian words, on a big-endian machine): the JavaScript code
   * then does the work. It can be posted to worker threads.
   */
  readonly module: () => WasmModule | null;
  /** This thread's instance of {@link KernelLoader.module}, or `null` without it. */
  readonly instance: () => Kernel | null;
}

/**
 * Compiles a kernel's WebAssembly once per thread, on first use, and instantiates it once: the
 * loading every `*-kernel-module.ts` does.
 *
 * @param base64 - the kernel's bytes (a committed `*-kernel-bytes.ts`).
 * @param options - `littleEndianOnly`: refuse a big-endian machine (the kernel reads pixels or
 *   tables as little-endian words).
 * @returns the loader.
 */
export function kernelLoader<Kernel>(
  base64: string,
  options: { readonly littleEndianOnly: boolean },
): KernelLoader<Kernel> {
  let compiled: WasmModule | null | undefined;
  let instance: Kernel | null | undefined;
  const module = (): WasmModule | null => {
    if (compiled !== undefined) return compiled;
    compiled = null;
    const api = webAssemblyApi();
    if (api !== undefined && (littleEndian || !options.littleEndianOnly) && simdSupported()) {
      try {
        compiled = new api.Module(Buffer.from(base64, 'base64'));
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
  return {
    module,
    instance() {
      if (instance !== undefined) return instance;
      const compiledModule = module();
      instance =
        compiledModule === null
          ? null
          : (instantiateWasmKernel(compiledModule) as unknown as Kernel);
      return instance;
    },
  };
}
