import {
  AbortError,
  type EncodedImage,
  isRetryableError,
  LayerloomError,
  type Provider,
  systemClock,
} from '@layerloom/core';
import {
  describeFailure,
  inputSkipped,
  isRateLimitError,
  paintCandidate,
  retryDelayMs,
  settleStepFailure,
  stepLabel,
} from '@layerloom/core/pipeline';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { readBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import { checkpointCache } from './checkpoint-cache.js';
import { readStepOutcome } from './collect-flow-result.js';
import {
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
import { paintedOutcomeOf } from './painted-outcome.js';
import { compositeKeyOf, stepJobIdOf, stepOutcomeKeyOf } from './queue-names.js';
import { workerExecutor } from './worker-executor.js';

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

/** Progress goes through Redis: at most a few messages a second, never the preview bytes. */
const progressIntervalMs = 250;

/**
 * Processes a layer or style job of a flow on the worker of its alias. The job is transport:
 * it waits for its input (the `from` layer's outcome or the composite) in the blob store, then
 * runs core's "run a step" stage (`paintCandidate`: cache, call, checks, record) with this
 * attempt's executor and the workers' shared checkpoints as the cache, and settles a final
 * failure by core's rule (`settleStepFailure`): the next candidate's job is queued (fallback),
 * a skip is recorded, or the job fails with an `UnrecoverableError` (which fails the flow).
 * Retries are BullMQ attempts, with core's retry policy.
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
  const label = stepLabel(data.kind, data.stepId, alias);
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
  const known = await readStepOutcome(blobStore, data.flowId, data.kind, data.stepId);
  if (known !== undefined) return known;

  const step = {
    id: data.stepId,
    kind: data.kind,
    providers: data.candidates.map((item) => item.alias),
  };
  const record = async (outcome: StepOutcomeRecord) => {
    await blobStore.put(
      stepOutcomeKeyOf(data.flowId, data.kind, data.stepId),
      encodeRecord(outcome),
    );
    return outcome;
  };
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
      const skipped = inputSkipped(step, data.from);
      return record({
        status: 'skipped',
        providers: skipped.providers,
        attempts: skipped.attempts,
        error: serializeJobError(skipped.error),
      });
    }
    input = await readBlobImage(blobStore, source.image, label);
  }

  // A world pack's reference images travel as blob references; the provider gets the bytes.
  const { referenceImages: referenceBlobs, ...jobRequest } = candidate.request;
  const painting = {
    ...candidate,
    request:
      referenceBlobs === undefined
        ? jobRequest
        : {
            ...jobRequest,
            referenceImages: await Promise.all(
              referenceBlobs.map((reference) => readBlobImage(blobStore, reference, label)),
            ),
          },
  };

  const attempt = job.attemptsMade + 1;
  const progress = (message: StepJobProgress) =>
    job.updateProgress(message as unknown as object).catch(() => {});
  const controller = new AbortController();
  const onCancel = () => controller.abort(new AbortError(`${label} was cancelled`));
  if (signal?.aborted) onCancel();
  signal?.addEventListener('abort', onCancel, { once: true });
  let lastProgressAt = 0;
  let outcome: Awaited<ReturnType<typeof paintCandidate>>;
  try {
    outcome = await paintCandidate(
      {
        executor: workerExecutor({
          job,
          token,
          lockDurationMs: context.lockDurationMs,
          timeoutMs: context.timeoutMs,
          onProviderCall: context.onProviderCall,
        }),
        cache: checkpointCache(blobStore),
        cachePolicy: data.cachePolicy,
        clock: systemClock,
        priority: 0,
      },
      {
        kind: data.kind,
        stepId: data.stepId,
        ...(data.layerIndex === undefined ? {} : { layerIndex: data.layerIndex }),
        candidate: painting,
        provider,
        ...(input === undefined ? {} : { input }),
        stepWarnings: data.warnings,
        notes: data.notes,
        priorAttempts: data.priorAttempts,
        hooks: {
          signal: controller.signal,
          onStart: () => void progress({ type: 'start', attempt }),
          onProgress: (update) => {
            const now = Date.now();
            if (now - lastProgressAt < progressIntervalMs) return;
            lastProgressAt = now;
            void progress({
              type: 'progress',
              attempt,
              ...(typeof update?.fraction === 'number' ? { fraction: update.fraction } : {}),
              ...(typeof update?.etaMs === 'number' ? { etaMs: update.etaMs } : {}),
            });
          },
        },
      },
    );
  } catch (aborted) {
    return fail(aborted as LayerloomError);
  } finally {
    signal?.removeEventListener('abort', onCancel);
  }
  if (outcome.ok) return record(await paintedOutcomeOf(blobStore, outcome.painted));

  const { failure } = outcome;
  if (failure.code === 'queue_lock_lost') throw new AttemptFailure(serializeJobError(failure), 0);
  const delayMs = retryDelayMs(failure, attempt, context.delays, context.random);
  if (isRateLimitError(failure)) {
    // Pauses this alias's queue for every worker, as the in-process scheduler pauses its queue.
    await context.rateLimit(Math.max(delayMs, 1)).catch(() => {});
  }
  if (isRetryableError(failure) && attempt < (job.opts.attempts ?? 1)) {
    await progress({
      type: 'retry',
      attempt,
      delayMs,
      reason: describeFailure(failure),
      error: serializeJobError(failure),
    });
    throw new AttemptFailure(serializeJobError(failure), delayMs);
  }
  const attempts = data.priorAttempts + attempt;
  const settled = settleStepFailure(
    step,
    data.candidateIndex,
    failure,
    attempts,
    data.onLayerError,
  );
  if (settled.outcome === 'fallback') {
    const nextId = stepJobIdOf(data.flowId, data.kind, data.stepId, data.candidateIndex + 1);
    await context.forward(job, data.candidates[data.candidateIndex + 1]!, nextId, {
      ...data,
      candidateIndex: data.candidateIndex + 1,
      priorAttempts: attempts,
      notes: [...data.notes, settled.note],
    });
    return { status: 'forwarded', error: serializeJobError(failure), next: nextId };
  }
  if (settled.outcome === 'skip') {
    return record({
      status: 'skipped',
      providers: settled.skipped.providers,
      attempts: settled.skipped.attempts,
      error: serializeJobError(failure),
    });
  }
  return fail(failure);
}
