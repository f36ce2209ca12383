import { setMaxListeners } from 'node:events';
import { AbortError } from '../errors/abort-error.js';
import { isLayerloomError, LayerloomError } from '../errors/layerloom-error.js';
import type { Composition } from '../types/composition.js';
import type { RenderResult } from '../types/render-result.js';
import type { RenderManyItem } from './loom-options.js';

/** A composition object or `.loom` text. */
export type RenderInput = Composition | string;

/** Iterates a sync or async iterable through one async interface. */
function iteratorOf(
  inputs: Iterable<RenderInput> | AsyncIterable<RenderInput>,
): AsyncIterator<RenderInput> {
  if (Symbol.asyncIterator in inputs) return inputs[Symbol.asyncIterator]();
  const iterator = inputs[Symbol.iterator]();
  return {
    next: async () => iterator.next(),
    return: async () => iterator.return?.() ?? { done: true, value: undefined },
  };
}

const asLayerloomError = (error: unknown): LayerloomError =>
  isLayerloomError(error)
    ? error
    : new LayerloomError(
        'render_failed',
        `The render threw ${error instanceof Error ? `an unexpected ${error.name}` : 'a non-error value'}; see \`cause\``,
        { cause: error },
      );

/**
 * Renders compositions pulled lazily from `inputs`, at most `concurrency` at once, and yields
 * each outcome as soon as it is ready (completion order, with its input `index`). At most
 * `concurrency` compositions — running or finished but not yet consumed — are held in memory:
 * the next input is pulled only when the consumer has taken an outcome. A failed composition
 * yields `{ ok: false, error }` and the others go on.
 *
 * @param render - renders one input with a signal.
 * @param inputs - a sync or async iterable of compositions or `.loom` texts.
 * @param concurrency - compositions in flight at once.
 * @param userSignal - aborts everything: in-flight renders are aborted and the iteration
 *   throws an `AbortError`.
 * @throws AbortError when aborted; whatever `inputs` throws (after aborting in-flight renders).
 */
export async function* renderManyWith(
  render: (input: RenderInput, index: number, signal: AbortSignal) => Promise<RenderResult>,
  inputs: Iterable<RenderInput> | AsyncIterable<RenderInput>,
  concurrency: number,
  userSignal: AbortSignal | undefined,
): AsyncGenerator<RenderManyItem, void, undefined> {
  const controller = new AbortController();
  // Every render in flight listens to this signal; that is not a leak.
  setMaxListeners(0, controller.signal);
  const onUserAbort = () => controller.abort(userSignal?.reason);
  userSignal?.addEventListener('abort', onUserAbort, { once: true });
  const iterator = iteratorOf(inputs);
  const completed: RenderManyItem[] = [];
  let exhausted = false;
  let running = 0;
  let index = 0;
  let wake: (() => void) | undefined;
  const waitForChange = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });

  const launch = (input: RenderInput, position: number) => {
    running++;
    void render(input, position, controller.signal)
      .then(
        (result): RenderManyItem => ({ ok: true, index: position, result }),
        (error: unknown): RenderManyItem => ({
          ok: false,
          index: position,
          error: asLayerloomError(error),
        }),
      )
      .then((item) => {
        running--;
        completed.push(item);
        const resume = wake;
        wake = undefined;
        resume?.();
      });
  };

  try {
    for (;;) {
      if (userSignal?.aborted) throw AbortError.fromSignal(userSignal, 'renderMany');
      while (!exhausted && running + completed.length < concurrency) {
        const next = await iterator.next();
        if (userSignal?.aborted) throw AbortError.fromSignal(userSignal, 'renderMany');
        if (next.done === true) {
          exhausted = true;
          break;
        }
        launch(next.value, index++);
      }
      const item = completed.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (running === 0 && exhausted) return;
      await waitForChange();
    }
  } finally {
    if (running > 0) {
      controller.abort(
        userSignal?.aborted
          ? userSignal.reason
          : new AbortError('renderMany was stopped before the end'),
      );
      while (running > 0) await waitForChange();
    }
    completed.length = 0;
    userSignal?.removeEventListener('abort', onUserAbort);
    if (!exhausted) await iterator.return?.()?.catch(() => undefined);
  }
}
