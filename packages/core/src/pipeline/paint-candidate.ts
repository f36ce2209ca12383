import type { Cache } from '../cache/cache.js';
import type { LayerloomError } from '../errors/layerloom-error.js';
import { isLayerloomError } from '../errors/layerloom-error.js';
import { ProviderError } from '../errors/provider-error.js';
import type { CachePolicy } from '../loom/loom-options.js';
import type { Clock } from '../scheduler/clock.js';
import { describeFailure } from '../scheduler/retry-policy.js';
import type { EncodedImage } from '../types/encoded-image.js';
import type { ImageResult, PlannedImageRequest, Provider } from '../types/provider.js';
import type { PlannedCandidate } from '../types/render-plan.js';
import type { StepRecord } from '../types/render-result.js';
import { sha256 } from '../util/sha256.js';
import type { PaintedStep } from './painted-step.js';
import { cacheEntryOf, readCachedStep, requestCacheKey, usesCache } from './step-cache.js';
import type { StepExecutor, StepHooks } from './step-executor.js';
import { asProviderFailure } from './step-failure.js';

/** What painting a step needs from its runner. */
export interface PaintContext {
  /** Makes the provider call (with the runner's limits and retries). */
  readonly executor: StepExecutor;
  /** Where painted steps are kept, if anywhere. */
  readonly cache: Cache | undefined;
  /** When the cache is used. */
  readonly cachePolicy: CachePolicy;
  /** Time, for the step's `ms`. */
  readonly clock: Clock;
  /** Queue priority of the call (higher first). */
  readonly priority: number;
}

/** The candidate a step is painted with, as {@link paintCandidate} reads it. */
export type CandidateInput = Pick<PlannedCandidate, 'alias' | 'request' | 'matte' | 'warnings'> &
  Partial<Pick<PlannedCandidate, 'cacheKey'>>;

/** One step on one of its candidates. */
export interface CandidateTask {
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** Layer id, or `style`. */
  readonly stepId: string;
  /** The layer's position in the stack, 0 on top (see `ImageRequest.layerIndex`). */
  readonly layerIndex?: number;
  /** The candidate. */
  readonly candidate: CandidateInput;
  /** The candidate's provider. */
  readonly provider: Provider;
  /** The input image: the `from` layer's, or the composite for the style pass. */
  readonly input?: EncodedImage;
  /** The step's own warnings (see `stepWarningsOf`). */
  readonly stepWarnings: readonly string[];
  /** Notes about earlier candidates that failed. */
  readonly notes: readonly string[];
  /** Provider calls made by earlier candidates. */
  readonly priorAttempts: number;
  /** Signal and progress hooks, handed to the executor. */
  readonly hooks: StepHooks;
}

/** How a candidate ended: painted, or failed for good (after the executor's retries). */
export type CandidateOutcome =
  | {
      readonly ok: true;
      /** The painted step. */
      readonly painted: PaintedStep;
    }
  | {
      readonly ok: false;
      /** The final error. */
      readonly failure: LayerloomError;
      /** Provider calls the step made so far, earlier candidates included. */
      readonly attempts: number;
    };

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const attemptsOf = (error: unknown): number =>
  isLayerloomError(error) && typeof (error as { attempts?: unknown }).attempts === 'number'
    ? (error as unknown as { attempts: number }).attempts
    : 1;

/**
 * A provider's answer, checked enough for the pipeline to rely on it.
 *
 * @throws ProviderError `provider_bad_response` when it holds no image.
 */
function checkResult(result: unknown, alias: string, provider: Provider): ImageResult {
  const image = (result as ImageResult | undefined)?.image;
  if (
    typeof result !== 'object' ||
    result === null ||
    typeof image !== 'object' ||
    image === null ||
    !(image.bytes instanceof Uint8Array) ||
    image.bytes.length === 0 ||
    typeof image.mediaType !== 'string'
  ) {
    throw new ProviderError(
      `Provider "${alias}" (${provider.id}/${provider.modelId}) returned no image: expected \`{ image: { bytes: Uint8Array, mediaType } }\``,
      { provider: provider.id, retryable: false, code: 'provider_bad_response' },
    );
  }
  return result as ImageResult;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}

