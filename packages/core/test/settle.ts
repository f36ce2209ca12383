import { vi } from 'vitest';

/**
 * Advances vitest's fake timers in `stepMs` steps until `promise` settles, then returns it
 * (rejections included), for tests of code that waits on timers.
 *
 * @param promise - the work under test, started with fake timers installed.
 * @param stepMs - fake milliseconds per step.
 * @param maxSteps - steps before giving up (the promise is returned unsettled then).
 */
export async function settle<T>(promise: Promise<T>, stepMs = 10, maxSteps = 10_000): Promise<T> {
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  watched.catch(() => {});
  for (let step = 0; step < maxSteps && !done; step++) await vi.advanceTimersByTimeAsync(stepMs);
  return watched;
}
