import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Composition } from '@layerloom/core';
import {
  createQueueRunner,
  fileBlobStore,
  type QueueRunner,
  toRedisOptions,
} from '@layerloom/queue-bullmq';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeHttpProvider,
  type FakeProviderServer,
  startFakeProviderServer,
} from '../test/fake-provider-server.js';
import { type SpawnedWorker, spawnWorker } from '../test/spawn-worker.js';
import { redisUnavailableReason, startTestRedis, type TestRedis } from '../test/test-redis.js';
import { unfinishedJobs } from '../test/unfinished-jobs.js';

const layersOf = (index: number, tag: string): Composition => ({
  width: 32,
  height: 32,
  seed: index + 1,
  layers: [
    { id: 'a1', prompt: `${tag}-${index}-a1`, provider: 'A' },
    { id: 'b1', prompt: `${tag}-${index}-b1`, provider: 'B' },
    { id: 'b2', prompt: `${tag}-${index}-b2`, provider: 'B' },
  ],
});

describe.skipIf(redisUnavailableReason() !== undefined)('workers in separate processes', () => {
  let redis: TestRedis;
  let fake: FakeProviderServer;
  let directory: string;
  let run = 0;
  const workers: SpawnedWorker[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
    fake = await startFakeProviderServer();
    directory = await mkdtemp(join(tmpdir(), 'layerloom-distributed-'));
  });
  afterAll(async () => {
    await Promise.allSettled(workers.map((worker) => worker.stop()));
    await fake.close();
    await redis.stop();
    await rm(directory, { recursive: true, force: true });
  });

  async function setup(count: number, latencyMs: number, limits: Record<string, object>) {
    run += 1;
    fake.reset();
    const prefix = `d${process.pid}r${run}`;
    const blobDirectory = join(directory, prefix);
    const config = {
      redisUrl: redis.url,
      prefix,
      blobDirectory,
      fakeUrl: fake.url,
      latencyMs,
      aliases: ['A', 'B'],
      limits,
      concurrency: 4,
    };
    const spawned = await Promise.all(Array.from({ length: count }, () => spawnWorker(config)));
    workers.push(...spawned);
    const providers = {
      A: createFakeHttpProvider(fake.url, 'a', latencyMs),
      B: createFakeHttpProvider(fake.url, 'b', latencyMs),
    };
    const runner: QueueRunner = createQueueRunner({
      connection: redis.url,
      prefix,
      blobStore: fileBlobStore(blobDirectory),
      providers,
      limits,
      pollIntervalMs: 500,
    });
    return { runner, spawned, prefix };
  }

  it('holds a per-provider concurrency limit across 2 workers (counted at the provider)', async () => {
    const { runner, spawned } = await setup(2, 150, {
      A: { concurrency: 3 },
      B: { concurrency: 2 },
    });
    try {
      const results = [];
      for await (const item of runner.renderMany(
        Array.from({ length: 6 }, (_, index) => layersOf(index, 'limit')),
        { concurrency: 6 },
      )) {
        results.push(item);
      }
      expect(results.filter((item) => item.ok)).toHaveLength(6);
      const stats = fake.stats();
      expect(stats.calls).toEqual({ a: 6, b: 12 });
      expect(stats.maxInFlight.b).toBe(2);
      expect(stats.maxInFlight.a).toBeLessThanOrEqual(3);
    } finally {
      await runner.close();
      await Promise.all(spawned.map((worker) => worker.stop()));
    }
  });

  it('recovers the jobs of a worker killed mid-layer: 0 lost, no second call for finished layers', async () => {
    const { runner, spawned } = await setup(2, 600, {});
    try {
      const renders = Array.from({ length: 3 }, (_, index) =>
        runner.render(layersOf(index, 'kill')),
      );
      // One worker runs at most 7 of the 9 layers at once (3 on A, 4 on B): with 8 in flight,
      // both hold calls. Kill one while its calls are in flight.
      await expect
        .poll(() => (fake.stats().inFlight.a ?? 0) + (fake.stats().inFlight.b ?? 0), {
          timeout: 5000,
          interval: 20,
        })
        .toBeGreaterThanOrEqual(8);
      await spawned[0]!.kill();
      // Calls started before the kill (the dead worker may start one more up to its last moment).
      const startedBeforeKill = { ...fake.stats().prompts };
      const results = await Promise.all(renders);
      expect(results.map((result) => result.layers.length)).toEqual([3, 3, 3]);
      const prompts = fake.stats().prompts;
      expect(Object.keys(prompts)).toHaveLength(9);
      // The killed worker's layers were recovered and painted again by the other worker…
      expect(Object.values(prompts).some((calls) => calls === 2)).toBe(true);
      // …and a layer re-ran only when its first call was cut off by the kill.
      for (const [prompt, calls] of Object.entries(prompts)) {
        expect(calls, prompt).toBeLessThanOrEqual((startedBeforeKill[prompt] ?? 0) + 1);
      }
    } finally {
      await runner.close();
      await Promise.all(spawned.map((worker) => worker.stop()));
    }
  });

  it('cancels a composition across worker processes', async () => {
    const { runner, spawned, prefix } = await setup(2, 5000, {});
    const queues = ['layers-A', 'layers-B', 'compose'].map(
      (name) => new Queue(name, { connection: toRedisOptions(redis.url), prefix }),
    );
    try {
      const controller = new AbortController();
      const pending = runner.render(
        { ...layersOf(0, 'cancel'), style: { prompt: 'cancel-style', provider: 'A' } },
        { signal: controller.signal },
      );
      pending.catch(() => {});
      await expect
        .poll(() => (fake.stats().inFlight.a ?? 0) + (fake.stats().inFlight.b ?? 0), {
          timeout: 5000,
          interval: 20,
        })
        .toBe(3);
      controller.abort();
      await expect(pending).rejects.toMatchObject({ code: 'aborted' });
      await expect
        .poll(() => (fake.stats().inFlight.a ?? 0) + (fake.stats().inFlight.b ?? 0), {
          timeout: 3000,
          interval: 20,
        })
        .toBe(0);
      // The whole flow ended: no job of it waits, runs or waits for children any more.
      await expect.poll(() => unfinishedJobs(queues), { timeout: 3000, interval: 50 }).toBe(0);
      expect(fake.stats().prompts['cancel-style']).toBeUndefined();
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      await runner.close();
      await Promise.all(spawned.map((worker) => worker.stop()));
    }
  });
});
