/**
 * The WebAssembly table pass against the JavaScript one, byte for byte: every value of every
 * channel, ties between fractions, transparent and translucent pixels, runs of one colour, and
 * lengths around the kernel's groups of four and the 65536-pixel staging chunks.
 */
import { describe, expect, it } from 'vitest';
import { noise } from '../../../test/noise.js';
import { applyHarmonyTable } from '../apply-harmony-table.js';
import { buildHarmonyTable, harmonyTransfer } from '../harmony-table.js';
import { applyHarmonyTableWasm } from './apply-harmony-table-wasm.js';
import { type HarmonyKernel, harmonyKernel } from './harmony-kernel-module.js';

/** A real transfer: every scale off 1 and every offset off 0. */
const transfer = harmonyTransfer(
  { mean: [0.55, 0.04, -0.03], spread: [0.12, 0.03, 0.05], weight: 1 },
  { mean: [0.68, -0.05, 0.07], spread: [0.2, 0.05, 0.02], weight: 1 },
  0.9,
  'full',
);

/**
 * A table of noise colour entries over the whole range, 0 and 2¹⁵ included, as no transfer
 * makes; the unused entries 0, as {@link buildHarmonyTable} leaves them.
 */
function noiseTable(seed: number): Uint16Array {
  const table = new Uint16Array(buildHarmonyTable(transfer).length);
  const bytes = noise(table.length * 2, seed);
  for (let index = 0; index < table.length; index++) {
    if (index % 4 === 3) continue;
    const value = (bytes[2 * index]! << 8) | bytes[2 * index + 1]!;
    table[index] = value < 4096 ? 0 : value < 8192 ? 32768 : value >> 1;
  }
  return table;
}

/** The JavaScript pass on a copy of `input`, pixels `start` to `end`. */
function expected(
  table: Uint16Array,
  input: Uint8ClampedArray,
  start: number,
  end: number,
): Uint8ClampedArray {
  const output = input.slice();
  applyHarmonyTable(table, new Uint32Array(output.buffer), start, end, true);
  return output;
}

/** The first pixel at which `a` and `b` differ, or -1. */
function firstDifference(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  if (
    Buffer.from(a.buffer, a.byteOffset, a.length).equals(
      Buffer.from(b.buffer, b.byteOffset, b.length),
    )
  ) {
    return -1;
  }
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return at >> 2;
  return a.length >> 2;
}

/** Checks the kernel in place and into another array against the JavaScript pass. */
function expectSameBytes(
  kernel: HarmonyKernel,
  table: Uint16Array,
  input: Uint8ClampedArray,
  start = 0,
  end = input.length / 4,
): void {
  const want = expected(table, input, start, end);
  const inPlace = input.slice();
  applyHarmonyTableWasm(kernel, table, inPlace, inPlace, start, end);
  expect(firstDifference(inPlace, want)).toBe(-1);
  // Into another array: pixels outside start..end are not written at all.
  const other = new Uint8ClampedArray(input.length).fill(77);
  applyHarmonyTableWasm(kernel, table, input, other, start, end);
  const wantOther = new Uint8ClampedArray(input.length).fill(77);
  wantOther.set(want.subarray(start * 4, end * 4), start * 4);
  expect(firstDifference(other, wantOther)).toBe(-1);
}

/** Every pair of values of two channels (the third from noise), each with alpha 255. */
function pairs(first: number, second: number, seed: number): Uint8ClampedArray {
  const data = noise(65536 * 4, seed);
  for (let index = 0; index < 65536; index++) {
    data[4 * index + first] = index >> 8;
    data[4 * index + second] = index & 255;
    data[4 * index + 3] = 255;
  }
  return data;
}

