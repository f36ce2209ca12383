import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQueueExecutor, fileBlobStore } from '@layerloom/queue-bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUnavailableReason, startTestRedis, type TestRedis } from './test-redis.js';

describe.skipIf(redisUnavailableReason() !== undefined)('executor.cancel', () => {
  let redis: TestRedis;
  let directory: string;
  beforeAll(async () => {
    redis = await startTestRedis();
    directory = await mkdtemp(join(tmpdir(), 'layerloom-cancel-'));
  });
  afterAll(async () => {
    await redis?.stop();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('marks many jobs cancelled on one Redis client without piling up listeners', async () => {
    const prefix = `c${process.pid}`;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const executor = createQueueExecutor({
      connection: redis.url,
      prefix,
      blobStore: fileBlobStore(directory),
    });
    const client = new Redis(redis.url);
    try {
      // A failed composition cancels each of its other jobs: 12 here, 24 client calls.
      for (let index = 0; index < 12; index += 1) await executor.cancel('A', `job-${index}`);
      expect(await client.exists(`${prefix}:layerloom:cancelled:job-11`)).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      client.disconnect();
      await executor.close();
    }
  });
});
