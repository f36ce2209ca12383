import { join } from 'node:path';
import { createCompositor } from '@layerloom/compositor';
import {
  type BlobStore,
  createQueueRunner,
  fileBlobStore,
  type QueueRunner,
  type QueueWorker,
  startWorker,
} from '@layerloom/queue-bullmq';

/** An in-process worker and a queue runner on one prefix, for the queue tests. */
export interface QueuePair {
  readonly prefix: string;
  readonly runner: QueueRunner;
  readonly worker: QueueWorker;
  readonly blobStore: BlobStore;
  /** Closes the runner, then the worker (forced). */
  close(): Promise<void>;
}

/**
 * Starts a worker (with a compositor, short retry delays) and a runner on `prefix`, sharing a
 * file blob store under `directory`, both with `maxRetries` for the aliases A and B.
 *
 * @param runnerOptions - more options of the runner (a cache, a retention policy).
 */
export async function startQueuePair(options: {
  readonly redisUrl: string;
  readonly directory: string;
  readonly prefix: string;
  readonly providers: Parameters<typeof startWorker>[0]['providers'];
  readonly maxRetries: number;
  readonly runnerOptions?: Partial<Parameters<typeof createQueueRunner>[0]>;
}): Promise<QueuePair> {
  const { redisUrl, prefix, providers, maxRetries } = options;
  const blobStore = fileBlobStore(join(options.directory, prefix));
  const limits = { A: { maxRetries }, B: { maxRetries } };
  const worker = await startWorker({
    connection: redisUrl,
    prefix,
    blobStore,
    providers,
    compositor: createCompositor(),
    limits,
    retry: { baseDelayMs: 20, maxDelayMs: 50 },
  });
  const runner = createQueueRunner({
    connection: redisUrl,
    prefix,
    blobStore,
    providers,
    limits,
    pollIntervalMs: 500,
    ...options.runnerOptions,
  });
  return {
    prefix,
    runner,
    worker,
    blobStore,
    async close() {
      await runner.close();
      await worker.close({ force: true });
    },
  };
}
