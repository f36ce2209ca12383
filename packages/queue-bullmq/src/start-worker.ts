import {
  AbortError,
  describeFailure,
  expected,
  type ImageResult,
  isLayerloomError,
  isRateLimitError,
  isRetryableError,
  LayerloomError,
  type Provider,
  parseWithSchema,
  type QueueLimits,
  queueLimitsSchema,
  type RetryOptions,
  retryDelayMs,
  retryOptionsSchema,
  TimeoutError,
} from '@layerloom/core';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { readBlobImage, writeBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import { fileBlobStore } from './file-blob-store.js';
import { serializeJobError } from './job-error.js';
import { cancelChannelOf, cancelKeyOf, queueNameOf } from './queue-names.js';
import {
  connectionShape,
  limitsSchema,
  providerShapeSchema,
  type QueueConnectionOptions,
} from './queue-options.js';
import { toRedisOptions } from './redis-connection.js';
import {
  type StepJobData,
  type StepJobProgress,
  type StepJobResult,
  stepJobDataSchema,
  stepJobResultSchema,
} from './step-job.js';

/** Options of {@link startWorker}. */
export interface StartWorkerOptions extends QueueConnectionOptions {
  /** Providers by alias, as on the submitting side; this process serves every alias listed. */
  readonly providers: Readonly<Record<string, Provider>>;
  /**
   * Limits per alias. `concurrency` and `requestsPerMinute` are set on the alias's queue and hold
   * across every worker (BullMQ global concurrency and global rate limit, a fixed 60 s window);
   * `timeoutMs` limits each attempt here. (`maxRetries` is read by the submitting side.)
   */
  readonly limits?: Readonly<Record<string, QueueLimits>>;
  /** Limits of aliases without an entry in `limits`. @default {} */
  readonly defaultLimits?: QueueLimits;
  /** Jobs of one alias this process runs at once. @default the alias's `concurrency`, else 4 */
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

/** An attempt's failure as BullMQ sees it: the serialised error, and the backoff before the next try. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'AttemptFailure';
  }
}

/**
 * Starts a worker: for every alias in `providers`, a BullMQ worker on the alias's queue that
 * makes the provider calls submitted by `createQueueRunner` / `createQueueExecutor`. Inputs and
 * results go through the blob store; each job writes a checkpoint before it completes, so a
 * re-run of the job (after a crash) makes no second paid call. Retries follow the core policy
 * (retryable errors, `retryAfterMs`, full-jitter backoff); a 429 rate-limits the alias's queue
 * on every worker; non-retryable errors fail the job at once (`UnrecoverableError`);
 * cancellations published by the submitter abort running calls.
 *
 * @param options - connection, providers, limits, concurrency, stall detection.
 * @returns the worker, once connected; `close()` it on shutdown.
 * @throws ValidationError naming the bad option.
 */
export async function startWorker(options: StartWorkerOptions): Promise<QueueWorker> {
  parseWithSchema(startWorkerOptionsSchema, options, 'worker options');
  const redisOptions = toRedisOptions(options.connection);
  const prefix = options.prefix ?? 'layerloom';
  const blobStore: BlobStore = options.blobStore ?? fileBlobStore('.layerloom/blobs');
  const random = options.random ?? Math.random;
  const delays = {
    baseDelayMs: options.retry?.baseDelayMs ?? 500,
    maxDelayMs: options.retry?.maxDelayMs ?? 20_000,
    maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 60_000,
  };
  const aliases = Object.keys(options.providers);
  const limitsOf = (alias: string): QueueLimits =>
    options.limits?.[alias] ?? options.defaultLimits ?? {};
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  const commands = new Redis(redisOptions);
  commands.on('error', () => {});
  const subscriber = new Redis(redisOptions);
  subscriber.on('error', () => {});
  const workers: Worker[] = [];
  let providerCalls = 0;

  /** Sets the cluster-wide limits, which BullMQ keeps in each queue's meta key in Redis. */
  const applyLimits = async () => {
    const queues = aliases.map((alias) => {
      const queue = new Queue(queueNameOf(alias), { connection: redisOptions, prefix });
      queue.on('error', () => {});
      return queue;
    });
    try {
      await Promise.all(
        aliases.map(async (alias, index) => {
          const queue = queues[index]!;
          const limits = limitsOf(alias);
          if (limits.concurrency !== undefined) {
            await queue.setGlobalConcurrency(limits.concurrency);
          }
          if (limits.requestsPerMinute !== undefined) {
            await queue.setGlobalRateLimit(limits.requestsPerMinute, 60_000);
          }
        }),
      );
    } finally {
      await Promise.allSettled(queues.map((queue) => queue.close()));
    }
  };
  await applyLimits();
  let closing = false;
  // A Redis restarted without persistence has forgotten them: set them again on every reconnect.
  commands.on('ready', () => {
    if (!closing) applyLimits().catch(() => {});
  });

  const progress = (job: Job, message: StepJobProgress) =>
    job.updateProgress(message as unknown as object).catch(() => {});

  async function process(
    alias: string,
    provider: Provider,
    worker: () => Worker,
    job: Job,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<StepJobResult> {
    const parsed = stepJobDataSchema.safeParse(job.data);
    const fail = (error: LayerloomError): never => {
      throw new UnrecoverableError(serializeJobError(error));
    };
    if (!parsed.success) {
      return fail(
        new LayerloomError('queue_bad_job', `Job ${job.id} on "${alias}" has no valid step data`),
      );
    }
    const data = parsed.data as StepJobData;
    const label =
      data.kind === 'style'
        ? `The style pass on "${alias}"`
        : `Layer "${data.stepId}" on "${alias}"`;
    if (data.providerId !== provider.id || data.modelId !== provider.modelId) {
      fail(
        new LayerloomError(
          'queue_provider_mismatch',
          `${label}: the job was planned for ${data.providerId}/${data.modelId}, this worker has ${provider.id}/${provider.modelId} for "${alias}"`,
        ),
      );
    }
    if ((await commands.exists(cancelKeyOf(prefix, job.id!))) === 1) {
      fail(new AbortError(`${label} was cancelled`));
    }
    const checkpoint = await blobStore.get(data.resultKey);
    if (checkpoint !== undefined) {
      const saved = stepJobResultSchema.safeParse(safeJson(new TextDecoder().decode(checkpoint)));
      if (saved.success) return { ...(saved.data as StepJobResult), providerCalls: 0 };
    }
    const [image, mask] = await Promise.all([
      data.request.image === undefined
        ? undefined
        : readBlobImage(blobStore, data.request.image, label),
      data.request.mask === undefined
        ? undefined
        : readBlobImage(blobStore, data.request.mask, label),
    ]);
    const attempt = job.attemptsMade + 1;
    await progress(job, { type: 'start', attempt });
    // Call only while holding the job: waiting for Redis (an outage) may have cost this worker
    // its lock, and the job is then another worker's (or, after a restart without persistence,
    // queued again by the submitter). Calling anyway would pay twice and break the global limit.
    if (token !== undefined && (await job.extendLock(token, lockDurationMs)) !== 1) {
      throw new AttemptFailure(
        serializeJobError(
          new LayerloomError('queue_lock_lost', `${label}: the worker lost the job's lock`),
        ),
        0,
      );
    }
    const timeoutMs = limitsOf(alias).timeoutMs;
    const controller = new AbortController();
    const onCancel = () => controller.abort(new AbortError(`${label} was cancelled`));
    if (signal?.aborted) onCancel();
    signal?.addEventListener('abort', onCancel, { once: true });
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
    let lastProgressAt = 0;
    let result: ImageResult;
    try {
      providerCalls += 1;
      result = await provider.generate({
        prompt: data.request.prompt,
        width: data.request.width,
        height: data.request.height,
        ...(data.request.negativePrompt === undefined
          ? {}
          : { negativePrompt: data.request.negativePrompt }),
        ...(data.request.seed === undefined ? {} : { seed: data.request.seed }),
        ...(data.request.transparent === undefined
          ? {}
          : { transparent: data.request.transparent }),
        ...(data.request.strength === undefined ? {} : { strength: data.request.strength }),
        ...(data.request.options === undefined ? {} : { options: data.request.options }),
        ...(image === undefined ? {} : { image }),
        ...(mask === undefined ? {} : { mask }),
        signal: controller.signal,
        onProgress: (update) => {
          const now = Date.now();
          // Progress goes through Redis: at most a few messages a second, never the preview bytes.
          if (now - lastProgressAt < 250) return;
          lastProgressAt = now;
          void progress(job, {
            type: 'progress',
            attempt,
            ...(typeof update?.fraction === 'number' ? { fraction: update.fraction } : {}),
            ...(typeof update?.etaMs === 'number' ? { etaMs: update.etaMs } : {}),
          });
        },
      });
    } catch (thrown) {
      const error: unknown = controller.signal.aborted ? controller.signal.reason : thrown;
      if (isLayerloomError(error) && error.code === 'aborted') fail(error);
      const failure = isLayerloomError(error)
        ? error
        : new LayerloomError(
            'provider_unexpected_error',
            `Provider "${alias}" (${provider.id}/${provider.modelId}) threw ${error instanceof Error ? `an unexpected ${error.name}` : 'a non-error value'}`,
          );
      const attempts = job.opts.attempts ?? 1;
      if (!isRetryableError(failure)) fail(failure);
      const delayMs = retryDelayMs(failure, attempt, delays, random);
      if (isRateLimitError(failure)) {
        // Pauses this alias's queue for every worker, as the in-process scheduler pauses its queue.
        await worker()
          .rateLimit(Math.max(delayMs, 1))
          .catch(() => {});
      }
      if (attempt < attempts) {
        await progress(job, {
          type: 'retry',
          attempt,
          delayMs,
          reason: describeFailure(failure),
          error: serializeJobError(failure),
        });
      }
      throw new AttemptFailure(serializeJobError(failure), delayMs);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCancel);
    }
    const reference = await writeBlobImage(blobStore, result.image);
    const saved: StepJobResult = {
      image: reference,
      ...(typeof result.seed === 'number' ? { seed: result.seed } : {}),
      ...(typeof result.revisedPrompt === 'string' ? { revisedPrompt: result.revisedPrompt } : {}),
      ...(result.usage === undefined ? {} : { usage: { ...result.usage } }),
      ...(typeof result.costUsd === 'number' ? { costUsd: result.costUsd } : {}),
      ...(typeof result.requestId === 'string' ? { requestId: result.requestId } : {}),
      warnings: Array.isArray(result.warnings)
        ? result.warnings.filter((warning): warning is string => typeof warning === 'string')
        : [],
      providerCalls: 1,
    };
    await blobStore.put(data.resultKey, new TextEncoder().encode(JSON.stringify(saved)));
    return saved;
  }

  for (const alias of aliases) {
    const provider = options.providers[alias]!;
    const limits = limitsOf(alias);
    const worker: Worker = new Worker(
      queueNameOf(alias),
      (job, token, signal) => process(alias, provider, () => worker, job, token, signal),
      {
        connection: redisOptions,
        prefix,
        concurrency: options.concurrency ?? limits.concurrency ?? 4,
        ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
        ...(options.stalledIntervalMs === undefined
          ? {}
          : { stalledInterval: options.stalledIntervalMs }),
        ...(options.maxStalledCount === undefined
          ? {}
          : { maxStalledCount: options.maxStalledCount }),
        settings: {
          backoffStrategy: (_attemptsMade, _type, error) =>
            error instanceof AttemptFailure ? error.delayMs : delays.baseDelayMs,
        },
      },
    );
    worker.on('error', () => {});
    workers.push(worker);
  }

  subscriber.on('message', (_channel: string, jobId: string) => {
    for (const worker of workers) worker.cancelJob(jobId, 'cancelled');
  });
  await subscriber.subscribe(cancelChannelOf(prefix));
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));

  return {
    aliases,
    get providerCalls() {
      return providerCalls;
    },
    async close(closeOptions = {}) {
      closing = true;
      await Promise.allSettled(workers.map((worker) => worker.close(closeOptions.force === true)));
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
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
