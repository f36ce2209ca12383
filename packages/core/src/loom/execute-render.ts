import { setMaxListeners } from 'node:events';
import type { Cache, CacheEntry } from '../cache/cache.js';
import { computeCacheKey } from '../cache/cache-key.js';
import { AbortError } from '../errors/abort-error.js';
import { isLayerloomError, LayerloomError } from '../errors/layerloom-error.js';
import { ProviderError } from '../errors/provider-error.js';
import type { Clock } from '../scheduler/clock.js';
import { describeFailure } from '../scheduler/retry-policy.js';
import type { RetryNotice } from '../scheduler/scheduler-options.js';
import type { CompositeLayer, Compositor } from '../types/compositor.js';
import type { EncodedImage, SizedImage } from '../types/encoded-image.js';
import type { ImageProgress, ImageResult, Provider } from '../types/provider.js';
import type { RenderEvent } from '../types/render-event.js';
import type { PlannedCandidate, PlannedStep } from '../types/render-plan.js';
import type { LayerRecord, RenderResult, SkippedStep, StepRecord } from '../types/render-result.js';
import { readImageSize } from '../util/read-image-size.js';
import { sha256 } from '../util/sha256.js';
import { buildManifest, type ManifestStepInput } from './build-manifest.js';
import type { RenderRun } from './render-run.js';
import type { StepExecutor, StepHooks } from './step-executor.js';

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

interface PaintedStep {
  readonly record: StepRecord;
  readonly candidate: PlannedCandidate;
  readonly inputSha256: string | undefined;
}

/** Turns anything a provider threw into a Layerloom error without copying its message. */
function asProviderFailure(error: unknown, alias: string, provider: Provider): LayerloomError {
  if (isLayerloomError(error)) return error;
  const what =
    error instanceof Error ? `an unexpected ${error.name}` : `a non-error value (${typeof error})`;
  return new ProviderError(
    `Provider "${alias}" (${provider.id}/${provider.modelId}) threw ${what}; see \`cause\``,
    { provider: provider.id, retryable: false, code: 'provider_unexpected_error', cause: error },
  );
}

/** The answer of a provider, checked enough for the pipeline to rely on it. */
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

const attemptsOf = (error: unknown): number =>
  isLayerloomError(error) && typeof (error as { attempts?: unknown }).attempts === 'number'
    ? (error as unknown as { attempts: number }).attempts
    : 1;

const optionalNumber = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * Executes a plan: paints the layers (each chain link once its input is painted; from the cache
 * when allowed), applies the failure policy and fallbacks, composites, runs the style pass,
 * reports every event and builds the result and its manifest.
 *
 * @param context - providers, compositor, executor, cache and clock.
 * @param run - the plan and this render's options.
 * @returns the render's result.
 * @throws the first failure under `onLayerError: 'fail'`; `AbortError` when aborted; a
 *   LayerloomError `event_handler_error` when `onEvent` throws.
 */
