import type { LayerloomError } from '../errors/layerloom-error.js';
import type { ImageProgress } from '../types/provider.js';
import type { RenderEvent } from '../types/render-event.js';

/** What a retry event says about the failed attempt. */
export interface RetryDetails {
  /** 1-based number of the attempt that failed. */
  readonly attempt: number;
  /** Wait before the next attempt. */
  readonly delayMs: number;
  /** Code and message of the failure. */
  readonly reason: string;
  /** The failure. */
  readonly error: LayerloomError;
}

/**
 * The events of one step, `layer:*` for a layer and `style:*` for the style pass. Queueing and
 * attempt starts are reported for layers only (the style pass has one `style:start`, sent by
 * the runner when the composite is ready), so those two return `undefined` for the style pass.
 */
export interface StepEvents {
  /** The step waits in its provider's queue with `position` calls ahead of it. */
  queued(alias: string, position: number): RenderEvent | undefined;
  /** An attempt started (1-based). */
  start(alias: string, attempt: number): RenderEvent | undefined;
  /** The provider reported progress; malformed fields are left out. */
  progress(alias: string, progress: ImageProgress): RenderEvent | undefined;
  /** A failed attempt will be retried. */
  retry(alias: string, details: RetryDetails): RenderEvent;
  /** The step failed on `alias`; `outcome` says what happens next. */
  error(alias: string, error: LayerloomError, outcome: 'fallback' | 'skip' | 'fail'): RenderEvent;
}

const finite = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * Builds the events of one step, so that every runner (in process, or relaying a queue
 * worker's messages) reports a step with the same event shapes.
 *
 * @param kind - `layer` or `style`.
 * @param stepId - the layer id (ignored for the style pass).
 * @param elapsedMs - milliseconds since the render started, read when an event is built.
 */
export function stepEvents(
  kind: 'layer' | 'style',
  stepId: string,
  elapsedMs: () => number,
): StepEvents {
  const isLayer = kind === 'layer';
  return {
    queued: (provider, position) =>
      isLayer
        ? { type: 'layer:queued', elapsedMs: elapsedMs(), layerId: stepId, provider, position }
        : undefined,
    start: (provider, attempt) =>
      isLayer
        ? { type: 'layer:start', elapsedMs: elapsedMs(), layerId: stepId, provider, attempt }
        : undefined,
    progress(provider, progress) {
      if (typeof progress !== 'object' || progress === null) return undefined;
      const fields = {
        elapsedMs: elapsedMs(),
        provider,
        ...(finite(progress.fraction) ? { fraction: progress.fraction } : {}),
        ...(finite(progress.etaMs) ? { etaMs: progress.etaMs } : {}),
        ...(progress.preview === undefined ? {} : { preview: progress.preview }),
        ...(finite(progress.queuePosition) ? { queuePosition: progress.queuePosition } : {}),
      };
      return isLayer
        ? { type: 'layer:progress', layerId: stepId, ...fields }
        : { type: 'style:progress', ...fields };
    },
    retry(provider, details) {
      const fields = {
        elapsedMs: elapsedMs(),
        provider,
        attempt: details.attempt,
        delayMs: details.delayMs,
        reason: details.reason,
        error: details.error,
      };
      return isLayer
        ? { type: 'layer:retry', layerId: stepId, ...fields }
        : { type: 'style:retry', ...fields };
    },
    error(provider, error, outcome) {
      const fields = { elapsedMs: elapsedMs(), provider, error, outcome };
      return isLayer
        ? { type: 'layer:error', layerId: stepId, ...fields }
        : { type: 'style:error', ...fields };
    },
  };
}
