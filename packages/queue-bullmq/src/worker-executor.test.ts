// A worker that lost a job's lock between taking the job and its paid call (Redis was away, the
// job changed hands) makes no call: only the job's current holder pays.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockProvider, createRecordingCompositor } from '@layerloom/core/testing';
import {
  type BlobStore,
  createQueueRunner,
  fileBlobStore,
  queueNameOf,
  startWorker,
  toRedisOptions,
} from '@layerloom/queue-bullmq';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUnavailableReason, startTestRedis, type TestRedis } from '../test/test-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(redisUnavailableReason() !== undefined)('a job whose lock was lost', () => {
  let redis: TestRedis;
  let directory: string;
  beforeAll(async () => {
    redis = await startTestRedis();
    directory = await mkdtemp(join(tmpdir(), 'layerloom-lock-'));
  });
  afterAll(async () => {
    await redis?.stop();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('is not called by the worker that lost it; its holder calls once, the render completes', async () => {
    const prefix = `lock${process.pid}`;
    const store = fileBlobStore(join(directory, prefix));
    // The worker's first look in the store for the step's outcome record finds none, then stalls
    // (as a worker waiting for Redis would) until the test lets it go on.
    let stalled!: () => void;
    const reachedStall = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stalledOnce = false;
    const stallingStore: BlobStore = {
      put: (key, bytes) => store.put(key, bytes),
      delete: (key) => store.delete(key),
      async get(key) {
        const value = await store.get(key);
        if (key.startsWith('flows/') && !stalledOnce) {
          stalledOnce = true;
          stalled();
          await released;
        }
        return value;
      },
    };
    const provider = createMockProvider({ id: 'scene-model', latencyMs: 20 });
    const worker = await startWorker({
      connection: redis.url,
      prefix,
      blobStore: stallingStore,
      providers: { A: provider },
      compositor: createRecordingCompositor(),
      lockDurationMs: 1000,
      stalledIntervalMs: 200,
      maxStalledCount: 2,
    });
    const runner = createQueueRunner({
      connection: redis.url,
      prefix,
      blobStore: store,
      providers: { A: createMockProvider({ id: 'scene-model' }) },
    });
    const queue = new Queue(queueNameOf('A'), { connection: toRedisOptions(redis.url), prefix });
    queue.on('error', () => {});
    const client = new Redis(redis.url);
    try {
      const rendering = runner.render({
        width: 16,
        height: 16,
        layers: [{ id: 'bg', prompt: 'a meadow', provider: 'A' }],
      });
      rendering.catch(() => {});
      await reachedStall;
      const [job] = await queue.getActive();
      expect(job?.id).toMatch(/\.L\.bg\.0$/);
      // Meanwhile the job became another worker's (its lock expired, the job was taken again).
      await client.set(`${prefix}:${queueNameOf('A')}:${job!.id}:lock`, 'another', 'PX', 1500);
      release();
      await sleep(300);
      expect(provider.calls).toBe(0);
      // Once that holder is gone too (its lock expires), the job is recovered and called once.
      const result = await rendering;
      expect(result.layers.map((layer) => layer.id)).toEqual(['bg']);
      expect(provider.calls).toBe(1);
    } finally {
      client.disconnect();
      await queue.close();
      await runner.close();
      await worker.close({ force: true });
    }
  }, 30_000);
});
