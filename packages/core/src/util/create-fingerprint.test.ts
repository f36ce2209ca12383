import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { createFingerprint } from './create-fingerprint.js';

describe('createFingerprint', () => {
  it('ignores key order and undefined fields, and tells different settings apart', () => {
    const a = createFingerprint({ quality: 'low', style: { size: 2, tone: 'warm' } }, 'defaults');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(
      createFingerprint(
        { style: { tone: 'warm', size: 2 }, quality: 'low', x: undefined },
        'defaults',
      ),
    ).toBe(a);
    expect(
      createFingerprint({ quality: 'high', style: { size: 2, tone: 'warm' } }, 'defaults'),
    ).not.toBe(a);
  });

  it('refuses what is not plain data with a ValidationError naming the subject', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [{ f: () => 1 }, { n: Number.NaN }, { b: 1n }, cycle, new Map()]) {
      expect(() => createFingerprint(value, 'Pet Studio defaults')).toThrow(ValidationError);
      expect(() => createFingerprint(value, 'Pet Studio defaults')).toThrow(
        'Expected Pet Studio defaults to hold only plain data',
      );
    }
  });
});
