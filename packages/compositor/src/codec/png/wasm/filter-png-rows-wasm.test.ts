import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { noiseGenerator } from '../../../../test/noise.js';
import { adler32 } from '../adler32.js';
import { encodePngChunks, type PngChunksJob } from '../encode-png-chunks.js';
import { filterPngRows } from '../filter-png-rows.js';
import { deflatePngChunk } from './deflate-png-chunk.js';
import { filterPngRowsWasm } from './filter-png-rows-wasm.js';
import { type PngEncoderKernel, pngEncoderKernel } from './png-encoder-kernel-module.js';

const next = noiseGenerator(5);

const kernel = pngEncoderKernel() as PngEncoderKernel;

/** An image whose rows favour different filters: noise, horizontal and vertical ramps, flat. */
function image(width: number, height: number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const kind = (y * 7 + width) % 4;
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      for (let channel = 0; channel < 4; channel++) {
        data[at + channel] =
          kind === 0
            ? (next() * 256) | 0
            : kind === 1
              ? (x * 3 + channel * 40) & 255
              : kind === 2
                ? (y * 5 + channel * 9 + (next() < 0.1 ? 1 : 0)) & 255
                : 128;
      }
    }
  }
  return data;
}

describe('filterPngRowsWasm', () => {
  it('gives filterPngRows’ bytes (None, Sub, Up) and adler32’s checksum, at any width and split', () => {
    const seen = new Set<number>();
    for (const width of [1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 33, 64, 100, 333]) {
      for (const height of [1, 2, 9]) {
        const data = image(width, height);
        const stride = width * 4 + 1;
        for (const [from, to] of [
          [0, height],
          [0, 1],
          [1, height],
          [Math.floor(height / 2), height],
        ] as const) {
          if (from >= to) continue;
          const expected = new Uint8Array((to - from) * stride);
          filterPngRows(data, width, from, to, false, expected);
          const got = filterPngRowsWasm(kernel, data, width, from, to);
          expect(
            Buffer.from(got.rows).equals(expected),
            `${width}×${height} rows ${from}–${to}`,
          ).toBe(true);
          expect(got.adler).toBe(adler32(expected));
          for (let row = 0; row < to - from; row++) seen.add(expected[row * stride]!);
        }
      }
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('sums long runs as adler32 does (past its 2048-block reductions)', () => {
    const width = 9000;
    const data = new Uint8ClampedArray(width * 4 * 3).fill(255);
    for (let at = 0; at < data.length; at += 7) data[at] = (next() * 256) | 0;
    const got = filterPngRowsWasm(kernel, data, width, 0, 3);
    expect(got.adler).toBe(adler32(got.rows));
    expect(got.rows.length).toBe(3 * (width * 4 + 1));
  });

  it('makes the same PNG chunks as the JavaScript filter (zlib compressing, level 2)', () => {
    const width = 300;
    const height = 97;
    const data = image(width, height);
    const job = (): PngChunksJob => ({
      data,
      width,
      height,
      chunkRows: 10,
      allFilters: false,
      level: 2,
      strategy: zlib.constants.Z_DEFAULT_STRATEGY,
      counter: new Int32Array(1),
    });
    const plain = encodePngChunks(job(), zlib, filterPngRows, adler32, null);
    const fast = encodePngChunks(job(), zlib, filterPngRows, adler32, {
      kernel,
      filter: filterPngRowsWasm,
      deflate: deflatePngChunk,
    });
    expect(fast).toHaveLength(10);
    expect(fast).toEqual(plain);
  });
});
