import { describe, expect, it } from 'vitest';
import { BandArena } from './band-arena.js';

describe('BandArena', () => {
  it('reuses each input slot, growing it when a band needs more', () => {
    const arena = new BandArena();
    const first = arena.input(0, 64);
    expect(first.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(arena.input(0, 32).buffer).toBe(first.buffer);
    expect(arena.input(1, 32).buffer).not.toBe(first.buffer);
    const grown = arena.input(0, 128);
    expect(grown.length).toBe(128);
    expect(grown.buffer).not.toBe(first.buffer);
  });
});
