import { createHash } from 'node:crypto';
import {
  AbortError,
  computeCacheKey,
  type EncodedImage,
  type ImageResult,
  isLayerloomError,
  isRetryableError,
  LayerloomError,
  type PlannedImageRequest,
  type Provider,
  TimeoutError,
} from '@layerloom/core';
import { describeFailure, isRateLimitError, retryDelayMs } from '@layerloom/core/pipeline';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { readBlobImage, writeBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import { readStepOutcome } from './collect-flow-result.js';
import {
  type CallCheckpoint,
  callCheckpointSchema,
  compositeRecordSchema,
  encodeRecord,
  parseRecord,
  type StepJobCandidate,
  type StepJobData,
  type StepJobProgress,
  type StepJobReturn,
  type StepOutcomeRecord,
  stepJobDataSchema,
} from './flow-job.js';
import { serializeJobError } from './job-error.js';
import { compositeKeyOf, stepJobIdOf, stepOutcomeKeyOf } from './queue-names.js';

/** What the step processor needs from its worker. */
export interface StepJobContext {
  /** Where images, checkpoints and outcome records live. */
  readonly blobStore: BlobStore;
  /** Whether the submitter cancelled the flow. */
  readonly isCancelled: (flowId: string) => Promise<boolean>;
  /** Whether an ancestor of the job failed or is gone (its flow failed; nobody waits for it). */
  readonly flowFailed: (job: Job) => Promise<boolean>;
  /** Queues the next candidate's job of a step that failed on this one. */
  readonly forward: (
    job: Job,
    next: StepJobCandidate,
    jobId: string,
    data: StepJobData,
  ) => Promise<void>;
  /** Pauses the alias's queue on every worker (after a 429). */
  readonly rateLimit: (delayMs: number) => Promise<void>;
  /** Retry delays. */
  readonly delays: {
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly maxRetryAfterMs: number;
  };
  /** Uniform random numbers in [0, 1). */
  readonly random: () => number;
  /** Per-attempt timeout of the alias. */
  readonly timeoutMs: number | undefined;
  /** The workers' lock duration, renewed right before a paid call. */
  readonly lockDurationMs: number;
  /** How long a job whose input is not painted yet waits before it looks again. */
  readonly inputPollMs: number;
  /** Counts a provider call. */
  readonly onProviderCall: () => void;
}

/** An attempt's failure as BullMQ sees it: the serialised error, and the backoff before the next try. */
export class AttemptFailure extends Error {
  /**
   * @param message - the serialised error.
   * @param delayMs - backoff before the next attempt.
   */
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'AttemptFailure';
  }
}

