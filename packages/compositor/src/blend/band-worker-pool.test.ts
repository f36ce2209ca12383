import { AbortError } from '@layerloom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { compositeRasters } from '../composite-rasters.js';
import { compositeRastersSync } from '../composite-rasters-sync.js';
import type { Raster } from '../raster.js';
import { bandInput } from './band-input.js';
import { BandWorkerPool, bandWorkerSource, sharedBandWorkerPool } from './band-worker-pool.js';
import { compositeBand } from './composite-band.js';
import { compositeBandSource } from './composite-band-source.js';
import { compositePrepared } from './composite-prepared.js';
import { planBands, rowCosts } from './plan-bands.js';
import { prepareComposite } from './prepare-composite.js';

function noise(width: number, height: number, seed: number): Raster {
  const data = new Uint8ClampedArray(width * height * 4);
  let state = seed;
  for (let index = 0; index < data.length; index++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    data[index] = state >>> 24;
  }
  return { width, height, data };
}

const base = noise(160, 120, 1);
const layers = [
  { raster: noise(100, 90, 2), left: -20, top: 10, blend: 'soft-light' as const, opacity: 0.7 },
  { raster: noise(80, 140, 3), left: 70, top: -15, blend: 'hue' as const },
  {
    raster: noise(160, 60, 4),
    top: 50,
    mask: noise(160, 60, 5).data.subarray(0, 9600) as unknown as Uint8Array,
  },
];
const expected = compositeRastersSync(base, layers).data;

const pools: BandWorkerPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