/** The record of a painted candidate from its fields. */
function paintedOf(
  task: Omit<CandidateTask, 'hooks'>,
  { cacheKey, inputSha256 }: CandidateFacts,
  fields: Omit<StepRecord, 'id' | 'provider' | 'providerId' | 'modelId' | 'cacheKey'>,
  resultWarnings: readonly string[],
): PaintedStep {
  const { provider } = task;
  return {
    record: {
      id: task.stepId,
      provider: task.candidate.alias,
      providerId: provider.id,
      modelId: provider.modelId,
      ...fields,
      ...(cacheKey === undefined ? {} : { cacheKey }),
    },
    matte: task.candidate.matte,
    ...(inputSha256 === undefined ? {} : { inputSha256 }),
    resultWarnings,
  };
}

/** The request a candidate sends: its planned request with the input image. */
const requestOf = (task: Omit<CandidateTask, 'hooks'>): PlannedImageRequest =>
  task.input === undefined
    ? task.candidate.request
    : { ...task.candidate.request, image: task.input };

/** What a candidate's request is, computed once per candidate: hashes are not free. */
interface CandidateFacts {
  /** The request as sent, input image included. */
  readonly request: PlannedImageRequest;
  /** Its cache key (the planned one, or computed with the input image). */
  readonly cacheKey: string | undefined;
  /** sha256 of the input image. */
  readonly inputSha256: string | undefined;
}

function factsOf(task: Omit<CandidateTask, 'hooks'>): CandidateFacts {
  const request = requestOf(task);
  return {
    request,
    cacheKey: task.candidate.cacheKey ?? requestCacheKey(task.provider, request),
    inputSha256: task.input === undefined ? undefined : sha256(task.input.bytes),
  };
}

/** Whether the cache is read and written for a candidate's request. */
const cacheUsed = (
  context: Pick<PaintContext, 'cache' | 'cachePolicy'>,
  task: Omit<CandidateTask, 'hooks'>,
  cacheKey: string | undefined,
): cacheKey is string =>
  context.cache !== undefined &&
  cacheKey !== undefined &&
  usesCache(context.cachePolicy, task.candidate.request);

/**
 * Answers a candidate from the cache, when the policy lets it and an entry of the same provider
 * and model is there: the step is recorded as `cached`, with no cost and no call.
 *
 * @param context - the cache, its policy and the clock.
 * @param task - the step on its candidate.
 * @param warnings - extra warnings for the record, after the step's, candidate's and notes.
 * @returns the painted step, or `undefined` when the cache has no entry that counts.
 * @throws what the cache throws.
 */
export function readCandidateFromCache(
  context: Pick<PaintContext, 'cache' | 'cachePolicy' | 'clock'>,
  task: Omit<CandidateTask, 'hooks'>,
  warnings: readonly string[] = [],
): Promise<PaintedStep | undefined> {
  return fromCache(context, task, factsOf(task), warnings);
}

async function fromCache(
  context: Pick<PaintContext, 'cache' | 'cachePolicy' | 'clock'>,
  task: Omit<CandidateTask, 'hooks'>,
  facts: CandidateFacts,
  warnings: readonly string[],
): Promise<PaintedStep | undefined> {
  const { cacheKey } = facts;
  if (!cacheUsed(context, task, cacheKey) || context.cache === undefined) return undefined;
  const began = context.clock.now();
  const entry = await readCachedStep(context.cache, cacheKey, task.provider);
  if (entry === undefined) return undefined;
  const seed = entry.seed ?? task.candidate.request.seed;
  return paintedOf(
    task,
    facts,
    {
      image: entry.image,
      ...(seed === undefined ? {} : { seed }),
      ...(entry.revisedPrompt === undefined ? {} : { revisedPrompt: entry.revisedPrompt }),
      cached: true,
      attempts: task.priorAttempts,
      ms: context.clock.now() - began,
      costUsd: 0,
      ...(entry.requestId === undefined ? {} : { requestId: entry.requestId }),
      warnings: [
        ...task.stepWarnings,
        ...task.candidate.warnings,
        ...task.notes,
        ...warnings,
        ...entry.warnings,
      ],
    },
    entry.warnings,
  );
}

