// A Redis restart in the middle of a batch, with workers in separate processes and a Redis
// server the test owns (so it can stop and start it on the same port).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Composition, RenderManyItem } from '@layerloom/core';
import { createRecordingCompositor } from '@layerloom/core/testing';
import {
  createQueueRunner,
  fileBlobStore,
  type QueueRunner,
  queueNameOf,
  startWorker,
  toRedisOptions,
} from '@layerloom/queue-bullmq';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeHttpProvider,
  type FakeProviderServer,
  startFakeProviderServer,
} from '../test/fake-provider-server.js';
import { type SpawnedWorker, spawnWorker } from '../test/spawn-worker.js';
import {
  type RedisPersistence,
  type RestartableRedis,
  redisServerUnavailableReason,
  startRestartableRedis,
} from '../test/test-redis.js';

const compositions = 10;
const layersPerComposition = 4;
const latencyMs = 300;
/** Longer than the workers' lock (2000 ms in worker-entry.ts): every lock held at the stop expires. */
const downtimeMs = 2500;
/** Cluster-wide calls in flight per provider: below the 2 workers × 2 slots they have. */
const limits = { A: { concurrency: 3 }, B: { concurrency: 3 } };

const compositionOf = (index: number, tag: string): Composition => ({
  width: 32,
  height: 32,
  seed: index + 1,
  layers: Array.from({ length: layersPerComposition }, (_, layer) => ({
    id: `l${layer}`,
    prompt: `${tag}-c${index}-l${layer}`,
    provider: layer % 2 === 0 ? 'A' : 'B',
  })),
});

