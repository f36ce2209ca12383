import { ValidationError } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { noise } from '../../test/noise.js';
import type { Raster } from '../raster.js';
import { colorStatistics } from './color-statistics.js';
import { harmonizeLayers, harmonizeLayersSync } from './harmonize-layers.js';
import { sharedColorStatistics } from './harmonize-shared.js';
import { harmonyWorkerPool } from './share-harmony-bands.js';

/** A noisy layer large enough for the worker path, with transparent and half-opaque pixels. */
function layer(width: number, height: number, seed: number, tint: number): Raster {
  const data = noise(width * height * 4, seed);
  for (let at = 0; at < data.length; at += 4) {
    data[at] = (data[at]! >> 1) + tint;
    if (at % 28 === 0) data[at + 3] = 0;
    else if (at % 12 === 0) data[at + 3] = 128;
    else data[at + 3] = 255;
  }
  return { width, height, data };
}

/** Whether two rasters have the same bytes (a deep `toEqual` is slow on megabytes). */
const same = (first: Raster, second: Raster) =>
  Buffer.from(first.data.buffer, first.data.byteOffset, first.data.length).equals(
    Buffer.from(second.data.buffer, second.data.byteOffset, second.data.length),
  );

describe('harmonizeLayers on worker threads', () => {
  it('gives the same bytes as on the calling thread, run after run', async () => {
    const entries = [
      {
        layer: { id: 'hero', harmonize: { to: 'scene', amount: 0.8 } },
        raster: layer(700, 500, 1, 0),
      },
      {
        layer: { id: 'glow', harmonize: { to: 'hero', mode: 'white-balance' as const } },
        raster: layer(640, 480, 2, 60),
      },
      { layer: { id: 'scene' }, raster: layer(800, 600, 3, 120) },
    ];
    const sync = harmonizeLayersSync(entries);
    const threaded = await harmonizeLayers(entries, undefined, { threads: 3 });
    const again = await harmonizeLayers(entries, undefined, { threads: 2 });
    expect(threaded[2]).toBe(entries[2]!.raster);
    expect(harmonyWorkerPool().available).toBe(true);
    for (const index of [0, 1]) {
      expect(threaded[index]!.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(same(threaded[index]!, entries[index]!.raster)).toBe(false);
      expect(same(threaded[index]!, sync[index]!)).toBe(true);
      expect(same(again[index]!, sync[index]!)).toBe(true);
    }
  });

  it('computes exactly the statistics of the calling thread', async () => {
    const raster = layer(1500, 1100, 4, 30);
    const data = new Uint8ClampedArray(new SharedArrayBuffer(raster.data.length));
    data.set(raster.data);
    expect(await sharedColorStatistics({ ...raster, data }, 2)).toEqual(colorStatistics(raster));
  });

  it('rejects a malformed raster with a ValidationError', async () => {
    const entries = [
      { layer: { id: 'hero', harmonize: { to: 'scene' } }, raster: layer(700, 500, 1, 0) },
      {
        layer: { id: 'scene' },
        raster: { width: 800, height: 600, data: new Uint8ClampedArray(3) },
      },
    ];
    await expect(harmonizeLayers(entries, undefined, { threads: 2 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('rejects a bad thread count', async () => {
    await expect(harmonizeLayers([], undefined, { threads: 0 })).rejects.toThrow(
      'Expected `threads` to be an integer from 1 to 256, got `0` (number)',
    );
  });
});
