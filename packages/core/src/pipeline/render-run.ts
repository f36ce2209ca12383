import type { CachePolicy, RenderOptions, StepErrorPolicy } from '../loom/loom-options.js';
import type { RenderEvent } from '../types/render-event.js';
import type { RenderPlan } from '../types/render-plan.js';

/** One render to execute, its options resolved against the loom's. */
export interface RenderRun {
  /** Its plan. */
  readonly plan: RenderPlan;
  /** When the render started (clock time), planning included. */
  readonly startedAt: number;
  /** How long planning took. */
  readonly planMs: number;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** The caller's event handler. */
  readonly onEvent: ((event: RenderEvent) => void) | undefined;
  /** What a step that failed on every provider does. */
  readonly onLayerError: StepErrorPolicy;
  /** When the cache is used. */
  readonly cachePolicy: CachePolicy;
  /** Queue priority of the calls (higher first). */
  readonly priority: number;
}

/**
 * Resolves one render's options against the loom's defaults: the render's own `onLayerError`,
 * `cache` and `priority` win, then the loom's, then `'fail'`, `'seeded'` and 0. Every loom
 * (in one process, or on a queue) resolves them here, so they cannot drift apart.
 *
 * @param planned - the plan, its timing and the signal the render runs under.
 * @param renderOptions - the render's options (already validated).
 * @param defaults - the loom's `onLayerError` and `cachePolicy`.
 */
export function resolveRenderRun(
  planned: Pick<RenderRun, 'plan' | 'startedAt' | 'planMs' | 'signal'>,
  renderOptions: RenderOptions,
  defaults: { readonly onLayerError?: StepErrorPolicy; readonly cachePolicy?: CachePolicy },
): RenderRun {
  return {
    ...planned,
    onEvent: renderOptions.onEvent,
    onLayerError: renderOptions.onLayerError ?? defaults.onLayerError ?? 'fail',
    cachePolicy: renderOptions.cache ?? defaults.cachePolicy ?? 'seeded',
    priority: renderOptions.priority ?? 0,
  };
}