const fail = (error: LayerloomError): never => {
  throw new UnrecoverableError(serializeJobError(error));
};

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Processes a layer or style job of a flow on the worker of its alias: waits for its input (the
 * `from` layer's outcome or the composite) in the blob store, answers from its outcome record or
 * call checkpoint when a re-run finds one, else calls the provider once per attempt. A final
 * failure queues the next candidate (fallback), records a skip (`onLayerError: 'skip'`) or fails
 * the job with an `UnrecoverableError` (which fails the flow).
 *
 * @param context - blob store, cancellation, forwarding, retry policy.
 * @param alias - the alias whose queue the job came from.
 * @param provider - this worker's provider for the alias.
 * @param job - the job.
 * @param token - the job's lock token (to re-delay it while its input is missing, and to check
 *   the job is still this worker's right before the paid call).
 * @param signal - aborted when the job is cancelled on this worker.
 * @returns the step's outcome, or where it was forwarded.
 * @throws UnrecoverableError, DelayedError (input not ready), AttemptFailure (retry, or
 *   `queue_lock_lost`: the job is no longer this worker's, no call was made).
 */
export async function runStepJob(
  context: StepJobContext,
  alias: string,
  provider: Provider,
  job: Job,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<StepJobReturn> {
  const { blobStore } = context;
  const parsed = stepJobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    return fail(
      new LayerloomError('queue_bad_job', `Job ${job.id} on "${alias}" has no valid step data`),
    );
  }
  const data = parsed.data as StepJobData;
  const candidate = data.candidates[data.candidateIndex];
  const label =
    data.kind === 'style' ? `The style pass on "${alias}"` : `Layer "${data.stepId}" on "${alias}"`;
  if (candidate === undefined) {
    return fail(new LayerloomError('queue_bad_job', `${label}: the job names no candidate`));
  }
  if (
    candidate.alias !== alias ||
    candidate.providerId !== provider.id ||
    candidate.modelId !== provider.modelId
  ) {
    fail(
      new LayerloomError(
        'queue_provider_mismatch',
        `${label}: the job was planned for ${candidate.providerId}/${candidate.modelId}, this worker has ${provider.id}/${provider.modelId} for "${alias}"`,
      ),
    );
  }
  if (await context.isCancelled(data.flowId)) fail(new AbortError(`${label} was cancelled`));
  const outcomeKey = stepOutcomeKeyOf(data.flowId, data.kind, data.stepId);
  const known = await readStepOutcome(blobStore, data.flowId, data.kind, data.stepId);
  if (known !== undefined) return known;

  const waitForInput = async (): Promise<never> => {
    if (token === undefined) {
      fail(new LayerloomError('queue_input_missing', `${label}: its input image is missing`));
    }
    // The source failed and took the flow down (with no submitter left to cancel it).
    if (await context.flowFailed(job)) {
      fail(new LayerloomError('flow_failed', `${label}: its flow failed`));
    }
    await job.moveToDelayed(Date.now() + context.inputPollMs, token);
    throw new DelayedError();
  };
  const record = async (outcome: StepOutcomeRecord) => {
    await blobStore.put(outcomeKey, encodeRecord(outcome));
    return outcome;
  };

  let input: EncodedImage | undefined;
  if (data.kind === 'style') {
    const composite = compositeRecordSchema.safeParse(
      parseRecord(await blobStore.get(compositeKeyOf(data.flowId))),
    );
    if (!composite.success) return waitForInput();
    input = await readBlobImage(blobStore, composite.data.image, label);
  } else if (data.from !== undefined) {
    // The source is a nested child of this job, or of another layer that uses it too.
    const source = await readStepOutcome(blobStore, data.flowId, 'layer', data.from);
    if (source === undefined) return waitForInput();
    if (source.status === 'skipped') {
      return record({
        status: 'skipped',
        providers: data.candidates.map((item) => item.alias),
        attempts: 0,
        error: serializeJobError(
          new LayerloomError(
            'input_skipped',
            `Layer "${data.stepId}" was skipped: its input layer "${data.from}" was skipped`,
          ),
        ),
      });
    }
    input = await readBlobImage(blobStore, source.image, label);
  }

  const request: PlannedImageRequest = {
    ...candidate.request,
    ...(input === undefined ? {} : { image: input }),
  };
  const cacheKey = computeCacheKey({
    providerId: provider.id,
    modelId: provider.modelId,
    ...(provider.fingerprint === undefined ? {} : { fingerprint: provider.fingerprint }),
    request,
  });
  const shared =
    cacheKey !== undefined &&
    (data.cachePolicy === 'always' ||
      (data.cachePolicy === 'seeded' && request.seed !== undefined));
  // Seeded requests share a content-addressed checkpoint (the layer cache of every worker);
  // others have one per job, which protects at-least-once re-runs only.
  const checkpointKey = shared
    ? `results/${cacheKey}.json`
    : `results/job-${hashOf(job.id ?? '')}.json`;
  const inputSha256 =
    input === undefined ? undefined : createHash('sha256').update(input.bytes).digest('hex');
  const warnings = [...data.warnings, ...candidate.warnings, ...data.notes];
  const painted = (
    checkpoint: CallCheckpoint,
    fields: { cached: boolean; attempts: number; ms: number },
  ): StepOutcomeRecord => {
    const seed = checkpoint.seed ?? request.seed;
    return {
      status: 'painted',
      alias,
      providerId: provider.id,
      modelId: provider.modelId,
      matte: candidate.matte,
      image: checkpoint.image,
      ...(seed === undefined ? {} : { seed }),
      ...(checkpoint.revisedPrompt === undefined
        ? {}
        : { revisedPrompt: checkpoint.revisedPrompt }),
      cached: fields.cached,
      attempts: fields.attempts,
      ms: fields.ms,
      ...(fields.cached
        ? { costUsd: 0 }
        : checkpoint.costUsd === undefined
          ? {}
          : { costUsd: checkpoint.costUsd }),
      ...(checkpoint.requestId === undefined ? {} : { requestId: checkpoint.requestId }),
      ...(cacheKey === undefined ? {} : { cacheKey }),
      ...(inputSha256 === undefined ? {} : { inputSha256 }),
      warnings: [...warnings, ...checkpoint.warnings],
    };
  };

  const saved = callCheckpointSchema.safeParse(parseRecord(await blobStore.get(checkpointKey)));
  const cached = saved.success && saved.data.jobId !== job.id;
  // Another render's checkpoint is used only while its image is still there (stores expire).
  const usable =
    saved.success &&
    (!cached ||
      (await readBlobImage(blobStore, saved.data.image, label).then(
        () => true,
        () => false,
      )));
  if (saved.success && usable) {
    return record(
      painted(saved.data as CallCheckpoint, {
        cached,
        attempts: data.priorAttempts + (cached ? 0 : 1),
        ms: 0,
      }),
    );
  }

  const attempt = job.attemptsMade + 1;
  const progress = (message: StepJobProgress) =>
    job.updateProgress(message as unknown as object).catch(() => {});
  await progress({ type: 'start', attempt });
  // Call only while holding the job. Waiting for Redis (an outage) may have cost this worker its
  // lock: the job is then another worker's, or queued again by the submitter after a restart
  // without persistence. Calling anyway would pay twice and break the cluster-wide limit.
  if (token !== undefined && (await job.extendLock(token, context.lockDurationMs)) !== 1) {
    throw new AttemptFailure(
      serializeJobError(
        new LayerloomError('queue_lock_lost', `${label}: the worker lost the job's lock`),
      ),
      0,
    );
  }
  const controller = new AbortController();
  const onCancel = () => controller.abort(new AbortError(`${label} was cancelled`));
  if (signal?.aborted) onCancel();
  signal?.addEventListener('abort', onCancel, { once: true });
  const { timeoutMs } = context;
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
  const began = Date.now();
  let lastProgressAt = 0;
  let result: ImageResult;
  try {
    context.onProviderCall();
    result = await provider.generate({
      ...request,
      stepId: data.stepId,
      signal: controller.signal,
      onProgress: (update) => {
        const now = Date.now();
        // Progress goes through Redis: at most a few messages a second, never the preview bytes.
        if (now - lastProgressAt < 250) return;
        lastProgressAt = now;
        void progress({
          type: 'progress',
          attempt,
          ...(typeof update?.fraction === 'number' ? { fraction: update.fraction } : {}),
          ...(typeof update?.etaMs === 'number' ? { etaMs: update.etaMs } : {}),
        });
      },
    });
    const image = result?.image;
    if (
      typeof image !== 'object' ||
      image === null ||
      !(image.bytes instanceof Uint8Array) ||
      image.bytes.length === 0 ||
      typeof image.mediaType !== 'string'
    ) {
      throw new LayerloomError(
        'provider_bad_response',
        `Provider "${alias}" (${provider.id}/${provider.modelId}) returned no image`,
      );
    }
  } catch (thrown) {
    const error: unknown = controller.signal.aborted ? controller.signal.reason : thrown;
    if (isLayerloomError(error) && error.code === 'aborted') fail(error);
    const failure = isLayerloomError(error)
      ? error
      : new LayerloomError(
          'provider_unexpected_error',
          `Provider "${alias}" (${provider.id}/${provider.modelId}) threw ${error instanceof Error ? `an unexpected ${error.name}` : 'a non-error value'}`,
        );
    const delayMs = retryDelayMs(failure, attempt, context.delays, context.random);
    if (isRateLimitError(failure)) {
      // Pauses this alias's queue for every worker, as the in-process scheduler pauses its queue.
      await context.rateLimit(Math.max(delayMs, 1)).catch(() => {});
    }
    const attempts = job.opts.attempts ?? 1;
    if (isRetryableError(failure) && attempt < attempts) {
      await progress({
        type: 'retry',
        attempt,
        delayMs,
        reason: describeFailure(failure),
        error: serializeJobError(failure),
      });
      throw new AttemptFailure(serializeJobError(failure), delayMs);
    }
    return settleFailure(context, job, data, failure, data.priorAttempts + attempt, record);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
  }
  const reference = await writeBlobImage(blobStore, result.image);
  const checkpoint: CallCheckpoint = {
    jobId: job.id ?? '',
    image: reference,
    ...(typeof result.seed === 'number' ? { seed: result.seed } : {}),
    ...(typeof result.revisedPrompt === 'string' ? { revisedPrompt: result.revisedPrompt } : {}),
    ...(typeof result.costUsd === 'number' ? { costUsd: result.costUsd } : {}),
    ...(typeof result.requestId === 'string' ? { requestId: result.requestId } : {}),
    warnings: Array.isArray(result.warnings)
      ? result.warnings.filter((warning): warning is string => typeof warning === 'string')
      : [],
  };
  await blobStore.put(checkpointKey, encodeRecord(checkpoint));
  return record(
    painted(checkpoint, {
      cached: false,
      attempts: data.priorAttempts + attempt,
      ms: Date.now() - began,
    }),
  );
}

/** A step's last attempt on this candidate failed: fall back, skip, or fail the flow. */
async function settleFailure(
  context: StepJobContext,
  job: Job,
  data: StepJobData,
  failure: LayerloomError,
  attempts: number,
  record: (outcome: StepOutcomeRecord) => Promise<StepOutcomeRecord>,
): Promise<StepJobReturn> {
  const candidate = data.candidates[data.candidateIndex]!;
  const next = data.candidates[data.candidateIndex + 1];
  if (next !== undefined) {
    const nextId = stepJobIdOf(data.flowId, data.kind, data.stepId, data.candidateIndex + 1);
    await context.forward(job, next, nextId, {
      ...data,
      candidateIndex: data.candidateIndex + 1,
      priorAttempts: attempts,
      notes: [
        ...data.notes,
        `"${candidate.alias}" failed (${describeFailure(failure)}); the next provider was tried`,
      ],
    });
    return { status: 'forwarded', error: serializeJobError(failure), next: nextId };
  }
  if (data.onLayerError === 'skip') {
    return record({
      status: 'skipped',
      providers: data.candidates.map((item) => item.alias),
      attempts,
      error: serializeJobError(failure),
    });
  }
  return fail(failure);
}
