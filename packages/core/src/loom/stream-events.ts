import { AbortError } from '../errors/abort-error.js';
import type { RenderEvent } from '../types/render-event.js';
import type { RenderResult } from '../types/render-result.js';

/**
 * Runs a render and yields its events as an async iterable. The render starts on the first
 * `next()`; the iterable ends after the `done` event, or throws the render's error after the
 * events that preceded it. Leaving the loop early (`break`, `return`, a throw) aborts the
 * render.
 *
 * @param start - starts the render with an event handler and a signal.
 * @param userSignal - the caller's signal, also honoured.
 */
export async function* streamEvents(
  start: (onEvent: (event: RenderEvent) => void, signal: AbortSignal) => Promise<RenderResult>,
  userSignal: AbortSignal | undefined,
): AsyncGenerator<RenderEvent, void, undefined> {
  const controller = new AbortController();
  const onUserAbort = () => controller.abort(userSignal?.reason);
  userSignal?.addEventListener('abort', onUserAbort, { once: true });
  if (userSignal?.aborted) onUserAbort();
  const queue: RenderEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const render = start((event) => {
    queue.push(event);
    wake?.();
  }, controller.signal).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = error;
      finished = true;
      wake?.();
    },
  );
  try {
    let next = 0;
    for (;;) {
      while (next < queue.length) {
        const event = queue[next]!;
        // Drop consumed events so a long render does not keep them all.
        queue[next++] = undefined as never;
        yield event;
      }
      queue.length = 0;
      next = 0;
      if (finished) {
        if (failure !== undefined) throw failure;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    if (!finished) {
      controller.abort(new AbortError('The render was aborted: its event stream was closed'));
      await render;
    }
    userSignal?.removeEventListener('abort', onUserAbort);
  }
}
