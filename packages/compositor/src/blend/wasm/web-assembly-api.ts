import type { WasmModule } from './wasm-kernel.js';

/** The part of the global `WebAssembly` the compositor uses (the lib has no types for it). */
export interface WebAssemblyApi {
  /** Whether `bytes` are a valid module for this runtime. */
  validate(bytes: Uint8Array): boolean;
  /** Compiles a module synchronously. */
  readonly Module: new (
    bytes: Uint8Array,
  ) => WasmModule;
}

/**
 * The global `WebAssembly`, or `undefined` where the runtime has none.
 *
 * @returns the API, typed.
 */
export function webAssemblyApi(): WebAssemblyApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}
