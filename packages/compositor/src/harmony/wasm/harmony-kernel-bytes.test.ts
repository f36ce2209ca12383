/**
 * The committed WebAssembly must be what `harmony-kernel.wat` compiles to: this recompiles the
 * text with wabt, as `scripts/build-wasm.mjs` does, and compares the bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harmonyKernelWasm } from './harmony-kernel-bytes.js';

describe('the committed WebAssembly harmony kernel', () => {
  it('is harmony-kernel.wat compiled (run `npm run build:wasm -w @layerloom/compositor`)', async () => {
    const wabt = await (await import('wabt')).default();
    const text = readFileSync(join(import.meta.dirname, 'harmony-kernel.wat'), 'utf8');
    const parsed = wabt.parseWat('harmony-kernel.wat', text, { simd: true });
    try {
      parsed.validate();
      expect(harmonyKernelWasm).toBe(Buffer.from(parsed.toBinary({}).buffer).toString('base64'));
    } finally {
      parsed.destroy();
    }
  });
});
