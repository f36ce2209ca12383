import { LayerloomError, type StepExecutor, TimeoutError } from '@layerloom/core';
import { stepLabel } from '@layerloom/core/pipeline';
import type { Job } from 'bullmq';

/** What a worker's provider call needs from its job. */
export interface WorkerCallOptions {
  /** The job. */
  readonly job: Job;
  /** The job's lock token (renewed right before the paid call). */
  readonly token: string | undefined;
  /** The workers' lock duration. */
  readonly lockDurationMs: number;
  /** Per-attempt timeout of the alias. */
  readonly timeoutMs: number | undefined;
  /** Counts a provider call. */
  readonly onProviderCall: () => void;
}

/**
 * The step executor of one job attempt on a worker: one provider call, no retries (BullMQ's
 * job attempts are the retries). It calls only while the worker still holds the job (waiting
 * for Redis may have cost it the lock: the job is then another worker's, and calling anyway
 * would pay twice and break the cluster-wide limit), and aborts the call after the alias's
 * `timeoutMs`.
 *
 * @param options - the job, its lock and the limits.
 * @returns an executor for core's `paintCandidate`.
 */
export function workerExecutor(options: WorkerCallOptions): StepExecutor {
  const { job, token } = options;
  const attempt = job.attemptsMade + 1;
  return {
    async execute(task, hooks) {
      const label = stepLabel(task.kind, task.stepId, task.alias);
      hooks.onStart?.(attempt);
      if (token !== undefined && (await job.extendLock(token, options.lockDurationMs)) !== 1) {
        throw new LayerloomError('queue_lock_lost', `${label}: the worker lost the job's lock`);
      }
      const controller = new AbortController();
      const onAbort = () => controller.abort(hooks.signal.reason);
      if (hooks.signal.aborted) onAbort();
      hooks.signal.addEventListener('abort', onAbort, { once: true });
      const { timeoutMs } = options;
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(
              () =>
                controller.abort(
                  new TimeoutError(`${label} took longer than ${timeoutMs} ms`, timeoutMs),
                ),
              timeoutMs,
            );
      try {
        options.onProviderCall();
        const result = await task.provider.generate({
          ...task.request,
          stepId: task.stepId,
          ...(task.layerIndex === undefined ? {} : { layerIndex: task.layerIndex }),
          signal: controller.signal,
          ...(hooks.onProgress === undefined ? {} : { onProgress: hooks.onProgress }),
        });
        return { result, attempts: attempt };
      } catch (thrown) {
        throw controller.signal.aborted ? controller.signal.reason : thrown;
      } finally {
        clearTimeout(timer);
        hooks.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
