import type { QueueLimits } from '@layerloom/core';
import { Queue } from 'bullmq';
import type { RedisOptions } from 'ioredis';

/** The BullMQ queues a process talks to, opened on first use and closed together. */
export interface QueuePool {
  /** The queue of a name, opened on first use. */
  of(name: string): Queue;
  /** Closes every queue opened. */
  close(): Promise<void>;
}

/**
 * A pool of queues on one connection and prefix (a queue's connection errors are left to its
 * reconnection; callers see failures of their own commands).
 *
 * @param connection - ioredis options.
 * @param prefix - BullMQ key prefix.
 */
export function createQueuePool(connection: RedisOptions, prefix: string): QueuePool {
  const queues = new Map<string, Queue>();
  return {
    of(name) {
      let queue = queues.get(name);
      if (queue === undefined) {
        queue = new Queue(name, { connection, prefix });
        queue.on('error', () => {});
        queues.set(name, queue);
      }
      return queue;
    },
    async close() {
      await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
    },
  };
}

/**
 * Sets an alias's cluster-wide limits on its queue: `concurrency` as BullMQ's global concurrency
 * and `requestsPerMinute` as its global rate limit (a fixed 60 s window). BullMQ keeps them in
 * the queue's meta key, which a Redis restart without persistence empties: set them again then.
 *
 * @param queue - the alias's queue.
 * @param limits - the alias's limits.
 */
export async function setClusterLimits(queue: Queue, limits: QueueLimits): Promise<void> {
  if (limits.concurrency !== undefined) await queue.setGlobalConcurrency(limits.concurrency);
  if (limits.requestsPerMinute !== undefined) {
    await queue.setGlobalRateLimit(limits.requestsPerMinute, 60_000);
  }
}
