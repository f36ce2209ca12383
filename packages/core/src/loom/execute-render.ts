import { setMaxListeners } from 'node:events';
import type { Cache } from '../cache/cache.js';
import { AbortError } from '../errors/abort-error.js';
import type { LayerloomError } from '../errors/layerloom-error.js';
import { assembleResult } from '../pipeline/assemble-result.js';
import { compositedLayers, compositeLayers } from '../pipeline/composite-layers.js';
import type { PaintContext } from '../pipeline/paint-candidate.js';
import { paintStep } from '../pipeline/paint-step.js';
import { layerRecordOf, type PaintedStep } from '../pipeline/painted-step.js';
import { createRenderEmitter } from '../pipeline/render-emitter.js';
import type { RenderRun } from '../pipeline/render-run.js';
import { stepEvents } from '../pipeline/step-events.js';
import type { StepExecutor } from '../pipeline/step-executor.js';
import { asProviderFailure, inputSkipped } from '../pipeline/step-failure.js';
import type { Clock } from '../scheduler/clock.js';
import type { Compositor } from '../types/compositor.js';
import type { Provider } from '../types/provider.js';
import type { PlannedStep } from '../types/render-plan.js';
import type { RenderResult, SkippedStep } from '../types/render-result.js';

/** What a render needs from its loom. */
export interface RenderContext {
  /** Providers by alias. */
  readonly providers: Readonly<Record<string, Provider>>;
  /** Blends the layers. */
  readonly compositor: Compositor;
  /** Makes the provider calls. */
  readonly executor: StepExecutor;
  /** Where painted steps are kept, if anywhere. */
  readonly cache: Cache | undefined;
  /** Time, for timings and the manifest. */
  readonly clock: Clock;
}

/**
 * Runs a plan's stages in this process: paints the layers concurrently (each chain link once
 * its input is painted), composites, runs the style pass and assembles the result, reporting
 * every event. The stages are core's pipeline (`@layerloom/core/pipeline`); this driver adds
 * only the in-process order, the abort wiring and the event handler's guard.
 *
 * @param context - providers, compositor, executor, cache and clock.
 * @param run - the plan and this render's options.
 * @returns the render's result.
 * @throws the first failure under `onLayerError: 'fail'`; `AbortError` when aborted; a
 *   LayerloomError `event_handler_error` when `onEvent` throws.
 */