const sum = (values: Record<string, number>) =>
  Object.values(values).reduce((total, value) => total + value, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(redisServerUnavailableReason() !== undefined)(
  'a Redis restart during a batch (workers in separate processes)',
  () => {
    let fake: FakeProviderServer;
    let directory: string;
    const servers: RestartableRedis[] = [];
    const workers: SpawnedWorker[] = [];
    const runners: QueueRunner[] = [];
    beforeAll(async () => {
      fake = await startFakeProviderServer();
      directory = await mkdtemp(join(tmpdir(), 'layerloom-restart-'));
    });
    afterAll(async () => {
      await Promise.allSettled(runners.map((runner) => runner.close()));
      await Promise.allSettled(workers.map((worker) => worker.stop()));
      await Promise.allSettled(servers.map((server) => server.close()));
      await fake?.close();
      if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    });

    /**
     * Renders a batch on 2 worker processes and restarts Redis once some layers are finished,
     * some are in flight and most still wait in the queues. While Redis is down, the calls in
     * flight finish (their checkpoints reach the blob store); the provider's counts at that point
     * are the layers finished before the restart.
     */
    async function batchAcrossRestart(persistence: RedisPersistence) {
      fake.reset();
      const redis = await startRestartableRedis(persistence);
      servers.push(redis);
      const prefix = `restart-${persistence}`;
      const blobDirectory = join(directory, prefix);
      const config = {
        redisUrl: redis.url,
        prefix,
        blobDirectory,
        fakeUrl: fake.url,
        latencyMs,
        aliases: ['A', 'B'],
        limits,
        concurrency: 2,
      };
      const spawned = await Promise.all([spawnWorker(config), spawnWorker(config)]);
      workers.push(...spawned);
      const runner = createQueueRunner({
        connection: redis.url,
        prefix,
        blobStore: fileBlobStore(blobDirectory),
        providers: {
          A: createFakeHttpProvider(fake.url, 'a', latencyMs),
          B: createFakeHttpProvider(fake.url, 'b', latencyMs),
        },
        compositor: createRecordingCompositor(),
        limits,
        pollIntervalMs: 500,
      });
      runners.push(runner);
      const batch = (async () => {
        const items: RenderManyItem[] = [];
        for await (const item of runner.renderMany(
          Array.from({ length: compositions }, (_, index) => compositionOf(index, persistence)),
          { concurrency: compositions },
        )) {
          items.push(item);
        }
        return items;
      })();
      batch.catch(() => {});

      // 3 calls per alias at a time: once the first round is done and the second is in flight,
      // pull the plug.
      const midBatch = () => {
        const { calls, inFlight } = fake.stats();
        return sum(calls) - sum(inFlight) >= 6 && sum(inFlight) > 0;
      };
      await expect.poll(midBatch, { timeout: 30_000, interval: 10 }).toBe(true);
      const probe = new Redis(redis.url);
      probe.on('error', () => {});
      await probe.set(`${prefix}:probe`, '1');
      const inFlightAtStop = sum(fake.stats().inFlight);
      const stoppedAt = Date.now();
      await redis.stop();
      await expect
        .poll(() => sum(fake.stats().inFlight), { timeout: 30_000, interval: 20 })
        .toBe(0);
      const before = fake.stats().prompts;
      await sleep(Math.max(0, downtimeMs - (Date.now() - stoppedAt)));
      await redis.start();
      const keptState = (await probe.exists(`${prefix}:probe`)) === 1;
      probe.disconnect();

      const items = await batch;
      const { prompts: after, maxInFlight } = fake.stats();
      const client = new Redis(redis.url);
      let jobKeys: string[];
      try {
        // Flow job ids: `<40 hex flow id>.<C | S.n | L.<layer>.n>`.
        jobKeys = (await client.keys(`${prefix}:*`)).filter((key) =>
          /:[0-9a-f]{40}\.(?:C|S\.\d+|L\.[A-Za-z0-9_-]+\.\d+)(:.*)?$/.test(key),
        );
      } finally {
        client.disconnect();
      }
      await runner.close();
      await Promise.all(spawned.map((worker) => worker.stop()));
      await redis.close();
      return { items, before, after, maxInFlight, jobKeys, inFlightAtStop, keptState };
    }

    /** What must hold whatever the persistence: 0 lost, no second call for finished layers. */
    function expectRecovered(
      persistence: RedisPersistence,
      outcome: Awaited<ReturnType<typeof batchAcrossRestart>>,
    ) {
      const { items, before, after, maxInFlight, jobKeys, inFlightAtStop, keptState } = outcome;
      // With AOF Redis came back with its state; without persistence it came back empty.
      expect(keptState).toBe(persistence === 'aof');
      const failures = items.flatMap((item) => (item.ok ? [] : [item.error.code]));
      expect(failures).toEqual([]);
      expect(items).toHaveLength(compositions);
      for (const item of items) {
        if (item.ok) expect(item.result.layers).toHaveLength(layersPerComposition);
      }
      // Every layer was painted…
      const expected = Array.from({ length: compositions }, (_, index) =>
        compositionOf(index, persistence).layers.map((layer) => layer.prompt),
      ).flat();
      expect(Object.keys(after).sort()).toEqual(expected.sort());
      // …the restart happened mid-batch: calls were in flight, some layers were done, most not…
      expect(inFlightAtStop).toBeGreaterThan(0);
      expect(Object.keys(before).length).toBeGreaterThanOrEqual(6);
      expect(Object.keys(before).length).toBeLessThan(compositions * layersPerComposition);
      // …no layer finished before Redis came back (including those in flight at the stop) was
      // paid for again…
      for (const [prompt, calls] of Object.entries(before)) {
        expect(calls, prompt).toBe(1);
        expect(after[prompt], prompt).toBe(1);
      }
      // …nor was any other layer: a job a worker had taken before the stop but not yet called
      // is called only by whoever holds it once Redis is back (the worker checks its lock)…
      for (const [prompt, calls] of Object.entries(after)) {
        expect(calls, prompt).toBe(1);
      }
      // …the cluster-wide per-provider limit held across the restart…
      expect(maxInFlight.a).toBeLessThanOrEqual(limits.A.concurrency);
      expect(maxInFlight.b).toBeLessThanOrEqual(limits.B.concurrency);
      // …and finished jobs were cleaned up.
      expect(jobKeys).toEqual([]);
    }

    it('with AOF persistence (production): the batch completes, 0 lost, no second call for finished layers', async () => {
      expectRecovered('aof', await batchAcrossRestart('aof'));
    }, 120_000);

    it('without persistence (state lost): lost jobs are queued again, the batch completes', async () => {
      expectRecovered('none', await batchAcrossRestart('none'));
    }, 120_000);

    it('workers set the cluster-wide limits again once a Redis without persistence is back', async () => {
      const redis = await startRestartableRedis('none');
      servers.push(redis);
      const prefix = 'restart-limits';
      const worker = await startWorker({
        connection: redis.url,
        prefix,
        blobStore: fileBlobStore(join(directory, prefix)),
        providers: { A: createFakeHttpProvider(fake.url, 'a', latencyMs) },
        compositor: createRecordingCompositor(),
        limits: { A: { concurrency: 3, requestsPerMinute: 600 } },
      });
      const queue = new Queue(queueNameOf('A'), { connection: toRedisOptions(redis.url), prefix });
      queue.on('error', () => {});
      const client = new Redis(redis.url);
      client.on('error', () => {});
      try {
        expect(await queue.getGlobalConcurrency()).toBe(3);
        await client.set(`${prefix}:probe`, '1');
        await redis.stop();
        await redis.start();
        // The restart wiped Redis…
        expect(await client.exists(`${prefix}:probe`)).toBe(0);
        // …and the worker, on reconnecting, wrote its limits again.
        await expect
          .poll(() => queue.getGlobalConcurrency(), { timeout: 20_000, interval: 100 })
          .toBe(3);
        expect(await queue.getGlobalRateLimit()).toEqual({ max: 600, duration: 60_000 });
      } finally {
        client.disconnect();
        await queue.close();
        await worker.close({ force: true });
        await redis.close();
      }
    }, 60_000);
  },
);
