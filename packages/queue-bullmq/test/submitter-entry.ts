// A submitter process for the test of a flow whose submitter died: submits one render through
// a queue runner, prints `submitted` once the flow is in Redis, and waits to be killed.

import type { Composition } from '@layerloom/core';
import { createMockProvider } from '@layerloom/core/testing';
import { createQueueRunner, fileBlobStore, toRedisOptions } from '@layerloom/queue-bullmq';
import { Queue } from 'bullmq';

interface SubmitterConfig {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly blobDirectory: string;
  readonly composition: Composition;
  readonly rootQueue: string;
}

const config = JSON.parse(process.env.LAYERLOOM_SUBMITTER_CONFIG ?? '{}') as SubmitterConfig;
const runner = createQueueRunner({
  connection: config.redisUrl,
  prefix: config.prefix,
  blobStore: fileBlobStore(config.blobDirectory),
  // The runner plans with these; the test's worker paints.
  providers: { A: createMockProvider({ id: 'mock-a' }), B: createMockProvider({ id: 'mock-b' }) },
  limits: { A: { maxRetries: 0 }, B: { maxRetries: 0 } },
});
runner.render(config.composition).catch(() => {});
const root = new Queue(config.rootQueue, {
  connection: toRedisOptions(config.redisUrl),
  prefix: config.prefix,
});
root.on('error', () => {});
for (;;) {
  const counts = await root.getJobCounts('waiting', 'waiting-children', 'prioritized', 'active');
  if (Object.values(counts).some((count) => count > 0)) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
process.stdout.write('submitted\n');
// Stays up until the test kills it.
setInterval(() => {}, 1000);
