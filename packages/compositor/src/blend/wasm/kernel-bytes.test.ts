/**
 * The committed WebAssembly of every kernel must be what its `.wat` compiles to: this
 * recompiles each text with wabt, as `scripts/build-wasm.mjs` does, and compares the bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pngEncoderKernelWasm } from '../../codec/png/wasm/png-encoder-kernel-bytes.js';
import { harmonyKernelWasm } from '../../harmony/wasm/harmony-kernel-bytes.js';
import { compositeKernelWasm } from './composite-kernel-bytes.js';

const sources = join(import.meta.dirname, '..', '..');
const kernels = [
  { wat: 'blend/wasm/composite-kernel.wat', committed: compositeKernelWasm },
  { wat: 'harmony/wasm/harmony-kernel.wat', committed: harmonyKernelWasm },
  { wat: 'codec/png/wasm/png-encoder-kernel.wat', committed: pngEncoderKernelWasm },
];

describe('the committed WebAssembly kernels', () => {
  for (const { wat, committed } of kernels) {
    it(`${wat} compiled is what is committed (else run \`npm run build:wasm -w @layerloom/compositor\`)`, async () => {
      const wabt = await (await import('wabt')).default();
      const parsed = wabt.parseWat(wat, readFileSync(join(sources, wat), 'utf8'), { simd: true });
      try {
        parsed.validate();
        expect(committed).toBe(Buffer.from(parsed.toBinary({}).buffer).toString('base64'));
      } finally {
        parsed.destroy();
      }
    });
  }
});
