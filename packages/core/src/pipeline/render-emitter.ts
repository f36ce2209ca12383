import { LayerloomError } from '../errors/layerloom-error.js';
import type { RenderEvent } from '../types/render-event.js';

/**
 * Calls a render's `onEvent` handler with each event, guarded: the first time the handler
 * throws, it is called no more and `onBroken` gets a LayerloomError `event_handler_error`
 * (the runner then fails the render with it). `undefined` events are ignored.
 *
 * @param onEvent - the caller's handler, if any.
 * @param onBroken - what to do when the handler throws.
 * @returns the emitter.
 */
export function createRenderEmitter(
  onEvent: ((event: RenderEvent) => void) | undefined,
  onBroken: (error: LayerloomError) => void,
): (event: RenderEvent | undefined) => void {
  let broken = false;
  return (event) => {
    if (event === undefined || onEvent === undefined || broken) return;
    try {
      onEvent(event);
    } catch (cause) {
      broken = true;
      onBroken(
        new LayerloomError(
          'event_handler_error',
          `The onEvent handler threw while handling a "${event.type}" event`,
          { cause },
        ),
      );
    }
  };
}
