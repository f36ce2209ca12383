import { type Cache, type Provider, type RenderResult, systemClock } from '@layerloom/core';
import {
  cacheEntryOf,
  type RenderRun,
  readCandidateFromCache,
  stepWarningsOf,
  usesCache,
} from '@layerloom/core/pipeline';
import type { BlobStore } from './blob-store.js';
import { readStepOutcome } from './collect-flow-result.js';
import { encodeRecord } from './flow-job.js';
import { paintedOutcomeOf } from './painted-outcome.js';
import { stepOutcomeKeyOf } from './queue-names.js';

/** What the submitter's layer cache needs from the runner. */
export interface SubmitterCacheContext {
  /** The submitter's layer cache. */
  readonly cache: Cache;
  /** Providers by alias. */
  readonly providers: Readonly<Record<string, Provider>>;
  /** Where step outcomes live. */
  readonly blobStore: BlobStore;
}

/**
 * Answers a flow's layers from the submitter's cache before anything is queued: each layer
 * step without an input whose first candidate the cache holds (by core's cache rules) gets
 * its outcome record written to the blob store, where the step's job finds it and makes no
 * call. A cache that fails is a miss.
 *
 * @param context - the cache, the providers and the blob store.
 * @param run - the plan and this render's options.
 * @param flowId - the flow about to be queued.
 * @returns the ids of the layers answered.
 */
export async function answerFromSubmitterCache(
  context: SubmitterCacheContext,
  run: RenderRun,
  flowId: string,
): Promise<ReadonlySet<string>> {
  const answered = new Set<string>();
  for (const step of run.plan.steps) {
    const first = step.candidates[0]!;
    if (step.kind !== 'layer' || step.dependsOn !== undefined) continue;
    const painted = await readCandidateFromCache(
      { cache: context.cache, cachePolicy: run.cachePolicy, clock: systemClock },
      {
        kind: 'layer',
        stepId: step.id,
        candidate: first,
        provider: context.providers[first.alias]!,
        stepWarnings: stepWarningsOf(step),
        notes: [],
        priorAttempts: 0,
      },
    ).catch(() => undefined);
    if (painted === undefined) continue;
    await context.blobStore.put(
      stepOutcomeKeyOf(flowId, 'layer', step.id),
      encodeRecord(await paintedOutcomeOf(context.blobStore, painted)),
    );
    answered.add(step.id);
  }
  return answered;
}

/**
 * Fills the submitter's cache with the layers the workers painted, by core's cache rules (the
 * cache policy, the candidate's request), from their outcome records. A cache that fails to
 * store is ignored.
 *
 * @param context - the cache, the providers and the blob store.
 * @param run - the plan and this render's options.
 * @param flowId - the flow.
 * @param result - the render's result.
 * @param answered - the layers {@link answerFromSubmitterCache} answered (not stored again).
 */
export async function fillSubmitterCache(
  context: SubmitterCacheContext,
  run: RenderRun,
  flowId: string,
  result: RenderResult,
  answered: ReadonlySet<string>,
): Promise<void> {
  for (const record of result.layers) {
    if (record.cached || record.cacheKey === undefined || answered.has(record.id)) continue;
    const candidate = run.plan.steps
      .find((step) => step.kind === 'layer' && step.id === record.id)
      ?.candidates.find((item) => item.alias === record.provider);
    if (candidate === undefined || !usesCache(run.cachePolicy, candidate.request)) continue;
    const outcome = await readStepOutcome(context.blobStore, flowId, 'layer', record.id);
    const entry = cacheEntryOf(
      {
        record,
        matte: record.matte,
        resultWarnings: outcome?.status === 'painted' ? (outcome.resultWarnings ?? []) : [],
      },
      new Date().toISOString(),
    );
    await context.cache.set(record.cacheKey, entry).catch(() => {});
  }
}
