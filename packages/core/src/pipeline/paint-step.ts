import type { StepErrorPolicy } from '../loom/loom-options.js';
import type { EncodedImage } from '../types/encoded-image.js';
import type { Provider } from '../types/provider.js';
import type { RenderEvent } from '../types/render-event.js';
import type { PlannedStep } from '../types/render-plan.js';
import type { SkippedStep } from '../types/render-result.js';
import { type PaintContext, paintCandidate } from './paint-candidate.js';
import { type PaintedStep, stepWarningsOf } from './painted-step.js';
import type { StepEvents } from './step-events.js';
import type { StepHooks } from './step-executor.js';
import { asProviderFailure, settleStepFailure } from './step-failure.js';

/** What {@link paintStep} needs besides the painting context. */
export interface StepRun {
  /** Providers by alias. */
  readonly providers: Readonly<Record<string, Provider>>;
  /** What a step that failed on every candidate does. */
  readonly onLayerError: StepErrorPolicy;
  /** Aborts the step. */
  readonly signal: AbortSignal;
  /** The step's events (see `stepEvents`). */
  readonly events: StepEvents;
  /** Reports an event (`undefined` is ignored). */
  readonly emit: (event: RenderEvent | undefined) => void;
}

/** How {@link paintStep} ended. */
export type PaintStepResult =
  | { readonly painted: PaintedStep; readonly skipped?: undefined }
  | { readonly painted?: undefined; readonly skipped: SkippedStep };

/**
 * Paints a step with its fallbacks in this process: each candidate in turn
 * ({@link paintCandidate}) until one paints it; a failure falls back, skips or fails as
 * `settleStepFailure` rules, with a `…:error` event each time.
 *
 * @param context - executor, cache, clock, priority.
 * @param step - the planned step.
 * @param input - its input image, when it has one.
 * @param run - providers, failure policy, signal and events.
 * @returns the painted or skipped step.
 * @throws the last candidate's failure under `onLayerError: 'fail'`; the signal's reason when
 *   aborted.
 */
export async function paintStep(
  context: PaintContext,
  step: PlannedStep,
  input: EncodedImage | undefined,
  run: StepRun,
): Promise<PaintStepResult> {
  const { events, emit } = run;
  const stepWarnings = stepWarningsOf(step);
  const notes: string[] = [];
  let attempts = 0;
  for (let position = 0; ; position++) {
    const candidate = step.candidates[position]!;
    const alias = candidate.alias;
    const provider = run.providers[alias]!;
    const hooks: StepHooks = {
      signal: run.signal,
      onQueued: (ahead) => emit(events.queued(alias, ahead)),
      onStart: (attempt) => emit(events.start(alias, attempt)),
      onRetry: (notice) =>
        emit(
          events.retry(alias, {
            attempt: notice.attempt,
            delayMs: notice.delayMs,
            reason: notice.reason,
            error: asProviderFailure(notice.error, alias, provider),
          }),
        ),
      onProgress: (progress) => emit(events.progress(alias, progress)),
    };
    const outcome = await paintCandidate(context, {
      kind: step.kind,
      stepId: step.id,
      ...(step.layerIndex === undefined ? {} : { layerIndex: step.layerIndex }),
      candidate,
      provider,
      ...(input === undefined ? {} : { input }),
      stepWarnings,
      notes: [...notes],
      priorAttempts: attempts,
      hooks,
    });
    if (outcome.ok) return { painted: outcome.painted };
    attempts = outcome.attempts;
    const settled = settleStepFailure(step, position, outcome.failure, attempts, run.onLayerError);
    emit(events.error(alias, outcome.failure, settled.outcome));
    if (settled.outcome === 'fallback') notes.push(settled.note);
    else if (settled.outcome === 'skip') return { skipped: settled.skipped };
    else throw outcome.failure;
  }
}
