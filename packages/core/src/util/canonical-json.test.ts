import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys, drops undefined and hashes bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [1, undefined] }, e: -0 })).toBe(
      '{"a":{"c":[1,null]},"b":1,"e":0}',
    );
    expect(canonicalJson({ image: new Uint8Array([1]) })).toContain('"$bytes":1');
  });

  it('refuses what has no canonical form', () => {
    expect(canonicalJson({ f: () => 1 })).toBeUndefined();
    expect(canonicalJson({ n: Number.NaN })).toBeUndefined();
    expect(canonicalJson(new Map())).toBeUndefined();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(canonicalJson(cycle)).toBeUndefined();
  });

  it('gives the same text whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
      }),
    );
  });
});
