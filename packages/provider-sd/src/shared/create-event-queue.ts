/** A first-in first-out queue whose reader waits for the next item. */
export interface EventQueue<Item> {
  /** Adds an item, waking the waiting reader. */
  push(item: Item): void;
  /**
   * The next item, waiting for it when the queue is empty.
   *
   * @param signal - rejects the wait with the signal's reason when aborted.
   */
  next(signal: AbortSignal): Promise<Item>;
}

/** Creates an {@link EventQueue}. Only one reader may wait at a time. */
export function createEventQueue<Item>(): EventQueue<Item> {
  const items: Item[] = [];
  let wake: (() => void) | undefined;
  return {
    push(item) {
      items.push(item);
      wake?.();
    },
    async next(signal) {
      while (items.length === 0) {
        signal.throwIfAborted();
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            wake = undefined;
            reject(signal.reason);
          };
          wake = () => {
            wake = undefined;
            signal.removeEventListener('abort', onAbort);
            resolve();
          };
          signal.addEventListener('abort', onAbort, { once: true });
        });
      }
      return items.shift()!;
    },
  };
}
