import { describe, expect, it } from 'vitest';
import { noise } from '../../test/noise.js';
import { linearFromOklab, oklabFromSrgb, unitFromLinear } from '../matte/oklab.js';
import { applyHarmonyTable } from './apply-harmony-table.js';
import { buildHarmonyTable, type HarmonyTransfer, harmonyTransfer } from './harmony-table.js';
import { applyHarmonyTableWasm } from './wasm/apply-harmony-table-wasm.js';
import { harmonyKernel } from './wasm/harmony-kernel-module.js';

const transfer: HarmonyTransfer = harmonyTransfer(
  { mean: [0.6, 0.05, 0.04], spread: [0.1, 0.03, 0.02], weight: 1 },
  { mean: [0.5, -0.02, -0.06], spread: [0.15, 0.02, 0.04], weight: 1 },
  0.8,
  'full',
);

/** The transfer computed exactly for one sRGB colour, unrounded 0..255 channels. */
function exact(red: number, green: number, blue: number): number[] {
  const color = oklabFromSrgb(red, green, blue, { l: 0, a: 0, b: 0 });
  color.l = color.l * transfer.scale[0] + transfer.offset[0];
  color.a = color.a * transfer.scale[1] + transfer.offset[1];
  color.b = color.b * transfer.scale[2] + transfer.offset[2];
  const linear = new Float64Array(3);
  linearFromOklab(color, linear);
  return [...linear].map((channel) => unitFromLinear(channel) * 255);
}

function pixels(count: number, seed: number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(noise(count * 4, seed));
  for (let index = 3; index < data.length; index += 16) data[index] = 0;
  return data;
}

describe('applyHarmonyTable', () => {
  it('stays close to the exact per-pixel transfer and keeps alpha', () => {
    const table = buildHarmonyTable(transfer);
    const input = pixels(20_000, 7);
    const output = input.slice();
    applyHarmonyTable(table, new Uint32Array(output.buffer), 0, output.length / 4, true);
    let total = 0;
    let far = 0;
    let count = 0;
    for (let at = 0; at < input.length; at += 4) {
      expect(output[at + 3]).toBe(input[at + 3]);
      if (input[at + 3] === 0) {
        expect([...output.subarray(at, at + 3)]).toEqual([...input.subarray(at, at + 3)]);
        continue;
      }
      const expected = exact(input[at]!, input[at + 1]!, input[at + 2]!);
      for (let channel = 0; channel < 3; channel++) {
        const error = Math.abs(output[at + channel]! - expected[channel]!);
        total += error;
        if (error > 2) far++;
        count++;
      }
    }
    // Off by the rounding on average; more only where the map clips at the gamut's edge,
    // which a 33³ grid does not follow exactly (as with the float tables before).
    expect(total / count).toBeGreaterThan(0);
    expect(total / count).toBeLessThan(0.5);
    expect(far / count).toBeLessThan(0.02);
  });

  it('gives the same bytes whatever the split of the pixels and in either byte order', () => {
    const table = buildHarmonyTable(transfer);
    const input = pixels(10_000, 8);
    const whole = input.slice();
    applyHarmonyTable(table, new Uint32Array(whole.buffer), 0, 10_000, true);
    const split = input.slice();
    const words = new Uint32Array(split.buffer);
    for (const [start, end] of [
      [0, 1234],
      [1234, 1235],
      [1235, 10_000],
    ] as const) {
      applyHarmonyTable(table, words, start, end, true);
    }
    expect(split).toEqual(whole);
    // Big-endian words: red is the high byte, alpha the low one.
    const swapped = new Uint32Array(new Uint32Array(input.buffer.slice(0)).map(swap));
    applyHarmonyTable(table, swapped, 0, 10_000, false);
    expect(new Uint8ClampedArray(swapped.map(swap).buffer)).toEqual(whole);
  });
});

function swap(word: number): number {
  return ((word >>> 24) | ((word >>> 8) & 0xff00) | ((word << 8) & 0xff0000) | (word << 24)) >>> 0;
}

describe('applyHarmonyTableWasm', () => {
  it('gives the bytes of the JavaScript loop, ties between fractions included', () => {
    const kernel = harmonyKernel();
    expect(kernel).not.toBeNull();
    const table = buildHarmonyTable(transfer);
    // Noise, then every grey and every colour with two equal channels (fractions tied).
    const input = pixels(150_000, 9);
    for (let value = 0; value < 256; value++) {
      input.set([value, value, value, 255], 4 * value);
      input.set([value, value, 255 - value, 200], 4 * (256 + value));
      input.set([value, 255 - value, value, 255], 4 * (512 + value));
      input.set([255 - value, value, value, 1], 4 * (768 + value));
    }
    const expected = input.slice();
    applyHarmonyTable(table, new Uint32Array(expected.buffer), 0, 150_000, true);
    const output = input.slice();
    applyHarmonyTableWasm(kernel!, table, output, output, 0, 150_000);
    // Read from one array, written to another: the same bytes.
    const copied = new Uint8ClampedArray(input.length);
    applyHarmonyTableWasm(kernel!, table, input, copied, 0, 150_000);
    expect(Buffer.from(copied).equals(Buffer.from(expected))).toBe(true);
    expect(Buffer.from(output).equals(Buffer.from(expected))).toBe(true);
    // A part only, across the 65536-pixel staging chunks.
    const part = input.slice();
    applyHarmonyTableWasm(kernel!, table, part, part, 1000, 140_000);
    expect(
      Buffer.from(part.subarray(4000, 560_000)).equals(
        Buffer.from(expected.subarray(4000, 560_000)),
      ),
    ).toBe(true);
    expect(Buffer.from(part.subarray(0, 4000)).equals(Buffer.from(input.subarray(0, 4000)))).toBe(
      true,
    );
  });
});