export async function executeRender(context: RenderContext, run: RenderRun): Promise<RenderResult> {
  const { plan, startedAt } = run;
  const { clock } = context;
  const elapsed = () => clock.now() - startedAt;
  const controller = new AbortController();
  const signal = controller.signal;
  // Every queued call of the render listens to this signal; that is not a leak.
  setMaxListeners(0, signal);
  const userSignal = run.signal;
  let failure: LayerloomError | undefined;
  const failWith = (error: LayerloomError) => {
    if (failure !== undefined || signal.aborted) return;
    failure = error;
    controller.abort(error);
  };
  const onUserAbort = () => controller.abort(userSignal?.reason);
  userSignal?.addEventListener('abort', onUserAbort, { once: true });
  if (userSignal?.aborted) onUserAbort();

  const emit = createRenderEmitter(run.onEvent, failWith);
  const stopIfNeeded = () => {
    if (failure !== undefined) throw failure;
    if (userSignal?.aborted) throw AbortError.fromSignal(userSignal, 'The render');
    if (signal.aborted) throw AbortError.fromSignal(signal, 'The render');
  };

  const paintContext: PaintContext = {
    executor: context.executor,
    cache: context.cache,
    cachePolicy: run.cachePolicy,
    clock,
    priority: run.priority,
  };
  const paint = (step: PlannedStep, input: PaintedStep['record']['image'] | undefined) =>
    paintStep(paintContext, step, input, {
      providers: context.providers,
      onLayerError: run.onLayerError,
      signal,
      events: stepEvents(step.kind, step.id, elapsed),
      emit,
    });
  const skipped: SkippedStep[] = [];
  const painted = new Map<string, PaintedStep>();
  let layersDoneAt = startedAt;

  const layerStep = async (
    step: PlannedStep,
    pending: ReadonlyMap<string, Promise<PaintedStep | undefined>>,
  ): Promise<PaintedStep | undefined> => {
    let input: PaintedStep | undefined;
    if (step.dependsOn !== undefined) {
      input = await pending.get(step.dependsOn)!;
      if (input === undefined) {
        const skip = inputSkipped(step, step.dependsOn);
        emit(stepEvents('layer', step.id, elapsed).error(step.providers[0]!, skip.error, 'skip'));
        skipped.push(skip);
        return undefined;
      }
    }
    const outcome = await paint(step, input?.record.image);
    if (outcome.skipped !== undefined) {
      skipped.push(outcome.skipped);
      return undefined;
    }
    painted.set(step.id, outcome.painted);
    emit({
      type: 'layer:done',
      elapsedMs: elapsed(),
      layerId: step.id,
      record: layerRecordOf(step, outcome.painted),
    });
    layersDoneAt = clock.now();
    return outcome.painted;
  };

  try {
    emit({ type: 'plan', elapsedMs: elapsed(), plan });
    stopIfNeeded();
    const layersStartedAt = clock.now();
    layersDoneAt = layersStartedAt;
    const pending = new Map<string, Promise<PaintedStep | undefined>>();
    for (const step of plan.steps) {
      if (step.kind !== 'layer') continue;
      const promise = layerStep(step, pending);
      promise.catch((error: unknown) => {
        const alias = step.providers[0]!;
        if (!signal.aborted) failWith(asProviderFailure(error, alias, context.providers[alias]!));
      });
      pending.set(step.id, promise);
    }
    await Promise.allSettled(pending.values());
    stopIfNeeded();

    const composite = await compositeLayers(
      context,
      {
        composition: plan.composition,
        layers: compositedLayers(plan).map(({ stepId, layer }) => {
          const done = painted.get(stepId);
          return done === undefined
            ? { layer }
            : { layer, painted: { image: done.record.image, matte: done.matte } };
        }),
        skipped,
      },
      signal,
    );
    emit({
      type: 'composite:done',
      elapsedMs: elapsed(),
      image: composite.image,
      ms: composite.ms,
    });
    stopIfNeeded();

    let style: PaintedStep | undefined;
    let styleMs: number | undefined;
    const styleStep = plan.steps.find((step) => step.kind === 'style');
    if (styleStep !== undefined) {
      const styleBegan = clock.now();
      emit({ type: 'style:start', elapsedMs: elapsed(), provider: styleStep.providers[0]! });
      const outcome = await paint(styleStep, {
        bytes: composite.image.bytes,
        mediaType: composite.image.mediaType,
      });
      stopIfNeeded();
      styleMs = clock.now() - styleBegan;
      if (outcome.skipped !== undefined) skipped.push(outcome.skipped);
      else {
        style = outcome.painted;
        emit({ type: 'style:done', elapsedMs: elapsed(), record: style.record });
      }
    }

    const result = assembleResult({
      plan,
      providers: context.providers,
      layers: painted,
      style,
      skipped,
      composite: composite.image,
      timings: {
        planMs: run.planMs,
        layersMs: layersDoneAt - layersStartedAt,
        compositeMs: composite.ms,
        ...(styleMs === undefined ? {} : { styleMs }),
      },
      startedAt,
      finishedAt: clock.now(),
    });
    emit({ type: 'done', elapsedMs: elapsed(), result });
    stopIfNeeded();
    return result;
  } catch (error) {
    if (failure !== undefined) throw failure;
    if (userSignal?.aborted) throw AbortError.fromSignal(userSignal, 'The render');
    if (!signal.aborted) controller.abort(error);
    throw error;
  } finally {
    userSignal?.removeEventListener('abort', onUserAbort);
  }
}