/**
 * Paints one step on one candidate — the "run a step" stage: answers from the cache when the
 * policy allows and an entry of the same provider and model is there, else has the executor
 * make the call (its limits and retries apply), checks the answer, writes the cache and
 * records the step (seed really used, cost, attempts, warnings: the step's, the candidate's,
 * earlier candidates' failures, the provider's). Cache failures become warnings, never
 * failures.
 *
 * @param context - executor, cache and policy, clock, priority.
 * @param task - the step, its candidate and provider, input image, hooks.
 * @returns the painted step, or the candidate's final failure (see `settleStepFailure` for
 *   what the step does next).
 * @throws the signal's reason once `task.hooks.signal` is aborted.
 */
export async function paintCandidate(
  context: PaintContext,
  task: CandidateTask,
): Promise<CandidateOutcome> {
  const { clock, cache } = context;
  const { candidate, provider, hooks } = task;
  const { signal } = hooks;
  const alias = candidate.alias;
  const facts = factsOf(task);
  const { request, cacheKey } = facts;
  const useCache = cacheUsed(context, task, cacheKey);
  const warnings: string[] = [];
  if (useCache) {
    try {
      const hit = await fromCache(context, task, facts, []);
      if (hit !== undefined) {
        throwIfAborted(signal);
        return { ok: true, painted: hit };
      }
    } catch (error) {
      if (signal.aborted) throw error;
      warnings.push(`the cache could not be read (${describeFailure(error)}); painted anew`);
    }
  }

  const began = clock.now();
  let firstStart: number | undefined;
  let over = false;
  const executorHooks: StepHooks = {
    signal,
    ...(hooks.onQueued === undefined ? {} : { onQueued: hooks.onQueued }),
    onStart: (attempt) => {
      firstStart ??= clock.now();
      hooks.onStart?.(attempt);
    },
    ...(hooks.onRetry === undefined ? {} : { onRetry: hooks.onRetry }),
    onProgress: (progress) => {
      if (!over) hooks.onProgress?.(progress);
    },
  };
  try {
    const outcome = await context.executor.execute(
      {
        stepId: task.stepId,
        ...(task.layerIndex === undefined ? {} : { layerIndex: task.layerIndex }),
        kind: task.kind,
        alias,
        provider,
        request,
        priority: context.priority,
      },
      executorHooks,
    );
    over = true;
    const result = checkResult(outcome.result, alias, provider);
    const finishedAt = clock.now();
    const seed = finite(result.seed) ?? request.seed;
    const costUsd = finite(result.costUsd);
    const resultWarnings = Array.isArray(result.warnings)
      ? result.warnings.filter((warning): warning is string => typeof warning === 'string')
      : [];
    const fields = {
      image: { bytes: result.image.bytes, mediaType: result.image.mediaType },
      ...(seed === undefined ? {} : { seed }),
      ...(typeof result.revisedPrompt === 'string' ? { revisedPrompt: result.revisedPrompt } : {}),
      cached: false,
      attempts: task.priorAttempts + Math.max(1, outcome.attempts),
      ms: finishedAt - (firstStart ?? began),
      ...(costUsd === undefined ? {} : { costUsd }),
      ...(typeof result.requestId === 'string' ? { requestId: result.requestId } : {}),
    };
    if (useCache && cache !== undefined) {
      const entry = cacheEntryOf(
        paintedOf(task, facts, { ...fields, warnings: [] }, resultWarnings),
        new Date(clock.now()).toISOString(),
      );
      try {
        await cache.set(cacheKey, entry);
      } catch (error) {
        warnings.push(`the cache could not be written (${describeFailure(error)})`);
      }
    }
    const recordWarnings = [
      ...task.stepWarnings,
      ...candidate.warnings,
      ...task.notes,
      ...warnings,
      ...resultWarnings,
    ];
    return {
      ok: true,
      painted: paintedOf(task, facts, { ...fields, warnings: recordWarnings }, resultWarnings),
    };
  } catch (error) {
    over = true;
    if (signal.aborted) throw error;
    return {
      ok: false,
      failure: asProviderFailure(error, alias, provider),
      attempts: task.priorAttempts + attemptsOf(error),
    };
  }
}
