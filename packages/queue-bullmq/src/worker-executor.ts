import { createHash } from 'node:crypto';
import { LayerloomError, type StepExecutor, TimeoutError } from '@layerloom/core';
import { stepLabel } from '@layerloom/core/pipeline';
import type { Job } from 'bullmq';
import type { BlobStore } from './blob-store.js';
import { checkpointResult, readCallCheckpoint, writeCallCheckpoint } from './call-checkpoint.js';

/** What a worker's provider call needs from its job. */
export interface WorkerCallOptions {
  /** Where the job's call checkpoint lives. */
  readonly blobStore: BlobStore;
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

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The step executor of one job attempt on a worker: one provider call, no retries (BullMQ's
 * job attempts are the retries). It makes the call only while the worker still holds the job
 * (waiting for Redis may have cost it the lock: calling anyway would pay twice and break the
 * cluster-wide limit), aborts it after the alias's `timeoutMs`, and checkpoints the answer in
 * the blob store before the job completes, so that a re-run of the job (after a crash) answers
 * from the checkpoint without a second paid call.
 *
 * @param options - the job, its lock, the store and the limits.
 * @returns an executor for core's `paintCandidate`.
 */
export function workerExecutor(options: WorkerCallOptions): StepExecutor {
  const { blobStore, job, token } = options;
  const attempt = job.attemptsMade + 1;
  const checkpointKey = `results/job-${hashOf(job.id ?? '')}.json`;
  return {
    async execute(task, hooks) {
      const label = stepLabel(task.kind, task.stepId, task.alias);
      const own = await readCallCheckpoint(blobStore, checkpointKey, label);
      if (own !== undefined) return { result: checkpointResult(own), attempts: 1 };
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
      let result: Awaited<ReturnType<typeof task.provider.generate>>;
      try {
        options.onProviderCall();
        result = await task.provider.generate({
          ...task.request,
          stepId: task.stepId,
          signal: controller.signal,
          ...(hooks.onProgress === undefined ? {} : { onProgress: hooks.onProgress }),
        });
      } catch (thrown) {
        throw controller.signal.aborted ? controller.signal.reason : thrown;
      } finally {
        clearTimeout(timer);
        hooks.signal.removeEventListener('abort', onAbort);
      }
      const image = result?.image;
      if (image?.bytes instanceof Uint8Array && typeof image.mediaType === 'string') {
        await writeCallCheckpoint(blobStore, checkpointKey, {
          jobId: job.id ?? '',
          providerId: task.provider.id,
          modelId: task.provider.modelId,
          image,
          ...(typeof result.seed === 'number' ? { seed: result.seed } : {}),
          ...(typeof result.revisedPrompt === 'string'
            ? { revisedPrompt: result.revisedPrompt }
            : {}),
          ...(typeof result.costUsd === 'number' ? { costUsd: result.costUsd } : {}),
          ...(typeof result.requestId === 'string' ? { requestId: result.requestId } : {}),
          warnings: Array.isArray(result.warnings)
            ? result.warnings.filter((warning): warning is string => typeof warning === 'string')
            : [],
        });
      }
      return { result, attempts: attempt };
    },
  };
}
