import {
  expected,
  isLayerloomError,
  type LoomOptions,
  parseWithSchema,
  type QueueLimits,
  queueLimitsSchema,
  type RetryOptions,
  retryOptionsSchema,
} from '@layerloom/core';
import { retryDelaysOf } from '@layerloom/core/pipeline';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { BlobStore } from './blob-store.js';
import { fileBlobStore } from './file-blob-store.js';
import type { StepJobCandidate, StepJobData } from './flow-job.js';
import { serializeJobError } from './job-error.js';
import { cancelChannelOf, cancelKeyOf, composeQueueName, queueNameOf } from './queue-names.js';
import {
  connectionShape,
  limitsSchema,
  providerShapeSchema,
  type QueueConnectionOptions,
} from './queue-options.js';
import { createQueuePool, setClusterLimits } from './queue-pool.js';
import { toRedisOptions } from './redis-connection.js';
import { runComposeJob } from './run-compose-job.js';
import { AttemptFailure, runStepJob } from './run-step-job.js';

/**
 * Options of {@link startWorker}. `providers` are those of the submitting side (this process
 * serves every alias listed); every worker also serves the compose queue, so compositing runs
 * on workers with `compositor` (e.g. `createCompositor()` from `@layerloom/compositor`).
 */
export interface StartWorkerOptions
  extends QueueConnectionOptions,
    Pick<LoomOptions, 'providers' | 'compositor'> {
  /**
   * Limits per alias. `concurrency` and `requestsPerMinute` are set on the alias's queue and hold
   * across every worker (BullMQ global concurrency and global rate limit, a fixed 60 s window);
   * `timeoutMs` limits each attempt here. (`maxRetries` is read by the submitting side.)
   */
  readonly limits?: Readonly<Record<string, QueueLimits>>;
  /** Limits of aliases without an entry in `limits`. @default {} */
  readonly defaultLimits?: QueueLimits;
  /**
   * Jobs of one alias this process runs at once, and compose jobs it runs at once.
   * @default the alias's `concurrency`, else 4 (compose: 4)
   */
  readonly concurrency?: number;
  /** Retry delays (`baseDelayMs`, `maxDelayMs`, `maxRetryAfterMs`); no retry budget on queues. */
  readonly retry?: RetryOptions;
  /** Lock of a running job; a worker that dies loses its jobs after this long. @default 30000 */
  readonly lockDurationMs?: number;
  /** How often stalled jobs (of dead workers) are looked for. @default 30000 */
  readonly stalledIntervalMs?: number;
  /** Times a job may stall before it fails. @default 1 */
  readonly maxStalledCount?: number;
  /** Uniform random numbers in [0, 1) for backoff jitter. @default Math.random */
  readonly random?: () => number;
}

/** A running worker process's share of the queues. */
export interface QueueWorker {
  /** Aliases this worker serves. */
  readonly aliases: readonly string[];
  /** Provider calls this worker made (checkpoint hits excluded). */
  readonly providerCalls: number;
  /** Composites this worker made. */
  readonly composites: number;
  /**
   * Stops taking jobs and closes every connection.
   *
   * @param options - `force: true` aborts running jobs instead of waiting for them.
   */
  close(options?: { readonly force?: boolean }): Promise<void>;
}

const positiveInteger = (phrase: string, max: number) =>
  z
    .number(expected(phrase))
    .int(expected(phrase))
    .min(1, expected(phrase))
    .max(max, expected(phrase));

/** Schema of {@link StartWorkerOptions}. */
export const startWorkerOptionsSchema = z.strictObject(
  {
    ...connectionShape,
    providers: z
      .record(z.string(), providerShapeSchema, expected('an object of providers by alias'))
      .refine(
        (value) => Object.keys(value).length > 0,
        expected('an object of at least one provider'),
      ),
    compositor: z.object(
      {
        composite: z.custom<(...parameters: never[]) => unknown>(
          (value) => typeof value === 'function',
          expected('a function'),
        ),
      },
      expected('a compositor `{ composite }` (e.g. `createCompositor()`)'),
    ),
    limits: limitsSchema.optional(),
    defaultLimits: queueLimitsSchema.optional(),
    concurrency: positiveInteger('an integer from 1 to 1000', 1000).optional(),
    retry: retryOptionsSchema.optional(),
    lockDurationMs: positiveInteger(
      'an integer of milliseconds from 1 to 3600000',
      3_600_000,
    ).optional(),
    stalledIntervalMs: positiveInteger(
      'an integer of milliseconds from 1 to 3600000',
      3_600_000,
    ).optional(),
    maxStalledCount: z
      .number(expected('an integer from 0 to 100'))
      .int()
      .min(0)
      .max(100)
      .optional(),
    random: z
      .custom<() => number>((value) => typeof value === 'function', expected('a function'))
      .optional(),
  },
  expected('worker options'),
);

