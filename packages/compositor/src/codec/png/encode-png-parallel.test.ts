import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { BandWorkerPool } from '../../blend/band-worker-pool.js';
import type { Raster } from '../../raster.js';
import { adler32, adler32Combine } from './adler32.js';
import { crc32 } from './crc32.js';
import type { PngChunk, PngChunksJob } from './encode-png-chunks.js';
import { encodePngParallel } from './encode-png-parallel.js';
import { filterPngRows } from './filter-png-rows.js';

/** Smooth gradients, flat areas and noise, with partial alpha: every filter gets chosen. */
function picture(width: number, height: number, seed: number): Raster {
  const data = new Uint8ClampedArray(width * height * 4);
  let state = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1_103_515_245 + 12_345) >>> 0;
      const index = (y * width + x) * 4;
      const noisy = y % 37 < 9;
      data[index] = noisy ? state >>> 24 : (x * 3) & 255;
      data[index + 1] = noisy ? (state >>> 16) & 255 : (y * 5) & 255;
      data[index + 2] = x < width / 3 ? 40 : (x + y) & 255;
      data[index + 3] = y < height / 2 ? 255 : (x * 7 + y) & 255;
    }
  }
  return { width, height, data };
}

async function sharpPixels(
  png: Uint8Array,
): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(4);
  return { data, width: info.width, height: info.height };
}

const pools: BandWorkerPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

describe('encodePngParallel', () => {
  it('writes PNGs that sharp decodes to the same pixels, byte for byte, at every level', async () => {
    const pool = new BandWorkerPool();
    pools.push(pool);
    const raster = picture(301, 203, 7);
    for (let level = 0; level <= 9; level++) {
      const png = await encodePngParallel(raster, { compressionLevel: level, threads: 1, pool });
      const decoded = await sharpPixels(png);
      expect([decoded.width, decoded.height]).toEqual([301, 203]);
      expect(decoded.data.equals(Buffer.from(raster.data.buffer))).toBe(true);
    }
  });

  it('gives the same bytes on worker threads as on the calling thread alone', async () => {
    let fromWorkers = 0;
    const pool = new (class extends BandWorkerPool {
      override async encodePng(index: number, job: PngChunksJob): Promise<PngChunk[]> {
        const chunks = await super.encodePng(index, job);
        fromWorkers += chunks.length;
        return chunks;
      }
    })();
    pools.push(pool);
    // 1024 × 700 is above the size shared with workers, and cuts into 6 chunks.
    const raster = picture(1024, 700, 11);
    const alone = await encodePngParallel(raster, { threads: 1, pool });
    // Again until the workers (started by the first call) take chunks: the calling thread may
    // finish all six before a worker is ready.
    let again = alone;
    for (let round = 0; round < 20 && fromWorkers === 0; round++) {
      again = await encodePngParallel(raster, { threads: 3, pool });
      expect(Buffer.from(again).equals(Buffer.from(alone))).toBe(true);
    }
    expect(fromWorkers).toBeGreaterThan(0);
    const decoded = await sharpPixels(again);
    expect(decoded.data.equals(Buffer.from(raster.data.buffer))).toBe(true);
    // One zlib stream whose trailer checks out: inflate it whole, as a strict reader would.
    const idat = Buffer.from(again.subarray(41, again.length - 16));
    const rows = inflateSync(idat);
    expect(rows.length).toBe(700 * (1024 * 4 + 1));
  });

  it('still encodes when the workers cannot start', async () => {
    const pool = new BandWorkerPool('throw new Error("no worker here")');
    pools.push(pool);
    const raster = picture(1024, 600, 3);
    const png = await encodePngParallel(raster, { threads: 2, pool });
    expect((await sharpPixels(png)).data.equals(Buffer.from(raster.data.buffer))).toBe(true);
  });

  it('redoes on the calling thread the chunks of a worker that died holding them', async () => {
    // A worker that answers its first PNG job with nothing, then claims two chunks and dies.
    const pool = new BandWorkerPool(`
      const { parentPort } = require('node:worker_threads');
      let jobs = 0;
      parentPort.on('message', (message) => {
        if (!message.png) return;
        if (jobs++ === 0) parentPort.postMessage({ id: message.id, chunks: [] });
        else {
          Atomics.add(message.png.counter, 0, 2);
          process.exit(3);
        }
      });`);
    pools.push(pool);
    const raster = picture(2048, 1024, 13);
    const alone = await encodePngParallel(raster, { threads: 1, pool });
    // Starts the worker (the calling thread does every chunk meanwhile).
    expect(
      Buffer.from(await encodePngParallel(raster, { threads: 2, pool })).equals(Buffer.from(alone)),
    ).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The started worker claims its two chunks as soon as the job arrives, well within the
    // calling thread's first chunk (512 KiB to filter and compress), then dies.
    const redone = await encodePngParallel(raster, { threads: 2, pool });
    expect(Buffer.from(redone).equals(Buffer.from(alone))).toBe(true);
  });

  it('compresses: level 9 is smaller than level 1, and both beat storing', async () => {
    const pool = new BandWorkerPool();
    pools.push(pool);
    const raster = picture(400, 300, 5);
    const sizes = await Promise.all(
      [0, 1, 9].map(
        async (level) =>
          (await encodePngParallel(raster, { compressionLevel: level, threads: 1, pool })).length,
      ),
    );
    expect(sizes[1]).toBeLessThan(sizes[0]!);
    expect(sizes[2]).toBeLessThan(sizes[1]!);
    // Transparent areas are runs at the fast level: a clear 1024² image takes a few KiB.
    const clear = { width: 1024, height: 1024, data: new Uint8ClampedArray(1024 * 1024 * 4) };
    const png = await encodePngParallel(clear, { threads: 2, pool });
    expect(png.length).toBeLessThan(64 * 1024);
    expect((await sharpPixels(png)).data.equals(Buffer.from(clear.data.buffer))).toBe(true);
  });
});

describe('the encoder parts', () => {
  it('combines Adler-32 checksums as if computed over the joined bytes', () => {
    const bytes = picture(300, 40, 9).data as unknown as Uint8Array;
    const whole = adler32(new Uint8Array(bytes.buffer));
    for (const cut of [0, 1, 5551, 5552, 20_000, bytes.length]) {
      const first = adler32(new Uint8Array(bytes.buffer, 0, cut));
      const second = adler32(new Uint8Array(bytes.buffer, cut));
      expect(adler32Combine(first, second, bytes.length - cut)).toBe(whole);
    }
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
  });

  it('computes the CRC-32 of PNG chunks, in pieces too', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)))).toBe(0xcbf43926);
  });

  it('picks a filter per row by the smallest sum of magnitudes', () => {
    // Row 0: a ramp (Sub wins); row 1: the same ramp (Up wins: all zeros).
    const width = 8;
    const data = new Uint8Array(width * 4 * 2);
    for (let index = 0; index < width * 4; index++) {
      data[index] = index * 10;
      data[width * 4 + index] = index * 10;
    }
    const output = new Uint8Array(2 * (width * 4 + 1));
    filterPngRows(data, width, 0, 2, false, output);
    expect(output[0]).toBe(1);
    expect(output[width * 4 + 1]).toBe(2);
    expect([...output.subarray(width * 4 + 2)].every((byte) => byte === 0)).toBe(true);
    filterPngRows(data, width, 0, 2, true, output);
    expect([output[0], output[width * 4 + 1]]).toEqual([1, 2]);
  });
});
