/**
 * The committed WebAssembly must be what `composite-kernel.wat` compiles to: this recompiles
 * the text with wabt, as `scripts/build-wasm.mjs` does, and compares the bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compositeKernelWasm } from './composite-kernel-bytes.js';

describe('the committed WebAssembly kernel', () => {
  it('is composite-kernel.wat compiled (run `npm run build:wasm -w @layerloom/compositor`)', async () => {
    const wabt = await (await import('wabt')).default();
    const text = readFileSync(join(import.meta.dirname, 'composite-kernel.wat'), 'utf8');
    const parsed = wabt.parseWat('composite-kernel.wat', text, { simd: true });
    try {
      parsed.validate();
      const bytes = Buffer.from(parsed.toBinary({}).buffer);
      expect(compositeKernelWasm).toBe(bytes.toString('base64'));
    } finally {
      parsed.destroy();
    }
  });
});
