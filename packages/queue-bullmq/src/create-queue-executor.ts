import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  AbortError,
  computeCacheKey,
  describeFailure,
  type EncodedImage,
  expected,
  LayerloomError,
  parseWithSchema,
  type QueueLimits,
  queueLimitsSchema,
  RetryError,
  type StepExecutor,
  type StepHooks,
  type StepOutcome,
  type StepTask,
} from '@layerloom/core';
import { type Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { readBlobImage, writeBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import { fileBlobStore } from './file-blob-store.js';
import { deserializeJobError } from './job-error.js';
import { cancelChannelOf, cancelKeyOf, cancelMarkTtlMs, queueNameOf } from './queue-names.js';
import {
  connectionShape,
  type JobRetention,
  jobRetentionSchema,
  limitsSchema,
  type QueueConnectionOptions,
} from './queue-options.js';
import { toRedisOptions } from './redis-connection.js';
import {
  type BlobReference,
  type StepJobData,
  type StepJobProgress,
  type StepJobResult,
  stepJobResultSchema,
} from './step-job.js';

/** Options of {@link createQueueExecutor}. */
export interface QueueExecutorOptions extends QueueConnectionOptions {
  /** Limits per alias; the submitting side reads `maxRetries` (job attempts = `maxRetries + 1`). */
  readonly limits?: Readonly<Record<string, QueueLimits>>;
  /** Limits of aliases without an entry in `limits`. @default { maxRetries: 2 } */
  readonly defaultLimits?: QueueLimits;
  /** What BullMQ keeps of finished jobs. */
  readonly retention?: JobRetention;
  /**
   * How often a job that sent no event is looked up in Redis (a safety net for events lost
   * while Redis restarted), in milliseconds. @default 5000
   */
  readonly pollIntervalMs?: number;
}

/** A {@link StepExecutor} that runs each provider call as a BullMQ job on its alias's queue. */
export interface QueueExecutor extends StepExecutor {
  /**
   * Cancels a job wherever it is: removed when it waits, aborted on whichever worker runs it.
   *
   * @param alias - its alias.
   * @param jobId - its id.
   */
  cancel(alias: string, jobId: string): Promise<void>;
  /** Closes the queues, event streams and Redis connections; pending calls fail with an `AbortError`. */
  close(): Promise<void>;
}

/** Schema of {@link QueueExecutorOptions}. */
export const queueExecutorOptionsSchema = z.strictObject(
  {
    ...connectionShape,
    limits: limitsSchema.optional(),
    defaultLimits: queueLimitsSchema.optional(),
    retention: jobRetentionSchema.optional(),
    pollIntervalMs: z
      .number(expected('an integer of milliseconds from 100 to 600000'))
      .int()
      .min(100, expected('an integer of milliseconds from 100 to 600000'))
      .max(600_000, expected('an integer of milliseconds from 100 to 600000'))
      .optional(),
  },
  expected('queue executor options'),
);

interface Waiter {
  readonly onProgress: (progress: StepJobProgress) => void;
  readonly settle: (outcome: { result: unknown } | { failedReason: string }) => void;
}

/** The deterministic id of a step job: its request's content hash and step id. */
export function stepJobIdOf(task: StepTask, nonce: string | undefined): string {
  const contentKey = computeCacheKey({
    providerId: task.provider.id,
    modelId: task.provider.modelId,
    ...(task.provider.fingerprint === undefined ? {} : { fingerprint: task.provider.fingerprint }),
    request: task.request,
  });
  const parts = [task.kind, task.stepId, task.alias, contentKey ?? randomUUID(), nonce ?? ''];
  return computeCacheKey({
    providerId: 'layerloom-queue',
    modelId: 'step-job',
    request: { prompt: parts.join('\n'), width: 1, height: 1 },
  })!;
}

/**
 * How many times a job that Redis lost (neither in Redis nor checkpointed) is queued again
 * before its render fails with `job_lost`: one per Redis restart without persistence.
 */
const maxRequeues = 3;

const priorityOf = (priority: number) =>
  Math.min(2_097_151, Math.max(1, 1_048_576 - Math.round(priority)));

/**
 * Creates a {@link StepExecutor} that runs each provider call as a BullMQ job on the queue of
 * its alias (`layers-<alias>`), where workers started with `startWorker` make the call under
 * cluster-wide limits. Input images go to the blob store; jobs carry references. Job ids are
 * deterministic (request content hash + step id), and unseeded requests get a fresh nonce per
 * call, so a re-run of a job reuses its checkpoint rather than calling the provider again.
 *
 * @param options - connection, prefix, blob store, limits, retention.
 * @returns the executor; `close()` it when done.
 * @throws ValidationError naming the bad option.
 */
export function createQueueExecutor(options: QueueExecutorOptions): QueueExecutor {
  parseWithSchema(queueExecutorOptionsSchema, options, 'queue executor options');
  const redisOptions = toRedisOptions(options.connection);
  const prefix = options.prefix ?? 'layerloom';
  const blobStore: BlobStore = options.blobStore ?? fileBlobStore('.layerloom/blobs');
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const retention = {
    removeOnComplete: options.retention?.removeOnComplete ?? true,
    removeOnFail: options.retention?.removeOnFail ?? { age: 86_400, count: 1000 },
  };
  const limitsOf = (alias: string): QueueLimits =>
    options.limits?.[alias] ?? options.defaultLimits ?? {};
  const queues = new Map<string, { queue: Queue; events: Promise<QueueEvents> }>();
  const waiters = new Map<string, Set<Waiter>>();
  let client: Redis | undefined;
  let closed = false;

  const dispatch = (jobId: string, visit: (waiter: Waiter) => void) => {
    const set = waiters.get(jobId);
    if (set !== undefined) for (const waiter of [...set]) visit(waiter);
  };

  const queueOf = (alias: string) => {
    let entry = queues.get(alias);
    if (entry === undefined) {
      const name = queueNameOf(alias);
      const queue = new Queue(name, { connection: redisOptions, prefix });
      queue.on('error', () => {});
      const events = new QueueEvents(name, { connection: redisOptions, prefix });
      events.on('error', () => {});
      events.on('progress', ({ jobId, data }) => {
        if (typeof data === 'object' && data !== null && 'type' in data) {
          dispatch(jobId, (waiter) => waiter.onProgress(data as unknown as StepJobProgress));
        }
      });
      events.on('completed', ({ jobId, returnvalue }) =>
        dispatch(jobId, (waiter) => waiter.settle({ result: returnvalue })),
      );
      events.on('failed', ({ jobId, failedReason }) =>
        dispatch(jobId, (waiter) => waiter.settle({ failedReason })),
      );
      entry = { queue, events: events.waitUntilReady().then(() => events) };
      queues.set(alias, entry);
    }
    return entry;
  };

  const redis = () => {
    if (client === undefined) {
      // One listener for the client's life (added on every call, it leaked two per cancellation).
      client = new Redis(redisOptions);
      client.on('error', () => {});
    }
    return client;
  };

  async function cancel(alias: string, jobId: string): Promise<void> {
    const { queue } = queueOf(alias);
    await redis().set(cancelKeyOf(prefix, jobId), '1', 'PX', cancelMarkTtlMs);
    await redis().publish(cancelChannelOf(prefix), jobId);
    try {
      await queue.remove(jobId);
    } catch {
      // A running job is locked: the worker running it aborts it on the message.
    }
  }

  async function execute(task: StepTask, hooks: StepHooks): Promise<StepOutcome> {
    const { signal } = hooks;
    if (closed) throw new LayerloomError('executor_closed', 'The queue executor is closed');
    if (signal.aborted) throw AbortError.fromSignal(signal, 'The step');
    const label =
      task.kind === 'style'
        ? `The style pass on "${task.alias}"`
        : `Layer "${task.stepId}" on "${task.alias}"`;
    const jobId = stepJobIdOf(task, task.request.seed === undefined ? randomUUID() : undefined);
    const { request } = task;
    const reference = async (image: EncodedImage | undefined) =>
      image === undefined ? undefined : writeBlobImage(blobStore, image);
    const [image, mask] = await Promise.all([reference(request.image), reference(request.mask)]);
    const data: StepJobData = {
      version: 1,
      stepId: task.stepId,
      kind: task.kind,
      alias: task.alias,
      providerId: task.provider.id,
      modelId: task.provider.modelId,
      request: {
        prompt: request.prompt,
        width: request.width,
        height: request.height,
        ...(request.negativePrompt === undefined ? {} : { negativePrompt: request.negativePrompt }),
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        ...(request.transparent === undefined ? {} : { transparent: request.transparent }),
        ...(request.strength === undefined ? {} : { strength: request.strength }),
        ...(request.options === undefined ? {} : { options: request.options }),
        ...(image === undefined ? {} : { image }),
        ...(mask === undefined ? {} : { mask }),
      },
      resultKey: `results/${jobId}.json`,
    };
    const { queue, events } = queueOf(task.alias);
    await events;
    const retryErrors: unknown[] = [];
    let lastAttempt = 1;

    const outcome = await new Promise<{ result: unknown } | { failedReason: string }>(
      (resolve, reject) => {
        let done = false;
        let timer: NodeJS.Timeout | undefined;
        const waiter: Waiter = {
          onProgress: (progress) => {
            if (done) return;
            lastAttempt = Math.max(lastAttempt, progress.attempt);
            if (progress.type === 'start') hooks.onStart?.(progress.attempt);
            else if (progress.type === 'progress') {
              hooks.onProgress?.({
                ...(progress.fraction === undefined ? {} : { fraction: progress.fraction }),
                ...(progress.etaMs === undefined ? {} : { etaMs: progress.etaMs }),
              });
            } else {
              const error = deserializeJobError(progress.error, label);
              retryErrors.push(error);
              hooks.onRetry?.({
                attempt: progress.attempt,
                delayMs: progress.delayMs,
                error,
                reason: progress.reason,
              });
            }
          },
          settle: (value) => finish(() => resolve(value)),
        };
        const finish = (action: () => void) => {
          if (done) return;
          done = true;
          clearInterval(timer);
          signal.removeEventListener('abort', onAbort);
          const set = waiters.get(jobId);
          set?.delete(waiter);
          if (set?.size === 0) waiters.delete(jobId);
          action();
        };
        const onAbort = () => {
          finish(() => reject(AbortError.fromSignal(signal, label)));
          if (waiters.has(jobId)) return;
          cancel(task.alias, jobId).catch(() => {});
        };
        setMaxListeners(0, signal);
        signal.addEventListener('abort', onAbort, { once: true });
        let set = waiters.get(jobId);
        if (set === undefined) {
          set = new Set();
          waiters.set(jobId, set);
        }
        set.add(waiter);

        const add = () =>
          queue.add(task.kind, data, {
            jobId,
            attempts: (limitsOf(task.alias).maxRetries ?? 2) + 1,
            backoff: { type: 'layerloom' },
            priority: priorityOf(task.priority),
            removeOnComplete: retention.removeOnComplete,
            removeOnFail: retention.removeOnFail,
          });
        let requeues = 0;
        const check = async (job: Job | undefined) => {
          if (done) return;
          if (job === undefined) {
            // Completed jobs are removed at once: their checkpoint tells a finished job from a lost one.
            const checkpoint = await blobStore.get(data.resultKey);
            if (checkpoint !== undefined) {
              waiter.settle({ result: new TextDecoder().decode(checkpoint) });
              return;
            }
            if (done) return;
            if (requeues < maxRequeues) {
              // Neither in Redis nor checkpointed: Redis lost it (a restart without persistence,
              // a failover to a replica behind). Same id, same data: a worker that still runs the
              // lost copy writes the same checkpoint, and a re-run finding it makes no paid call.
              // Its queue's cluster-wide limits went with it: set them before a worker can take it.
              requeues += 1;
              const limits = limitsOf(task.alias);
              if (limits.concurrency !== undefined) {
                await queue.setGlobalConcurrency(limits.concurrency);
              }
              if (limits.requestsPerMinute !== undefined) {
                await queue.setGlobalRateLimit(limits.requestsPerMinute, 60_000);
              }
              await add();
              return;
            }
            finish(() =>
              reject(
                new LayerloomError('job_lost', `${label}: its job ${jobId} is gone from the queue`),
              ),
            );
            return;
          }
          const state = await job.getState();
          if (state === 'completed') waiter.settle({ result: job.returnvalue });
          else if (state === 'failed') waiter.settle({ failedReason: job.failedReason });
        };
        const submit = async () => {
          const ahead = await queue.count();
          let job = await add();
          if ((await job.getState()) === 'failed') {
            // An earlier render's failed job of the same content is kept for inspection: run anew.
            await job.remove();
            job = await add();
          }
          hooks.onQueued?.(ahead);
          await check(job);
          let polling = false;
          timer = setInterval(() => {
            // One lookup at a time: while Redis is unreachable they would pile up in ioredis's
            // offline queue and, once it is back, all find a lost job at once.
            if (polling) return;
            polling = true;
            queue
              .getJob(jobId)
              .then(check)
              .catch(() => {})
              .finally(() => {
                polling = false;
              });
          }, pollIntervalMs);
          timer.unref?.();
        };
        submit().catch((error: unknown) =>
          finish(() =>
            reject(
              new LayerloomError(
                'queue_error',
                `${label} could not be queued: ${describeFailure(error)}`,
                { cause: error },
              ),
            ),
          ),
        );
      },
    );

    if ('failedReason' in outcome) {
      const error = deserializeJobError(outcome.failedReason, label);
      const attempts = Math.max(lastAttempt, retryErrors.length + 1);
      if (attempts <= 1 || error.code === 'aborted') throw error;
      throw new RetryError(
        `${label} failed after ${attempts} attempts: ${describeFailure(error)}`,
        [...retryErrors, error],
      );
    }
    const raw = typeof outcome.result === 'string' ? safeJson(outcome.result) : outcome.result;
    const parsed = stepJobResultSchema.safeParse(raw);
    if (!parsed.success) {
      throw new LayerloomError('queue_bad_result', `${label}: its job returned no valid result`);
    }
    const result = parsed.data as StepJobResult & { attempts?: number };
    const imageBytes = await readBlobImage(blobStore, result.image as BlobReference, label);
    return {
      result: {
        image: imageBytes,
        ...(result.seed === undefined ? {} : { seed: result.seed }),
        ...(result.revisedPrompt === undefined ? {} : { revisedPrompt: result.revisedPrompt }),
        ...(result.usage === undefined ? {} : { usage: result.usage }),
        ...(result.costUsd === undefined || result.providerCalls === 0
          ? {}
          : { costUsd: result.costUsd }),
        ...(result.requestId === undefined ? {} : { requestId: result.requestId }),
        warnings: result.warnings,
      },
      attempts: Math.max(1, lastAttempt),
    };
  }

  return {
    execute,
    cancel,
    async close() {
      if (closed) return;
      closed = true;
      for (const [jobId] of waiters) {
        dispatch(jobId, (waiter) =>
          waiter.settle({
            failedReason:
              'layerloom-error:{"name":"AbortError","code":"aborted","message":"The queue executor was closed"}',
          }),
        );
      }
      await Promise.allSettled(
        [...queues.values()].flatMap(({ queue, events }) => [
          queue.close(),
          events.then((value) => value.close()),
        ]),
      );
      if (client !== undefined) await client.quit().catch(() => client?.disconnect());
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