/** How long a job whose input is not in the blob store yet waits before it looks again. */
const inputPollMs = 200;

/**
 * Starts a worker process's share of distributed rendering: one BullMQ worker per provider
 * alias (queue `layers-<alias>`: the layer and style jobs of every composition's flow) and one
 * on the compose queue (compositing, with `compositor`). The limits of each alias are set on
 * its queue, so they hold across every worker (and set again whenever the worker reconnects to
 * Redis: a restart without persistence forgets them). A provider is called only while the
 * worker still holds the job's lock. Inputs and results go through the blob store;
 * each job records its outcome before it completes, so a re-run of the job (after a crash)
 * makes no second paid call. Retries follow the core policy (retryable errors,
 * `retryAfterMs`, full-jitter backoff); a 429 rate-limits the alias's queue on every worker;
 * a step that fails for good moves to its next candidate, is skipped, or fails its flow
 * (`UnrecoverableError`); cancellations published by the submitter abort running jobs.
 *
 * @param options - connection, providers, compositor, limits, concurrency, stall detection.
 * @returns the worker, once connected; `close()` it on shutdown.
 * @throws ValidationError naming the bad option.
 *
 * @example
 * const worker = await startWorker({
 *   connection: 'redis://redis:6379',
 *   blobStore: fileBlobStore('/mnt/shared/layerloom-blobs'),
 *   providers: { A: openai.image('gpt-image-1') },
 *   compositor: createCompositor(),
 *   limits: { A: { concurrency: 2, requestsPerMinute: 50 } },
 * });
 */