export async function executeRender(context: RenderContext, run: RenderRun): Promise<RenderResult> {
  const { plan, startedAt } = run;
  const { clock, cache } = context;
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

  let handlerBroken = false;
  const emit = (event: RenderEvent) => {
    if (run.onEvent === undefined || handlerBroken) return;
    try {
      run.onEvent(event);
    } catch (cause) {
      handlerBroken = true;
      failWith(
        new LayerloomError(
          'event_handler_error',
          `The onEvent handler threw while handling a "${event.type}" event`,
          { cause },
        ),
      );
    }
  };
  const stopIfNeeded = () => {
    if (failure !== undefined) throw failure;
    if (userSignal?.aborted) throw AbortError.fromSignal(userSignal, 'The render');
    if (signal.aborted) throw AbortError.fromSignal(signal, 'The render');
  };

  const skipped: SkippedStep[] = [];
  const painted = new Map<string, PaintedStep>();

  /** Paints one step with its fallbacks; `undefined` when it was skipped. */
  async function paint(
    step: PlannedStep,
    input: EncodedImage | undefined,
  ): Promise<PaintedStep | undefined> {
    const isLayer = step.kind === 'layer';
    const inputSha256 = input === undefined ? undefined : sha256(input.bytes);
    const first = step.candidates[0]!;
    const stepWarnings = step.warnings.slice(0, step.warnings.length - first.warnings.length);
    const fallbackNotes: string[] = [];
    let attempts = 0;
    for (let position = 0; position < step.candidates.length; position++) {
      const candidate = step.candidates[position]!;
      const alias = candidate.alias;
      const provider = context.providers[alias]!;
      const request =
        input === undefined ? candidate.request : { ...candidate.request, image: input };
      const cacheKey =
        candidate.cacheKey ??
        (input === undefined
          ? undefined
          : computeCacheKey({
              providerId: provider.id,
              modelId: provider.modelId,
              ...(provider.fingerprint === undefined ? {} : { fingerprint: provider.fingerprint }),
              request,
            }));
      const useCache =
        cache !== undefined &&
        cacheKey !== undefined &&
        (run.cachePolicy === 'always' ||
          (run.cachePolicy === 'seeded' && request.seed !== undefined));
      const warnings = [...stepWarnings, ...candidate.warnings, ...fallbackNotes];
      const began = clock.now();
      const record = (
        fields: Omit<StepRecord, 'id' | 'provider' | 'providerId' | 'modelId'>,
      ): PaintedStep => ({
        record: {
          id: step.id,
          provider: alias,
          providerId: provider.id,
          modelId: provider.modelId,
          ...fields,
          ...(cacheKey === undefined ? {} : { cacheKey }),
        },
        candidate,
        inputSha256,
      });

      if (useCache) {
        try {
          const entry = await cache.get(cacheKey);
          if (
            entry !== undefined &&
            entry.providerId === provider.id &&
            entry.modelId === provider.modelId
          ) {
            stopIfNeeded();
            const seed = entry.seed ?? request.seed;
            return record({
              image: entry.image,
              ...(seed === undefined ? {} : { seed }),
              ...(entry.revisedPrompt === undefined ? {} : { revisedPrompt: entry.revisedPrompt }),
              cached: true,
              attempts,
              ms: clock.now() - began,
              costUsd: 0,
              ...(entry.requestId === undefined ? {} : { requestId: entry.requestId }),
              warnings: [...warnings, ...entry.warnings],
            });
          }
        } catch (error) {
          if (signal.aborted) throw error;
          warnings.push(`the cache could not be read (${describeFailure(error)}); painted anew`);
        }
      }

      let firstStart: number | undefined;
      let over = false;
      const hooks: StepHooks = {
        signal,
        ...(isLayer
          ? {
              onQueued: (position: number) =>
                emit({
                  type: 'layer:queued',
                  elapsedMs: elapsed(),
                  layerId: step.id,
                  provider: alias,
                  position,
                }),
            }
          : {}),
        onStart: (attempt: number) => {
          firstStart ??= clock.now();
          if (isLayer) {
            emit({
              type: 'layer:start',
              elapsedMs: elapsed(),
              layerId: step.id,
              provider: alias,
              attempt,
            });
          }
        },
        onRetry: (notice: RetryNotice) => {
          const base = {
            elapsedMs: elapsed(),
            provider: alias,
            attempt: notice.attempt,
            delayMs: notice.delayMs,
            reason: notice.reason,
            error: asProviderFailure(notice.error, alias, provider),
          };
          emit(
            isLayer
              ? { type: 'layer:retry', layerId: step.id, ...base }
              : { type: 'style:retry', ...base },
          );
        },
        onProgress: (progress: ImageProgress) => {
          if (over || typeof progress !== 'object' || progress === null) return;
          const fields = {
            elapsedMs: elapsed(),
            provider: alias,
            ...(optionalNumber(progress.fraction) === undefined
              ? {}
              : { fraction: progress.fraction! }),
            ...(optionalNumber(progress.etaMs) === undefined ? {} : { etaMs: progress.etaMs! }),
            ...(progress.preview === undefined ? {} : { preview: progress.preview }),
          };
          emit(
            isLayer
              ? { type: 'layer:progress', layerId: step.id, ...fields }
              : { type: 'style:progress', ...fields },
          );
        },
      };
      try {
        const outcome = await context.executor.execute(
          { stepId: step.id, kind: step.kind, alias, provider, request, priority: run.priority },
          hooks,
        );
        over = true;
        const result = checkResult(outcome.result, alias, provider);
        attempts += Math.max(1, outcome.attempts);
        const finishedAt = clock.now();
        const seed = optionalNumber(result.seed) ?? request.seed;
        const costUsd = optionalNumber(result.costUsd);
        const resultWarnings = Array.isArray(result.warnings)
          ? result.warnings.filter((warning): warning is string => typeof warning === 'string')
          : [];
        if (useCache) {
          const entry: CacheEntry = {
            image: result.image,
            providerId: provider.id,
            modelId: provider.modelId,
            ...(seed === undefined ? {} : { seed }),
            ...(typeof result.revisedPrompt === 'string'
              ? { revisedPrompt: result.revisedPrompt }
              : {}),
            ...(typeof result.requestId === 'string' ? { requestId: result.requestId } : {}),
            ...(costUsd === undefined ? {} : { costUsd }),
            warnings: resultWarnings,
            createdAt: new Date(clock.now()).toISOString(),
          };
          try {
            await cache.set(cacheKey, entry);
          } catch (error) {
            warnings.push(`the cache could not be written (${describeFailure(error)})`);
          }
        }
        return record({
          image: { bytes: result.image.bytes, mediaType: result.image.mediaType },
          ...(seed === undefined ? {} : { seed }),
          ...(typeof result.revisedPrompt === 'string'
            ? { revisedPrompt: result.revisedPrompt }
            : {}),
          cached: false,
          attempts,
          ms: finishedAt - (firstStart ?? began),
          ...(costUsd === undefined ? {} : { costUsd }),
          ...(typeof result.requestId === 'string' ? { requestId: result.requestId } : {}),
          warnings: [...warnings, ...resultWarnings],
        });
      } catch (error) {
        over = true;
        if (signal.aborted) throw error;
        const failed = asProviderFailure(error, alias, provider);
        attempts += attemptsOf(error);
        const last = position === step.candidates.length - 1;
        const outcome = last ? run.onLayerError : 'fallback';
        const base = { elapsedMs: elapsed(), provider: alias, error: failed, outcome } as const;
        emit(
          isLayer
            ? { type: 'layer:error', layerId: step.id, ...base }
            : { type: 'style:error', ...base },
        );
        if (!last) {
          fallbackNotes.push(
            `"${alias}" failed (${describeFailure(failed)}); the next provider was tried`,
          );
          continue;
        }
        if (outcome === 'skip') {
          skipped.push({
            id: step.id,
            kind: step.kind,
            providers: step.providers,
            error: failed,
            attempts,
          });
          return undefined;
        }
        throw failed;
      }
    }
    return undefined;
  }

  const layerStep = async (
    step: PlannedStep,
    pending: ReadonlyMap<string, Promise<PaintedStep | undefined>>,
  ) => {
    let input: EncodedImage | undefined;
    if (step.dependsOn !== undefined) {
      const source = await pending.get(step.dependsOn)!;
      if (source === undefined) {
        const error = new LayerloomError(
          'input_skipped',
          `Layer "${step.id}" was skipped: its input layer "${step.dependsOn}" was skipped`,
        );
        emit({
          type: 'layer:error',
          elapsedMs: elapsed(),
          layerId: step.id,
          provider: step.providers[0]!,
          error,
          outcome: 'skip',
        });
        skipped.push({ id: step.id, kind: 'layer', providers: step.providers, error, attempts: 0 });
        return undefined;
      }
      input = source.record.image;
    }
    const result = await paint(step, input);
    if (result !== undefined) {
      painted.set(step.id, result);
      const record: LayerRecord = {
        ...result.record,
        composited: step.composited,
        matte: result.candidate.matte,
      };
      emit({ type: 'layer:done', elapsedMs: elapsed(), layerId: step.id, record });
      layersDoneAt = clock.now();
    }
    return result;
  };

  let layersStartedAt = startedAt;
  let layersDoneAt = startedAt;
  try {
    emit({ type: 'plan', elapsedMs: elapsed(), plan });
    stopIfNeeded();
    layersStartedAt = clock.now();
    layersDoneAt = layersStartedAt;
    const pending = new Map<string, Promise<PaintedStep | undefined>>();
    for (const step of plan.steps) {
      if (step.kind !== 'layer') continue;
      const promise = layerStep(step, pending);
      promise.catch((error: unknown) => {
        if (!signal.aborted)
          failWith(
            isLayerloomError(error)
              ? error
              : asProviderFailure(
                  error,
                  step.providers[0]!,
                  context.providers[step.providers[0]!]!,
                ),
          );
      });
      pending.set(step.id, promise);
    }
    await Promise.allSettled(pending.values());
    stopIfNeeded();

    const stepsById = new Map(plan.steps.map((step) => [step.id, step]));
    const compositeLayers: CompositeLayer[] = [];
    for (const layer of plan.composition.layers) {
      const step = stepsById.get(layer.id);
      const done = painted.get(layer.id);
      if (step === undefined || done === undefined || !step.composited) continue;
      compositeLayers.push({
        layer: {
          ...layer,
          matte: done.candidate.matte,
          ...(step.placement === undefined ? {} : { placement: step.placement }),
        },
        image: done.record.image,
      });
    }
    if (compositeLayers.length === 0) {
      const first = skipped[0]?.error;
      throw new LayerloomError(
        'no_layers_painted',
        `Every layer was skipped after failing; nothing to composite${first === undefined ? '' : ` (first: ${first.message})`}`,
        { cause: first },
      );
    }
    const compositeBegan = clock.now();
    const composition = plan.composition;
    let composite: SizedImage;
    try {
      composite = await context.compositor.composite(
        {
          width: composition.width,
          height: composition.height,
          ...(composition.background === undefined ? {} : { background: composition.background }),
          layers: compositeLayers,
          ...(composition.output === undefined ? {} : { output: composition.output }),
        },
        { signal },
      );
    } catch (error) {
      stopIfNeeded();
      if (isLayerloomError(error)) throw error;
      throw new LayerloomError(
        'compositor_error',
        `The compositor threw ${error instanceof Error ? `an unexpected ${error.name}` : 'a non-error value'}; see \`cause\``,
        { cause: error },
      );
    }
    if (
      typeof composite !== 'object' ||
      composite === null ||
      !(composite.bytes instanceof Uint8Array) ||
      typeof composite.mediaType !== 'string'
    ) {
      throw new LayerloomError(
        'compositor_error',
        'The compositor returned no image: expected `{ bytes, mediaType, width, height }`',
      );
    }
    const compositeMs = clock.now() - compositeBegan;
    emit({ type: 'composite:done', elapsedMs: elapsed(), image: composite, ms: compositeMs });
    stopIfNeeded();

    let style: PaintedStep | undefined;
    let styleMs: number | undefined;
    const styleStep = plan.steps.find((step) => step.kind === 'style');
    if (styleStep !== undefined) {
      const styleBegan = clock.now();
      emit({ type: 'style:start', elapsedMs: elapsed(), provider: styleStep.providers[0]! });
      try {
        style = await paint(styleStep, { bytes: composite.bytes, mediaType: composite.mediaType });
      } catch (error) {
        stopIfNeeded();
        throw error;
      }
      stopIfNeeded();
      styleMs = clock.now() - styleBegan;
      if (style !== undefined)
        emit({ type: 'style:done', elapsedMs: elapsed(), record: style.record });
    }

    let image: SizedImage = composite;
    if (style !== undefined) {
      const size = readImageSize(style.record.image.bytes) ?? {
        width: style.candidate.request.width,
        height: style.candidate.request.height,
      };
      image = { bytes: style.record.image.bytes, mediaType: style.record.image.mediaType, ...size };
    }

    const layers: LayerRecord[] = [];
    for (const layer of plan.composition.layers) {
      const done = painted.get(layer.id);
      const step = stepsById.get(layer.id);
      if (done === undefined || step === undefined) continue;
      layers.push({ ...done.record, composited: step.composited, matte: done.candidate.matte });
    }
    const manifestSteps: ManifestStepInput[] = [];
    for (const step of plan.steps) {
      const done = step.kind === 'style' ? style : painted.get(step.id);
      if (done === undefined) continue;
      manifestSteps.push({
        record: done.record,
        kind: step.kind,
        ...(done.inputSha256 === undefined ? {} : { inputSha256: done.inputSha256 }),
      });
    }
    const compositeSha256 = sha256(composite.bytes);
    const finishedAt = clock.now();
    const costUsd = [...painted.values(), ...(style === undefined ? [] : [style])].reduce(
      (sum, step) => sum + (step.record.costUsd ?? 0),
      0,
    );
    const result: RenderResult = {
      image,
      layers,
      ...(style === undefined ? {} : { style: style.record }),
      skipped,
      manifest: buildManifest({
        plan,
        steps: manifestSteps,
        skipped,
        providers: context.providers,
        compositeSha256,
        outputSha256: style === undefined ? compositeSha256 : sha256(image.bytes),
        createdAt: new Date(finishedAt).toISOString(),
      }),
      timings: {
        planMs: run.planMs,
        layersMs: layersDoneAt - layersStartedAt,
        compositeMs,
        ...(styleMs === undefined ? {} : { styleMs }),
        totalMs: finishedAt - startedAt,
      },
      costUsd,
    };
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
