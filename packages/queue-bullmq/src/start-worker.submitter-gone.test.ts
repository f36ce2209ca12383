// A flow whose submitter died: nobody is left to cancel it when a source fails, so the job
// waiting for that source's image must see that its flow failed and fail too, instead of
// polling for an input that will never come.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCompositor } from '@layerloom/compositor';
import type { Composition } from '@layerloom/core';
import { createMockProvider } from '@layerloom/core/testing';
import {
  composeQueueName,
  fileBlobStore,
  queueNameOf,
  startWorker,
  toRedisOptions,
} from '@layerloom/queue-bullmq';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedWorker, spawnTestProcess } from '../test/spawn-worker.js';
import { redisUnavailableReason, startTestRedis, type TestRedis } from '../test/test-redis.js';
import { unfinishedJobs } from '../test/unfinished-jobs.js';

describe.skipIf(redisUnavailableReason() !== undefined)('a flow whose submitter died', () => {
  let redis: TestRedis;
  let directory: string;
  beforeAll(async () => {
    redis = await startTestRedis();
    directory = await mkdtemp(join(tmpdir(), 'layerloom-orphan-'));
  });
  afterAll(async () => {
    await redis?.stop();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('fails the jobs still waiting for a failed source with flow_failed, and leaves none', async () => {
    const prefix = `orphan${process.pid}`;
    const blobDirectory = join(directory, prefix);
    const A = createMockProvider({ id: 'mock-a' });
    // The source fails, late enough for the submitter to be gone by then.
    const B = createMockProvider({ id: 'mock-b', latencyMs: 1500, script: [{ status: 400 }] });
    const worker = await startWorker({
      connection: redis.url,
      prefix,
      blobStore: fileBlobStore(blobDirectory),
      providers: { A, B },
      compositor: createCompositor(),
      limits: { A: { maxRetries: 0 }, B: { maxRetries: 0 } },
      retry: { baseDelayMs: 20, maxDelayMs: 50 },
    });
    const queues = [queueNameOf('A'), queueNameOf('B'), composeQueueName].map((name) => {
      const queue = new Queue(name, { connection: toRedisOptions(redis.url), prefix });
      queue.on('error', () => {});
      return queue;
    });
    const composition: Composition = {
      width: 32,
      height: 32,
      seed: 3,
      layers: [
        // `base` is nested under `right`, its first user; `left` (nested under `top`) waits
        // for it, polling.
        { id: 'top', prompt: 'w', provider: 'A', from: 'left' },
        { id: 'left', prompt: 'x', provider: 'A', from: 'base' },
        { id: 'right', prompt: 'y', provider: 'A', from: 'base' },
        { id: 'base', prompt: 'z', provider: 'B' },
      ],
    };
    let submitter: SpawnedWorker | undefined;
    try {
      submitter = await spawnTestProcess(
        'submitter-entry.ts',
        'LAYERLOOM_SUBMITTER_CONFIG',
        { redisUrl: redis.url, prefix, blobDirectory, composition, rootQueue: composeQueueName },
        'submitted',
      );
      // Dies as a crashed machine would: it cancels nothing.
      await submitter.kill();

      const layersA = queues[0]!;
      const failedReasons = async () =>
        (await layersA.getFailed()).map((job) => `${job.id}: ${job.failedReason}`);
      await expect
        .poll(failedReasons, { timeout: 20_000, interval: 200 })
        .toContainEqual(expect.stringMatching(/\.left\..*flow_failed/));
      expect(await unfinishedJobs(queues)).toBe(0);
      expect(B.calls).toBe(1);
      expect(A.calls).toBe(0);
    } finally {
      await submitter?.kill();
      await Promise.all(queues.map((queue) => queue.close()));
      await worker.close({ force: true });
    }
  }, 40_000);
});