describe('worker threads', () => {
  it('run the kernel from its source text and agree with the calling thread byte for byte', async () => {
    const pool = new BandWorkerPool();
    pools.push(pool);
    const composite = prepareComposite(base, layers);
    const result = await compositePrepared(composite, {
      threads: 3,
      threshold: 0,
      callerShare: 1,
      pool,
      signal: undefined,
    });
    expect(pool.available).toBe(true);
    expect(result.data).toEqual(expected);
  });

  it('get the compiled WebAssembly kernel, and run it when asked to', async () => {
    // The entry point checks what the kernel was given, then runs it.
    const checked = (wanted: boolean) =>
      `${compositeBandSource()}
function checkedBand(task) {
  if (Boolean(task.wasm) !== ${wanted}) throw new Error('wasm: ' + Boolean(task.wasm));
  if (task.wasm && typeof task.wasm.normalOpaque !== 'function') throw new Error('no exports');
  ${compositeBand.name}(task);
}`;
    const composite = prepareComposite(base, layers);
    const band = { rowStart: 0, rowEnd: composite.height };
    for (const wasm of [true, false]) {
      const pool = new BandWorkerPool(bandWorkerSource(checked(wasm), 'checkedBand'));
      pools.push(pool);
      const output = await pool.run(0, bandInput(composite, band, true), { wasm });
      expect(output).toEqual(expected);
    }
  });

  it('are used by compositeRasters above the threshold', async () => {
    const result = await compositeRasters(base, layers, { parallelThreshold: 0, threads: 2 });
    expect(sharedBandWorkerPool.available).toBe(true);
    expect(result.data).toEqual(expected);
  });

  it('skip a band the calling thread has claimed, and claim the others before compositing', async () => {
    const pool = new BandWorkerPool();
    pools.push(pool);
    const composite = prepareComposite(base, layers);
    const band = { rowStart: 0, rowEnd: composite.height };
    const claims = new Int32Array(new SharedArrayBuffer(8));
    const progress = new Int32Array(new SharedArrayBuffer(4));
    claims[1] = 2; // taken back by the calling thread
    const output = new Uint8ClampedArray(new SharedArrayBuffer(expected.length));
    const skipped = await pool.run(0, bandInput(composite, band, true), {
      progress,
      output,
      claim: { claims, band: 1 },
    });
    expect(skipped).toBeNull();
    expect(output.every((byte) => byte === 0)).toBe(true);
    const done = await pool.run(0, bandInput(composite, band, true), {
      progress,
      output,
      claim: { claims, band: 0 },
    });
    expect(done).not.toBeNull();
    expect(output).toEqual(expected);
    expect([...claims]).toEqual([1, 2]);
    expect(progress[0]).toBe(2);
  });

  it('leave the bands a slow worker has not started to the calling thread', async () => {
    // Each band waits 300 ms in the worker before compositing.
    const slow = `${compositeBandSource()}
function slowBand(task) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  ${compositeBand.name}(task);
}`;
    const pool = new BandWorkerPool(bandWorkerSource(slow, 'slowBand'));
    pools.push(pool);
    const bigBase = noise(1200, 1000, 6);
    const bigLayers = [{ raster: noise(1200, 1000, 7), blend: 'multiply' as const, opacity: 0.5 }];
    const answers: (Uint8ClampedArray | null)[] = [];
    const run = pool.run.bind(pool);
    pool.run = (...args) =>
      run(...args).then((bytes) => {
        answers.push(bytes);
        return bytes;
      });
    const result = await compositePrepared(prepareComposite(bigBase, bigLayers), {
      threads: 2,
      threshold: 0,
      pool,
      signal: undefined,
    });
    const same = Buffer.from(result.data).equals(
      Buffer.from(compositeRastersSync(bigBase, bigLayers).data),
    );
    expect(same).toBe(true);
    expect(answers.length).toBeGreaterThan(1);
    expect(answers.filter((bytes) => bytes === null).length).toBeGreaterThanOrEqual(1);
  });

  it('fall back to the calling thread when a worker cannot start, and stop being offered', async () => {
    const pool = new BandWorkerPool(bandWorkerSource('this is not javascript', 'nothing'));
    pools.push(pool);
    const composite = prepareComposite(base, layers);
    const plan = { threads: 2, threshold: 0, callerShare: 1, pool, signal: undefined };
    expect((await compositePrepared(composite, plan)).data).toEqual(expected);
    expect(pool.available).toBe(false);
    expect((await compositePrepared(composite, plan)).data).toEqual(expected);
  });

  it('fall back when the kernel fails in the worker', async () => {
    const pool = new BandWorkerPool(
      bandWorkerSource('function broken() { throw new Error("x"); }', 'broken'),
    );
    pools.push(pool);
    const composite = prepareComposite(base, layers);
    const result = await compositePrepared(composite, {
      threads: 2,
      threshold: 0,
      callerShare: 1,
      pool,
      signal: undefined,
    });
    expect(result.data).toEqual(expected);
  });

  it('stay unused below the threshold', async () => {
    const pool = new BandWorkerPool(bandWorkerSource('throw new Error("must not start")', 'x'));
    const composite = prepareComposite(base, layers);
    await compositePrepared(composite, {
      threads: 2,
      threshold: 1e12,
      callerShare: 1,
      pool,
      signal: undefined,
    });
    expect(pool.available).toBe(true);
  });

  it('reject with an AbortError when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      compositeRasters(base, layers, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    const later = new AbortController();
    const running = compositeRasters(base, layers, { signal: later.signal, parallelThreshold: 0 });
    later.abort();
    await expect(running).rejects.toBeInstanceOf(AbortError);
  });

  it('reject only once no worker writes into a given output any more', async () => {
    // A larger canvas, so that a worker is still compositing a band when the calling thread
    // is done with its own and the abort arrives.
    const big = noise(768, 768, 6);
    const over = [
      { raster: noise(700, 700, 7), left: 30, top: 20, blend: 'soft-light' as const },
      { raster: noise(768, 400, 8), top: 300, blend: 'hue' as const, opacity: 0.8 },
    ];
    for (let round = 0; round < 5; round++) {
      const output = new Uint8ClampedArray(new SharedArrayBuffer(768 * 768 * 4));
      const controller = new AbortController();
      // Aborted as soon as the calling thread, done with its own bands, waits for the workers'.
      queueMicrotask(() => controller.abort());
      const running = compositeRasters(big, over, {
        signal: controller.signal,
        parallelThreshold: 0,
        threads: 2,
        output,
      });
      await expect(running).rejects.toBeInstanceOf(AbortError);
      const settled = output.slice();
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(Buffer.from(output.buffer).equals(Buffer.from(settled.buffer))).toBe(true);
    }
  });
});

describe('bands', () => {
  it('are cut by estimated cost and cover every row once', () => {
    const composite = prepareComposite(base, layers);
    const costs = rowCosts(composite);
    expect(costs[0]).toBe(160 + 80); // canvas row + the part of the hue layer that shows
    const bands = planBands(costs, [1, 1, 0.5]);
    expect(bands[0]!.rowStart).toBe(0);
    expect(bands.at(-1)!.rowEnd).toBe(120);
    for (let index = 1; index < bands.length; index++) {
      expect(bands[index]!.rowStart).toBe(bands[index - 1]!.rowEnd);
    }
  });
});
