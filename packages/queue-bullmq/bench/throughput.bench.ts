// Throughput of compositions × 4 layers against a latency-bound fake provider (200 ms a call)
// with 1, 2 and 3 worker processes, and Redis memory once the batch is done.
// Usage: npm run bench -- throughput [compositions]   (default 120; the figure is 1000)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Composition } from '@layerloom/core';
import { createQueueRunner, fileBlobStore } from '@layerloom/queue-bullmq';
import { Redis } from 'ioredis';
import { createFakeHttpProvider, startFakeProviderServer } from '../test/fake-provider-server.js';
import { spawnWorker } from '../test/spawn-worker.js';
import { startTestRedis } from '../test/test-redis.js';

const count = Number(process.argv.find((value) => /^\d+$/.test(value)) ?? 120);
const latencyMs = 200;
const redis = await startTestRedis();
const fake = await startFakeProviderServer();
const directory = await mkdtemp(join(tmpdir(), 'layerloom-bench-'));
const client = new Redis(redis.url);
const rates: number[] = [];
try {
  for (const workerCount of [1, 2, 3]) {
    const prefix = `bench${workerCount}`;
    const config = {
      redisUrl: redis.url,
      prefix,
      blobDirectory: join(directory, prefix),
      fakeUrl: fake.url,
      latencyMs,
      aliases: ['A', 'B'],
      concurrency: 4,
    };
    const workers = await Promise.all(
      Array.from({ length: workerCount }, () => spawnWorker(config)),
    );
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
    for await (const item of runner.renderMany(inputs(), { concurrency: 64 })) {
      if (item.ok) ok += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    const rate = ok / seconds;
    rates.push(rate);
    await runner.close();
    await Promise.all(workers.map((worker) => worker.stop()));
    const keys = await client.keys(`${prefix}:*`);
    // Flow job ids: `<40 hex flow id>.<C | S.n | L.<layer>.n>`.
    const jobKeys = keys.filter((key) => /:[0-9a-f]{40}\.[A-Za-z0-9_.-]+(:.*)?$/.test(key));
    console.log(
      `${workerCount} worker(s): ${ok}/${count} compositions in ${seconds.toFixed(1)} s = ${rate.toFixed(2)}/s; ` +
        `${jobKeys.length} job keys left, ${keys.length} keys under the prefix`,
    );
  }
  const memory = (await client.info('memory')).match(/used_memory:(\d+)/)?.[1];
  console.log(`ratio 2/1 workers: ${(rates[1]! / rates[0]!).toFixed(2)}x`);
  console.log(`ratio 3/1 workers: ${(rates[2]! / rates[0]!).toFixed(2)}x (target >= 2.5x)`);
  console.log(
    `Redis used_memory after the batches: ${(Number(memory) / 1024 / 1024).toFixed(2)} MiB`,
  );
} finally {
  client.disconnect();
  await fake.close();
  await redis.stop();
  await rm(directory, { recursive: true, force: true });
}
