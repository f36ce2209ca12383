// Throughput of compositions × 4 layers against a latency-bound fake provider (200 ms a call)
// with 1, 2 and 3 worker processes (compositing on the workers), and Redis memory once the batch
// is done.
// Usage: npm run bench -w @layerloom/queue-bullmq                 (1,000 compositions, ~4 minutes)
//        LAYERLOOM_BENCH_COMPOSITIONS=120 npm run bench -w @layerloom/queue-bullmq   (a quick run)
//        npx tsx --tsconfig ../../tsconfig.json bench/throughput.bench.ts 120        (same, directly)
// (`scripts/run-benches.mjs` does not forward arguments to the bench, hence the variable.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Composition } from '@layerloom/core';
import { createQueueRunner, fileBlobStore } from '@layerloom/queue-bullmq';
import { Redis } from 'ioredis';
import { createFakeHttpProvider, startFakeProviderServer } from '../test/fake-provider-server.js';
import { type SpawnedWorker, spawnWorker } from '../test/spawn-worker.js';
import { startTestRedis } from '../test/test-redis.js';

const sizeText =
  process.env.LAYERLOOM_BENCH_COMPOSITIONS ??
  process.argv.slice(2).find((value) => /^\d+$/.test(value)) ??
  '1000';
const count = Number(sizeText);
if (!Number.isInteger(count) || count < 1) {
  throw new Error(`LAYERLOOM_BENCH_COMPOSITIONS must be a positive integer, got "${sizeText}"`);
}
const latencyMs = 200;
const perWorkerConcurrency = 4;
const redis = await startTestRedis();
const fake = await startFakeProviderServer();
const directory = await mkdtemp(join(tmpdir(), 'layerloom-bench-'));
const client = new Redis(redis.url);
const rates: number[] = [];
const spawned: SpawnedWorker[] = [];
const usedMemoryMiB = async () =>
  Number((await client.info('memory')).match(/used_memory:(\d+)/)?.[1]) / 1024 / 1024;
try {
  console.log(
    `${count} compositions x 4 layers, ${latencyMs} ms a call, ${perWorkerConcurrency} calls per alias per worker; ` +
      `Redis used_memory before: ${(await usedMemoryMiB()).toFixed(2)} MiB`,
  );
  for (const workerCount of [1, 2, 3]) {
    fake.reset();
    const prefix = `bench${workerCount}`;
    const config = {
      redisUrl: redis.url,
      prefix,
      blobDirectory: join(directory, prefix),
      fakeUrl: fake.url,
      latencyMs,
      aliases: ['A', 'B'],
      concurrency: perWorkerConcurrency,
    };
    const workers = await Promise.all(
      Array.from({ length: workerCount }, () => spawnWorker(config)),
    );
    spawned.push(...workers);
    const runner = createQueueRunner({
      connection: redis.url,
      prefix,
      blobStore: fileBlobStore(config.blobDirectory),
      providers: {
        A: createFakeHttpProvider(fake.url, 'a', latencyMs),
        B: createFakeHttpProvider(fake.url, 'b', latencyMs),
      },
    });
    const inputs = function* (): Generator<Composition> {
      for (let index = 0; index < count; index += 1) {
        yield {
          width: 32,
          height: 32,
          seed: index + 1,
          layers: [0, 1, 2, 3].map((layer) => ({
            id: `l${layer}`,
            prompt: `w${workerCount}-c${index}-l${layer}`,
            provider: layer % 2 === 0 ? 'A' : 'B',
          })),
        };
      }
    };
    const started = performance.now();
    let ok = 0;
    const failures = new Map<string, number>();
    for await (const item of runner.renderMany(inputs(), { concurrency: 64 })) {
      if (item.ok) ok += 1;
      else failures.set(item.error.code, (failures.get(item.error.code) ?? 0) + 1);
    }
    const seconds = (performance.now() - started) / 1000;
    const rate = ok / seconds;
    rates.push(rate);
    await runner.close();
    await Promise.all(workers.map((worker) => worker.stop()));
    const keys = (await client.keys(`${prefix}:*`)).sort();
    // Flow job ids: `<40 hex flow id>.<C | S.n | L.<layer>.n>`.
    const jobKeys = keys.filter((key) =>
      /:[0-9a-f]{40}\.(?:C|S\.\d+|L\.[A-Za-z0-9_-]+\.\d+)(:.*)?$/.test(key),
    );
    const stats = fake.stats();
    const calls = Object.values(stats.calls).reduce((sum, value) => sum + value, 0);
    console.log(
      `${workerCount} worker(s): ${ok}/${count} compositions in ${seconds.toFixed(1)} s = ${rate.toFixed(2)}/s ` +
        `(${calls} provider calls, at most ${JSON.stringify(stats.maxInFlight)} in flight` +
        `${failures.size === 0 ? '' : `; failures ${JSON.stringify(Object.fromEntries(failures))}`}); ` +
        `${jobKeys.length} job keys left, ${keys.length} keys under the prefix; ` +
        `Redis used_memory ${(await usedMemoryMiB()).toFixed(2)} MiB`,
    );
    const sizes = await Promise.all(
      keys.map(async (key) => {
        const bytes = Number(await client.call('MEMORY', 'USAGE', key));
        const entries = key.endsWith(':events') ? ` (${await client.xlen(key)} events)` : '';
        return `${key.slice(prefix.length + 1)} ${(bytes / 1024).toFixed(0)} KiB${entries}`;
      }),
    );
    console.log(`  keys left: ${sizes.join(', ')}`);
  }
  console.log(`ratio 2/1 workers: ${(rates[1]! / rates[0]!).toFixed(2)}x`);
  console.log(`ratio 3/1 workers: ${(rates[2]! / rates[0]!).toFixed(2)}x (target >= 2.5x)`);
  console.log(`Redis used_memory after the batches: ${(await usedMemoryMiB()).toFixed(2)} MiB`);
} finally {
  await Promise.allSettled(spawned.map((worker) => worker.stop()));
  client.disconnect();
  await fake.close();
  await redis.stop();
  await rm(directory, { recursive: true, force: true });
}
