import { describe, expect, it } from 'vitest';
import { compositeKernelModule } from './composite-kernel-module.js';
import { simdProbe, simdSupported } from './simd-support.js';
import { webAssemblyApi } from './web-assembly-api.js';

describe('WebAssembly SIMD support', () => {
  it('is probed with the module wabt makes of the smallest SIMD function', async () => {
    const wabt = await (await import('wabt')).default();
    const parsed = wabt.parseWat(
      'probe.wat',
      '(module (func (result v128) v128.const i32x4 0 0 0 0))',
      { simd: true },
    );
    try {
      expect(Buffer.from(parsed.toBinary({}).buffer).equals(Buffer.from(simdProbe))).toBe(true);
    } finally {
      parsed.destroy();
    }
  });

  it('is there on the Node versions the package supports, and the kernel compiles', () => {
    expect(simdSupported()).toBe(true);
    expect(compositeKernelModule()).not.toBeNull();
  });

  it('is reported missing where the probe does not validate', () => {
    const api = webAssemblyApi()!;
    const original = api.validate;
    api.validate = () => false;
    try {
      expect(simdSupported()).toBe(false);
    } finally {
      api.validate = original;
    }
  });
});
