import type { Queue } from 'bullmq';

/**
 * Jobs of `queues` not finished yet: waiting, waiting for children, delayed, active or
 * prioritized (a flow that ended, however it ended, leaves none).
 *
 * @param queues - the queues to count in.
 * @returns their number.
 */
export async function unfinishedJobs(queues: readonly Queue[]): Promise<number> {
  let total = 0;
  for (const queue of queues) {
    const counts = await queue.getJobCounts(
      'waiting',
      'waiting-children',
      'delayed',
      'active',
      'prioritized',
    );
    total += Object.values(counts).reduce((sum, count) => sum + count, 0);
  }
  return total;
}
