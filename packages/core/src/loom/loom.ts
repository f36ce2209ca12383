import type { Scheduler } from '../scheduler/create-scheduler.js';
import type { RenderEvent } from '../types/render-event.js';
import type { RenderPlan } from '../types/render-plan.js';
import type { RenderResult } from '../types/render-result.js';
import type {
  PlanOptions,
  RenderManyItem,
  RenderManyOptions,
  RenderOptions,
} from './loom-options.js';
import type { RenderInput } from './render-many.js';

/** Renders compositions with configured providers, limits, cache and compositor. */
export interface Loom {
  /**
   * Validates and plans a composition without calling any provider: resolved aliases, adapted
   * requests, execution order, cache keys, warnings and the cost estimate.
   *
   * @param input - a composition object or `.loom` text.
   * @param options - `variables` for the notation.
   * @throws ValidationError (bad composition, unknown alias…), LayerNotationError (bad text).
   */
  plan(input: RenderInput, options?: PlanOptions): Promise<RenderPlan>;
  /**
   * Renders a composition: layers painted concurrently under each alias's limits (chained
   * layers after their input), composited top-first, then the style pass.
   *
   * @param input - a composition object or `.loom` text.
   * @param options - signal, event handler, variables, failure and cache policies, priority.
   * @throws ValidationError / LayerNotationError before any call; the failing layer's error
   *   (`ProviderError`, `RetryError`, `TimeoutError`…) under `onLayerError: 'fail'`;
   *   `AbortError` when aborted.
   */
  render(input: RenderInput, options?: RenderOptions): Promise<RenderResult>;
  /**
   * Renders a composition and yields its events as they happen; ends after `done`, or throws
   * the render's error. The render starts on the first iteration; leaving the loop early aborts
   * it.
   *
   * @param input - a composition object or `.loom` text.
   * @param options - as for {@link Loom.render} (`onEvent` is called too).
   */
  stream(input: RenderInput, options?: RenderOptions): AsyncIterableIterator<RenderEvent>;
  /**
   * Renders many compositions, pulled lazily from a sync or async iterable, `concurrency` at a
   * time, yielding `{ ok, index, result | error }` in completion order. Memory stays bounded:
   * at most `concurrency` compositions are held at once. A failing composition does not stop
   * the others.
   *
   * @param inputs - compositions or `.loom` texts.
   * @param options - `concurrency` and the render options (shared by every render).
   * @throws AbortError when aborted; what `inputs` throws.
   */
  renderMany(
    inputs: Iterable<RenderInput> | AsyncIterable<RenderInput>,
    options?: RenderManyOptions,
  ): AsyncIterableIterator<RenderManyItem>;
  /** The built-in scheduler (its `stats()` per alias), unless an `executor` was given. */
  readonly scheduler: Scheduler | undefined;
}
