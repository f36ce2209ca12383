import { z } from 'zod';
import type { Scheduler } from '../scheduler/create-scheduler.js';
import type { RetryNotice } from '../scheduler/scheduler-options.js';
import { expected } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type {
  ImageProgress,
  ImageResult,
  PlannedImageRequest,
  Provider,
} from '../types/provider.js';

/** One provider call the loom asks a {@link StepExecutor} to make. */
export interface StepTask {
  /** Layer id, or `style`. */
  readonly stepId: string;
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** The layer's position in the stack, 0 on top (see `ImageRequest.layerIndex`). */
  readonly layerIndex?: number;
  /** The provider alias: the queue to run in, and the key of `createLoom({ providers })`. */
  readonly alias: string;
  /** The provider object of that alias (an in-process executor calls it; a remote one may look the alias up itself). */
  readonly provider: Provider;
  /** The complete request, input image included; the executor adds `signal` and `onProgress`. */
  readonly request: PlannedImageRequest;
  /** Queue priority: higher runs first. */
  readonly priority: number;
}

/** How an executor reports back while a {@link StepTask} runs. Every hook is optional to call. */
export interface StepHooks {
  /** Aborts the task (the render was aborted or failed elsewhere). */
  readonly signal: AbortSignal;
  /** The task waits in its queue with `position` tasks ahead of it. */
  readonly onQueued?: (position: number) => void;
  /** An attempt started (1-based). */
  readonly onStart?: (attempt: number) => void;
  /** A failed attempt will be retried. */
  readonly onRetry?: (notice: RetryNotice) => void;
  /** The provider reported progress. */
  readonly onProgress?: (progress: ImageProgress) => void;
}

/** What an executor returns for a successful task. */
export interface StepOutcome {
  /** The provider's answer. */
  readonly result: ImageResult;
  /** Provider calls made, retries included. */
  readonly attempts: number;
}

/**
 * Runs the provider calls of a render. The loom plans, caches, orders chains, composites and
 * reports events; the executor only makes each call — with its limits, retries and timeouts —
 * so that calls can run elsewhere (e.g. on queue workers) without changing the pipeline. The
 * default is {@link createSchedulerExecutor} over an in-process scheduler.
 *
 * An executor rejects with the final error (a `RetryError` after retries) and with an
 * `AbortError` as soon as `hooks.signal` aborts.
 */
export interface StepExecutor {
  /**
   * Makes one provider call (with retries).
   *
   * @param task - alias, provider, complete request, priority.
   * @param hooks - signal and progress hooks.
   */
  execute(task: StepTask, hooks: StepHooks): Promise<StepOutcome>;
}

const schedulerSchema = z.custom<Scheduler>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as Scheduler).run === 'function',
  expected('a scheduler from `createScheduler()`'),
);

/**
 * The in-process {@link StepExecutor}: each task runs in the scheduler queue of its alias,
 * which applies that alias's limits, timeouts and the retry policy.
 *
 * @param scheduler - the scheduler to run in.
 * @returns an executor.
 * @throws ValidationError when `scheduler` is not a scheduler.
 */
export function createSchedulerExecutor(scheduler: Scheduler): StepExecutor {
  parseWithSchema(schedulerSchema, scheduler, 'scheduler');
  return {
    async execute(task, hooks) {
      let attempts = 0;
      const label =
        task.kind === 'style'
          ? `The style pass on "${task.alias}"`
          : `Layer "${task.stepId}" on "${task.alias}"`;
      const result = await scheduler.run(
        task.alias,
        ({ signal }) =>
          task.provider.generate({
            ...task.request,
            stepId: task.stepId,
            ...(task.layerIndex === undefined ? {} : { layerIndex: task.layerIndex }),
            signal,
            ...(hooks.onProgress === undefined ? {} : { onProgress: hooks.onProgress }),
          }),
        {
          signal: hooks.signal,
          priority: task.priority,
          label,
          ...(hooks.onQueued === undefined ? {} : { onQueued: hooks.onQueued }),
          onStart: (attempt) => {
            attempts = attempt;
            hooks.onStart?.(attempt);
          },
          ...(hooks.onRetry === undefined ? {} : { onRetry: hooks.onRetry }),
        },
      );
      return { result, attempts };
    },
  };
}
