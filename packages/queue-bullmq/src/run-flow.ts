import { createHash, randomBytes } from 'node:crypto';
import {
  AbortError,
  type Cache,
  LayerloomError,
  type PlannedStep,
  type Provider,
  type RenderEvent,
  type RenderPlan,
  type RenderResult,
} from '@layerloom/core';
import {
  createRenderEmitter,
  describeFailure,
  finalFailure,
  layerRecordOf,
  type RenderRun,
  stepEvents,
  stepLabel,
} from '@layerloom/core/pipeline';
import type { FlowProducer, Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { readBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import { buildFlow } from './build-flow.js';
import { collectFlowResult, readCompositeRecord, readStepOutcome } from './collect-flow-result.js';
import type { FlowEvents } from './flow-events.js';
import {
  compositeRecordSchema,
  type StepJobProgress,
  type StepJobReturn,
  type StepOutcomeRecord,
  stepOutcomeSchema,
} from './flow-job.js';
import { deserializeJobError } from './job-error.js';
import { paintedStepOf } from './painted-outcome.js';
import {
  cancelChannelOf,
  cancelKeyOf,
  cancelMarkTtlMs,
  composeQueueName,
  type FlowJobRef,
  queueNameOf,
  stepJobIdOf,
} from './queue-names.js';
import type { RetentionRule } from './queue-options.js';
import { answerFromSubmitterCache, fillSubmitterCache } from './submitter-cache.js';

/** What a render on flows needs from its runner. */
export interface FlowRunContext {
  /** Providers by alias (planning, manifest). */
  readonly providers: Readonly<Record<string, Provider>>;
  /** Where images and records live. */
  readonly blobStore: BlobStore;
  /** BullMQ key prefix. */
  readonly prefix: string;
  /** A plain Redis client (cancellation marks and messages). */
  readonly redis: () => Redis;
  /** Adds flows. */
  readonly flowProducer: FlowProducer;
  /** A queue by name (counts, look-ups). */
  readonly queueOf: (name: string) => Queue;
  /** The event hub. */
  readonly events: FlowEvents;
  /** A layer cache consulted before the flow is queued, filled after it. */
  readonly cache: Cache | undefined;
  /** Job attempts on an alias's queue. */
  readonly attemptsOf: (alias: string) => number;
  /** Sets an alias's cluster-wide limits on its queue again (Redis may have lost them). */
  readonly restoreLimits: (alias: string) => Promise<void>;
  /** Completed-job retention. */
  readonly removeOnComplete: RetentionRule;
  /** Failed-job retention. */
  readonly removeOnFail: RetentionRule;
  /** Safety-net look-up interval. */
  readonly pollIntervalMs: number;
}

/**
 * How many times a flow that Redis lost (its root job gone, its result not in the blob store) is
 * added again before the render fails with `job_lost`: one per Redis restart without persistence.
 */
const maxRequeues = 3;

const priorityOf = (priority: number) =>
  Math.min(2_097_151, Math.max(1, 1_048_576 - Math.round(priority)));

/** A flow id: 24 hex of the plan's hash (ops can find a composition's keys) + a per-render nonce. */
function flowIdOf(plan: RenderPlan): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(plan.steps.map((step) => [step.id, step.providers, step.request])))
    .digest('hex');
  return `${hash.slice(0, 24)}${randomBytes(8).toString('hex')}`;
}

/**
 * Cancels a flow wherever its jobs are: marks it cancelled (jobs that start later fail at once
 * without a call) and publishes its id (workers abort its running jobs).
 *
 * @param redis - a plain client.
 * @param prefix - BullMQ key prefix.
 * @param flowId - the flow.
 */
export async function cancelFlow(redis: Redis, prefix: string, flowId: string): Promise<void> {
  await redis.set(cancelKeyOf(prefix, flowId), '1', 'PX', cancelMarkTtlMs);
  await redis.publish(cancelChannelOf(prefix), flowId);
}

/**
 * Runs one render as a BullMQ flow: consults the cache, queues the flow, relays its jobs'
 * events as render events, waits for its root job (events, plus a polling safety net), and
 * builds the core `RenderResult` from the blob store. A failure or an abort cancels the flow on
 * every worker.
 *
 * @param context - the runner's connections, store, cache and settings.
 * @param run - the plan and this render's options.
 * @returns the render's result.
 * @throws the failing step's error under `onLayerError: 'fail'`; `AbortError` when aborted.
 */