export async function startWorker(options: StartWorkerOptions): Promise<QueueWorker> {
  parseWithSchema(startWorkerOptionsSchema, options, 'worker options');
  const redisOptions = toRedisOptions(options.connection);
  const prefix = options.prefix ?? 'layerloom';
  const blobStore: BlobStore = options.blobStore ?? fileBlobStore('.layerloom/blobs');
  const random = options.random ?? Math.random;
  const delays = retryDelaysOf(options.retry);
  const aliases = Object.keys(options.providers);
  const limitsOf = (alias: string): QueueLimits =>
    options.limits?.[alias] ?? options.defaultLimits ?? {};
  const commands = new Redis(redisOptions);
  commands.on('error', () => {});
  const subscriber = new Redis(redisOptions);
  subscriber.on('error', () => {});
  const workers: Worker[] = [];
  const active = new Set<string>();
  const queues = createQueuePool(redisOptions, prefix);
  let providerCalls = 0;
  let composites = 0;

  const lockDurationMs = options.lockDurationMs ?? 30_000;
  let closing = false;

  /**
   * Sets each alias's cluster-wide limits on its queue. BullMQ keeps them in the queue's meta key
   * in Redis, which a restart without persistence empties.
   */
  const limited = aliases.filter((alias) => {
    const limits = limitsOf(alias);
    return limits.concurrency !== undefined || limits.requestsPerMinute !== undefined;
  });
  const applyLimits = () =>
    Promise.all(
      limited.map((alias) => setClusterLimits(queues.of(queueNameOf(alias)), limitsOf(alias))),
    );
  await applyLimits();
  // Set them again whenever this process (re)connects to Redis: after a restart, a failover.
  commands.on('ready', () => {
    if (!closing) applyLimits().catch(() => {});
  });

  const isCancelled = async (flowId: string) =>
    (await commands.exists(cancelKeyOf(prefix, flowId))) === 1;

  /** Whether an ancestor of the job failed or is gone: its flow failed, nobody waits for it. */
  const flowFailed = async (job: Job) => {
    let parent = job.parent;
    for (let depth = 0; parent?.id !== undefined && depth < 256; depth += 1) {
      if (!parent.queueKey.startsWith(`${prefix}:`)) return false;
      const queue = queues.of(parent.queueKey.slice(prefix.length + 1));
      const ancestor: Job | undefined = await queue.getJob(parent.id);
      if (ancestor === undefined || (await ancestor.getState()) === 'failed') return true;
      parent = ancestor.parent;
    }
    return false;
  };

  /** Queues a step's next candidate as a sibling: same parent, so the flow waits for it. */
  const forward = async (job: Job, next: StepJobCandidate, jobId: string, data: StepJobData) => {
    const queue = queues.of(queueNameOf(next.alias));
    const parent = job.parent;
    await queue.add(job.name, data, {
      jobId,
      attempts: next.attempts,
      backoff: { type: 'layerloom' },
      ...(job.opts.priority === undefined ? {} : { priority: job.opts.priority }),
      ...(job.opts.removeOnComplete === undefined
        ? {}
        : { removeOnComplete: job.opts.removeOnComplete }),
      ...(job.opts.removeOnFail === undefined ? {} : { removeOnFail: job.opts.removeOnFail }),
      ...(parent?.id === undefined
        ? {}
        : { parent: { id: parent.id, queue: parent.queueKey }, failParentOnFailure: true }),
    });
  };

  /** Runs a job, known to cancellations; a Layerloom error (a blob store failure…) is retried. */
  const tracked = async <T>(job: Job, run: () => Promise<T>): Promise<T> => {
    const id = job.id ?? '';
    active.add(id);
    try {
      return await run();
    } catch (error) {
      // BullMQ's own signals and classified failures pass; other Layerloom errors keep their
      // serialised summary as the failed reason (the submitter rebuilds them).
      if (isLayerloomError(error)) {
        throw new AttemptFailure(serializeJobError(error), delays.baseDelayMs);
      }
      throw error;
    } finally {
      active.delete(id);
    }
  };

  const workerOptions = (concurrency: number) => ({
    connection: redisOptions,
    prefix,
    concurrency,
    ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs === undefined
      ? {}
      : { stalledInterval: options.stalledIntervalMs }),
    ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
    settings: {
      backoffStrategy: (_attemptsMade: number, _type?: string, error?: Error) =>
        error instanceof AttemptFailure ? error.delayMs : delays.baseDelayMs,
    },
  });

  for (const alias of aliases) {
    const provider = options.providers[alias]!;
    const limits = limitsOf(alias);
    const worker: Worker = new Worker(
      queueNameOf(alias),
      (job, token, signal) =>
        tracked(job, () =>
          runStepJob(
            {
              blobStore,
              isCancelled,
              flowFailed,
              forward,
              rateLimit: (delayMs) => worker.rateLimit(delayMs),
              delays,
              random,
              timeoutMs: limits.timeoutMs,
              lockDurationMs,
              inputPollMs,
              onProviderCall: () => {
                providerCalls += 1;
              },
            },
            alias,
            provider,
            job,
            token,
            signal,
          ),
        ),
      workerOptions(options.concurrency ?? limits.concurrency ?? 4),
    );
    worker.on('error', () => {});
    workers.push(worker);
  }
  const composer = new Worker(
    composeQueueName,
    (job, token, signal) =>
      tracked(job, async () => {
        const record = await runComposeJob(
          { blobStore, compositor: options.compositor, isCancelled, inputPollMs },
          job,
          token,
          signal,
        );
        composites += 1;
        return record;
      }),
    workerOptions(options.concurrency ?? 4),
  );
  composer.on('error', () => {});
  workers.push(composer);

  subscriber.on('message', (_channel: string, flowId: string) => {
    for (const jobId of active) {
      if (!jobId.startsWith(`${flowId}.`)) continue;
      for (const worker of workers) worker.cancelJob(jobId, 'cancelled');
    }
  });
  await subscriber.subscribe(cancelChannelOf(prefix));
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));

  return {
    aliases,
    get providerCalls() {
      return providerCalls;
    },
    get composites() {
      return composites;
    },
    async close(closeOptions = {}) {
      closing = true;
      await Promise.allSettled(workers.map((worker) => worker.close(closeOptions.force === true)));
      await queues.close();
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
    },
  };
}
