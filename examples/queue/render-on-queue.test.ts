import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  redisUnavailableReason,
  startTestRedis,
} from '../../packages/queue-bullmq/test/test-redis.js';
import { renderOnQueue } from './render-on-queue.js';

describe.skipIf(redisUnavailableReason() !== undefined)('examples/queue', () => {
  it('renders on a queue against the test Redis, offline', async () => {
    const redis = await startTestRedis();
    const directory = await mkdtemp(join(tmpdir(), 'layerloom-example-'));
    try {
      const { events, layers, bytes } = await renderOnQueue(redis.url, directory);
      expect(layers).toEqual(['cat', 'room']);
      expect(events).toContain('style:done');
      expect(events.at(-1)).toBe('done');
      expect(bytes.length).toBeGreaterThan(0);
    } finally {
      await redis.stop();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