export async function runFlow(context: FlowRunContext, run: RenderRun): Promise<RenderResult> {
  const { plan, startedAt } = run;
  const { blobStore } = context;
  const flowId = flowIdOf(plan);
  const elapsed = () => Date.now() - startedAt;
  const layerSteps = new Map(
    plan.steps.filter((step) => step.kind === 'layer').map((step) => [step.id, step]),
  );
  const styleStep = plan.steps.find((step) => step.kind === 'style');
  const stepOf = (kind: 'layer' | 'style', stepId: string): PlannedStep | undefined =>
    kind === 'style' ? styleStep : layerSteps.get(stepId);

  // The submitter's cache answers before anything is queued: the step's job finds its record.
  const cache = context.cache;
  const cached =
    cache === undefined
      ? new Set<string>()
      : await answerFromSubmitterCache(
          { cache, providers: context.providers, blobStore },
          run,
          flowId,
        );

  const { flow, rootId, rootQueue } = await buildFlow(
    plan,
    {
      flowId,
      attemptsOf: context.attemptsOf,
      onLayerError: run.onLayerError,
      cachePolicy: run.cachePolicy,
      priority: priorityOf(run.priority),
      removeOnComplete: context.removeOnComplete,
      removeOnFail: context.removeOnFail,
    },
    blobStore,
  );
  const aliases = new Set(plan.steps.flatMap((step) => step.providers));
  await context.events.ready([composeQueueName, ...[...aliases].map(queueNameOf)]);

  let current = { id: rootId, queue: rootQueue };
  let settled = false;
  // Events wait until `layer:queued` is out, then are handled one after the other.
  let openGate!: () => void;
  let chain = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  const lastAttempt = new Map<string, number>();
  const retryErrors = new Map<string, LayerloomError[]>();
  const reported = new Set<string>();
  const handled = new Set<string>();
  let layersDoneAt = Date.now();
  // A failure waiting for its child's own reason (see `onFailed`): the flow is not lost.
  let failing = false;
  let resolveRun!: (result: RenderResult) => void;
  let rejectRun!: (error: unknown) => void;
  const finished = new Promise<RenderResult>((resolve, reject) => {
    resolveRun = resolve;
    rejectRun = reject;
  });

  const settle = (action: () => void) => {
    if (settled) return;
    settled = true;
    action();
  };
  const failWith = (error: unknown, cancel: boolean) => {
    if (settled) return;
    settle(() => rejectRun(error));
    if (cancel) cancelFlow(context.redis(), context.prefix, flowId).catch(() => {});
  };
  const emitEvent = createRenderEmitter(run.onEvent, (error) => failWith(error, true));
  const emit = (event: RenderEvent | undefined) => {
    if (!settled) emitEvent(event);
  };
  /** Event handling is serialised: a step's events keep their order, `done` comes last. */
  const enqueue = (task: () => Promise<void> | void) => {
    chain = chain
      .then(async () => {
        if (!settled) await task();
      })
      .catch((error: unknown) => failWith(error, true));
  };
  const labelOf = (ref: FlowJobRef) =>
    ref.kind === 'compose' ? 'The composite' : stepLabel(ref.kind, ref.stepId, aliasOf(ref));
  const eventsOf = (kind: 'layer' | 'style', stepId: string) => stepEvents(kind, stepId, elapsed);
  const aliasOf = (ref: FlowJobRef) =>
    ref.kind === 'compose'
      ? ''
      : (stepOf(ref.kind, ref.stepId)?.providers[ref.candidateIndex] ??
        stepOf(ref.kind, ref.stepId)?.providers[0] ??
        '');

  const reportPainted = async (
    kind: 'layer' | 'style',
    stepId: string,
    outcome: StepOutcomeRecord,
  ) => {
    const key = kind === 'style' ? 'style' : `layer:${stepId}`;
    if (reported.has(key)) return;
    reported.add(key);
    const step = stepOf(kind, stepId);
    if (step === undefined) return;
    if (outcome.status === 'skipped') {
      const error = deserializeJobError(outcome.error, stepId);
      emit(eventsOf(step.kind, stepId).error(step.providers.at(-1)!, error, 'skip'));
      return;
    }
    const painted = await paintedStepOf(blobStore, stepId, outcome);
    if (step.kind === 'style') {
      emit({ type: 'style:done', elapsedMs: elapsed(), record: painted.record });
      return;
    }
    layersDoneAt = Date.now();
    emit({
      type: 'layer:done',
      elapsedMs: elapsed(),
      layerId: stepId,
      record: layerRecordOf(step, painted),
    });
  };

  /**
   * Reports the layers whose completion has not been relayed yet, from their records: events of
   * different queues arrive in any order (and may be lost across a Redis restart), but every
   * `layer:done` comes before `composite:done`.
   */
  const catchUpLayers = async () => {
    for (const step of layerSteps.values()) {
      if (reported.has(`layer:${step.id}`)) continue;
      const outcome = await readStepOutcome(blobStore, flowId, 'layer', step.id);
      if (outcome !== undefined) await reportPainted('layer', step.id, outcome);
    }
  };

  const finish = async () => {
    await reportComposite();
    if (styleStep !== undefined && !reported.has('style')) {
      const outcome = await readStepOutcome(blobStore, flowId, 'style', 'style');
      if (outcome !== undefined) await reportPainted('style', 'style', outcome);
    }
    const result = await collectFlowResult(blobStore, {
      plan,
      flowId,
      providers: context.providers,
      planMs: run.planMs,
      startedAt,
      layersStartedAt,
      layersDoneAt,
    });
    await fillCache(result);
    emit({ type: 'done', elapsedMs: elapsed(), result });
    settle(() => resolveRun(result));
  };

  /** Fills the submitter's cache with the layers the workers painted, by core's cache rules. */
  const fillCache = async (result: RenderResult) => {
    if (cache === undefined) return;
    await fillSubmitterCache(
      { cache, providers: context.providers, blobStore },
      run,
      flowId,
      result,
      cached,
    );
  };

  const reportComposite = async () => {
    if (reported.has('composite')) return;
    await catchUpLayers();
    const record = await readCompositeRecord(blobStore, flowId);
    if (record === undefined) return;
    reported.add('composite');
    const bytes = await readBlobImage(blobStore, record.image, 'The composite');
    emit({
      type: 'composite:done',
      elapsedMs: elapsed(),
      image: { ...bytes, width: record.width, height: record.height },
      ms: record.ms,
    });
    if (styleStep !== undefined) {
      emit({ type: 'style:start', elapsedMs: elapsed(), provider: styleStep.providers[0]! });
    }
  };

  const onCompleted = (ref: FlowJobRef, jobId: string, returnvalue: unknown) =>
    enqueue(async () => {
      if (handled.has(jobId)) return;
      handled.add(jobId);
      if (ref.kind === 'compose') {
        const parsed = compositeRecordSchema.safeParse(parseValue(returnvalue));
        if (parsed.success) await reportComposite();
      } else {
        const value = parseValue(returnvalue) as StepJobReturn | undefined;
        // A style job completes after the composite, whichever event arrives first.
        if (ref.kind === 'style') await reportComposite();
        if (value?.status === 'forwarded') {
          const error = deserializeJobError(value.error, labelOf(ref));
          emit(eventsOf(ref.kind, ref.stepId).error(aliasOf(ref), error, 'fallback'));
          if (jobId === current.id && ref.kind === 'style') {
            const next = styleStep!.providers[ref.candidateIndex + 1]!;
            current = { id: value.next, queue: queueNameOf(next) };
          }
          return;
        }
        const outcome = stepOutcomeSchema.safeParse(value);
        if (outcome.success) {
          await reportPainted(ref.kind, ref.stepId, outcome.data as StepOutcomeRecord);
        }
      }
      if (jobId === current.id) await finish();
    });

  const onFailed = (ref: FlowJobRef, jobId: string, failedReason: string) =>
    enqueue(() => {
      if (handled.has(jobId)) return;
      handled.add(jobId);
      if (!failedReason.startsWith('layerloom-error:')) {
        // A parent failed because a child did (`failParentOnFailure`), or BullMQ gave up on a
        // stalled job: give the child's own failure a moment to arrive first.
        failing = true;
        const timer = setTimeout(
          () => failWith(deserializeJobError(failedReason, labelOf(ref)), true),
          300,
        );
        timer.unref?.();
        return;
      }
      const error = deserializeJobError(failedReason, labelOf(ref));
      if (ref.kind !== 'compose' && error.code !== 'aborted') {
        emit(eventsOf(ref.kind, ref.stepId).error(aliasOf(ref), error, 'fail'));
      }
      failWith(
        finalFailure(
          labelOf(ref),
          [...(retryErrors.get(jobId) ?? []), error],
          lastAttempt.get(jobId) ?? 1,
        ),
        true,
      );
    });

  const stopListening = context.events.listen(flowId, {
    onProgress: (ref, progress) =>
      enqueue(async () => {
        // A style job runs after the composite, whichever event arrives first.
        if (ref.kind === 'style') await reportComposite();
        relayProgress(ref, progress);
      }),
    onCompleted,
    onFailed,
  });

  function relayProgress(ref: FlowJobRef, progress: StepJobProgress) {
    if (ref.kind === 'compose') return;
    // Late messages of a step already reported from its record.
    if (reported.has(ref.kind === 'style' ? 'style' : `layer:${ref.stepId}`)) return;
    const jobId = stepJobIdOf(flowId, ref.kind, ref.stepId, ref.candidateIndex);
    lastAttempt.set(jobId, Math.max(lastAttempt.get(jobId) ?? 1, progress.attempt));
    const provider = aliasOf(ref);
    const events = eventsOf(ref.kind, ref.stepId);
    if (progress.type === 'start') emit(events.start(provider, progress.attempt));
    else if (progress.type === 'progress') emit(events.progress(provider, progress));
    else {
      const error = deserializeJobError(progress.error, labelOf(ref));
      retryErrors.set(jobId, [...(retryErrors.get(jobId) ?? []), error]);
      emit(events.retry(provider, { ...progress, error }));
    }
  }

  const userSignal = run.signal;
  const onAbort = () => {
    failWith(AbortError.fromSignal(userSignal!, 'The render'), true);
  };
  userSignal?.addEventListener('abort', onAbort, { once: true });

  emit({ type: 'plan', elapsedMs: elapsed(), plan });
  const layersStartedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    if (userSignal?.aborted) throw AbortError.fromSignal(userSignal, 'The render');
    const queued = [...layerSteps.values()].filter((step) => !cached.has(step.id));
    const ahead = new Map<string, number>();
    for (const alias of new Set(queued.map((step) => step.providers[0]!))) {
      ahead.set(alias, await context.queueOf(queueNameOf(alias)).count());
    }
    try {
      await context.flowProducer.add(flow);
    } catch (error) {
      throw new LayerloomError(
        'queue_error',
        `The composition could not be queued: ${describeFailure(error)}`,
        { cause: error },
      );
    }
    for (const step of queued) {
      const alias = step.providers[0]!;
      emit(eventsOf('layer', step.id).queued(alias, ahead.get(alias) ?? 0));
    }
    openGate();
    let requeues = 0;
    const poll = async () => {
      const { id, queue } = current;
      const job: Job | undefined = await context.queueOf(queue).getJob(id);
      if (job === undefined) {
        // Completed jobs are removed at once: the records tell a finished flow from a lost one.
        const done =
          styleStep === undefined
            ? (await readCompositeRecord(blobStore, flowId)) !== undefined
            : (await readStepOutcome(blobStore, flowId, 'style', 'style')) !== undefined;
        if (done) {
          enqueue(async () => {
            if (handled.has(id)) return;
            handled.add(id);
            await finish();
          });
          return;
        }
        if (styleStep !== undefined) {
          // The style job may have moved on to its next candidate while events were lost.
          const index = Number(id.split('.').at(-1)) + 1;
          const alias = styleStep.providers[index];
          const nextId = stepJobIdOf(flowId, 'style', 'style', index);
          if (alias !== undefined && (await context.queueOf(queueNameOf(alias)).getJob(nextId))) {
            current = { id: nextId, queue: queueNameOf(alias) };
            return;
          }
        }
        if (settled || failing) return;
        if (requeues >= maxRequeues) {
          failWith(
            new LayerloomError(
              'job_lost',
              `The flow's root job ${id} is gone from the queue, and was queued again ${maxRequeues} times already`,
            ),
            true,
          );
          return;
        }
        // Neither in Redis nor finished: Redis lost the flow (a restart without persistence, a
        // failover to a replica behind). Add the same flow again, same job ids and data: steps
        // whose outcome or call checkpoint reached the blob store answer from it without a paid
        // call, and jobs Redis still has are attached to it. The aliases' cluster-wide limits
        // went with the flow: set them before a worker can take one of its jobs.
        requeues += 1;
        for (const alias of aliases) await context.restoreLimits(alias);
        await context.flowProducer.add(flow);
        current = { id: rootId, queue: rootQueue };
        return;
      }
      const state = await job.getState();
      if (state === 'completed') {
        onCompleted(refOf(flowId, id, styleStep !== undefined), id, job.returnvalue);
      } else if (state === 'failed') {
        onFailed(refOf(flowId, id, styleStep !== undefined), id, job.failedReason);
      }
    };
    let polling = false;
    timer = setInterval(() => {
      // One look-up at a time: while Redis is unreachable they would pile up in ioredis's
      // offline queue and, once it is back, all find the flow lost and add it again at once.
      if (polling || settled) return;
      polling = true;
      poll()
        .catch(() => {})
        .finally(() => {
          polling = false;
        });
    }, context.pollIntervalMs);
    timer.unref?.();
    return await finished;
  } catch (error) {
    failWith(error, true);
    return await finished;
  } finally {
    openGate();
    clearInterval(timer);
    userSignal?.removeEventListener('abort', onAbort);
    stopListening();
  }
}

function refOf(flowId: string, jobId: string, styled: boolean): FlowJobRef {
  if (!styled) return { flowId, kind: 'compose' };
  const index = Number(jobId.split('.').at(-1));
  return {
    flowId,
    kind: 'style',
    stepId: 'style',
    candidateIndex: Number.isInteger(index) ? index : 0,
  };
}

function parseValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
