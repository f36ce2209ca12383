import { webAssemblyApi } from './web-assembly-api.js';

/**
 * The smallest module using SIMD: `(module (func (result v128) v128.const i32x4 0 0 0 0))`.
 * `simd-support.test.ts` checks it against wabt's output of that text.
 */
export const simdProbe = Uint8Array.from(
  [
    // magic, version
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // type section: one type, () -> v128
    [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b],
    // function section: one function, of type 0
    [0x03, 0x02, 0x01, 0x00],
    // code section: one body, no locals, v128.const of 16 zero bytes, end
    [0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b],
  ].flat(),
);

/**
 * Whether this runtime runs WebAssembly with the fixed-width SIMD extension (Node 16.4 and
 * later do; a runtime started with WebAssembly disabled does not).
 *
 * @returns true when the SIMD probe module validates.
 */
export function simdSupported(): boolean {
  const api = webAssemblyApi();
  if (api === undefined) return false;
  try {
    return api.validate(simdProbe);
  } catch {
    return false;
  }
}