describe('applyHarmonyTableWasm against applyHarmonyTable', () => {
  const kernel = harmonyKernel();
  const tables: [string, Uint16Array][] = [
    ['a transfer', buildHarmonyTable(transfer)],
    ['noise entries', noiseTable(5)],
  ];

  it('has a real transfer and a kernel to test', () => {
    expect(kernel).not.toBeNull();
    for (let channel = 0; channel < 3; channel++) {
      expect(Math.abs(transfer.scale[channel]! - 1)).toBeGreaterThan(0.01);
      expect(Math.abs(transfer.offset[channel]!)).toBeGreaterThan(0.001);
    }
  });

  for (const [name, table] of tables) {
    it(`gives the same bytes for every pair of values of two channels (${name})`, () => {
      for (const [first, second, seed] of [
        [0, 1, 11],
        [1, 2, 12],
        [0, 2, 13],
      ] as const) {
        expectSameBytes(kernel!, table, pairs(first, second, seed));
      }
    });

    it(`gives the same bytes for tied fractions: greys and two equal channels (${name})`, () => {
      // Every (v, v, w), (v, w, v) and (w, v, v): two fractions tied, all three for v = w;
      // the bytes 0 and 255 tie too (fraction 0 at node 0, 255 at node 31).
      const data = new Uint8ClampedArray(3 * 65536 * 4);
      for (let index = 0; index < 65536; index++) {
        const v = index >> 8;
        const w = index & 255;
        data.set([v, v, w, 255], 4 * index);
        data.set([v, w, v, 255], 4 * (65536 + index));
        data.set([w, v, v, 255], 4 * (2 * 65536 + index));
      }
      expectSameBytes(kernel!, table, data);
    });

    it(`gives the same bytes for a million noise pixels, any alpha (${name})`, () => {
      const data = noise(1_000_000 * 4, 21);
      const alphas = noise(1_000_000, 22);
      for (let index = 0; index < 1_000_000; index++) {
        // About 15 % transparent (colour bytes left in), some of alpha 1, 128 and 254.
        const pick = alphas[index]!;
        data[4 * index + 3] =
          pick < 38 ? 0 : pick < 44 ? 1 : pick < 50 ? 128 : pick < 56 ? 254 : pick;
      }
      expectSameBytes(kernel!, table, data);
    });

    it(`leaves transparent pixels whole and gives the same bytes for runs of one colour (${name})`, () => {
      const count = 200_000;
      const data = new Uint8ClampedArray(count * 4);
      const bytes = noise(count * 5, 31);
      let index = 0;
      let at = 0;
      while (index < count) {
        // A run of 1 to 40 of one word, a transparent one every fourth run.
        const length = Math.min(count - index, 1 + (bytes[at++]! % 40));
        const alpha = bytes[at++]! % 4 === 0 ? 0 : 1 + (bytes[at++]! % 255);
        const colour = [bytes[at++]!, bytes[at++]!, bytes[at++]!, alpha];
        for (let run = 0; run < length; run++) data.set(colour, 4 * (index + run));
        index += length;
      }
      expectSameBytes(kernel!, table, data);
      const output = data.slice();
      applyHarmonyTableWasm(kernel!, table, output, output, 0, count);
      let changed = 0;
      for (let at = 0; at < data.length; at += 4) {
        if (data[at + 3] !== 0) continue;
        for (let byte = 0; byte < 4; byte++) if (output[at + byte] !== data[at + byte]) changed++;
      }
      expect(changed).toBe(0);
    });

    it(`gives the same bytes for lengths around groups of four and staging chunks (${name})`, () => {
      const data = noise(80_000 * 4, 41);
      for (let alpha = 3; alpha < data.length; alpha += 28) data[alpha] = 0;
      for (const length of [0, 1, 2, 3, 4, 5, 7, 65535, 65536, 65537, 70001]) {
        for (const start of [0, 3]) {
          expectSameBytes(kernel!, table, data, start, start + length);
        }
      }
    });
  }

  it('leaves the staged pixels after the last one unchanged', () => {
    const table = buildHarmonyTable(transfer);
    // The table laid out by one call, then the kernel run by hand on 1 to 7 staged pixels.
    applyHarmonyTableWasm(kernel!, table, new Uint8ClampedArray(4), new Uint8ClampedArray(4), 0, 1);
    const memory = new Uint8Array(kernel!.memory.buffer);
    const pixels = 327680;
    const staged = noise(11 * 4, 51);
    for (let count = 0; count < 8; count++) {
      memory.set(staged, pixels);
      kernel!.applyTable(pixels, count);
      const want = expected(table, new Uint8ClampedArray(staged), 0, count);
      expect(
        firstDifference(new Uint8ClampedArray(memory.subarray(pixels, pixels + 44)), want),
      ).toBe(-1);
    }
  });
});
