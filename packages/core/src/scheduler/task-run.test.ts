import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError } from '../errors/abort-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { RetryError } from '../errors/retry-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { systemClock } from './clock.js';
import { type KeyLimits, KeyState } from './key-state.js';
import type { SchedulerTask, TaskOptions } from './scheduler-options.js';
import { TaskDispatcher } from './task-dispatcher.js';
import { TaskRun, type TaskRunHost } from './task-run.js';

/** A run on key `A` whose calls to its host are logged (the host is a real dispatcher). */
function startRun(
  task: SchedulerTask<unknown>,
  options?: TaskOptions,
  limits?: Partial<KeyLimits>,
) {
  const log: string[] = [];
  const dispatcher = new TaskDispatcher<TaskRun>(systemClock, Number.POSITIVE_INFINITY);
  const logged =
    (name: string, call: (run: TaskRun) => void) =>
    (run: TaskRun): void => {
      log.push(name);
      call(run);
    };
  const host: TaskRunHost = {
    enqueue: logged('enqueue', (run) => dispatcher.enqueue(run)),
    withdraw: logged('withdraw', (run) => dispatcher.withdraw(run)),
    attemptEnded: logged('attemptEnded', (run) => dispatcher.attemptEnded(run)),
    backoffStarted: logged('backoffStarted', (run) => dispatcher.backoffStarted(run)),
    backoffEnded: logged('backoffEnded', (run) => dispatcher.backoffEnded(run)),
    pump: () => {
      log.push('pump');
      dispatcher.pump();
    },
    checkIdle: () => dispatcher.checkIdle(),
  };
  const state = new KeyState<TaskRun>(
    'A',
    { concurrency: 1, maxRetries: 2, ...limits },
    undefined,
    systemClock,
  );
  const context = {
    host,
    clock: systemClock,
    delays: { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 },
    random: () => 0.5,
  };
  let run: TaskRun | undefined;
  const promise = new Promise<unknown>((resolve, reject) => {
    run = new TaskRun(context, state, task, options, 'Task on "A"', 7, resolve, reject);
  });
  promise.catch(() => {});
  run!.submit();
  return { log, state, promise };
}

const unavailable = () =>
  new ProviderError('Busy', { provider: 'a', status: 503, retryable: true });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TaskRun', () => {
  it('waits out a retry outside the queue, then queues again', async () => {
    let calls = 0;
    const { log, state, promise } = startRun(() => {
      calls++;
      if (calls === 1) throw unavailable();
      return 'painted';
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['enqueue', 'pump', 'attemptEnded', 'backoffStarted', 'pump']);
    expect(state.stats()).toMatchObject({ active: 0, pending: 0, backingOff: 1, retries: 1 });
    // Full jitter: random 0.5 of the 100 ms ceiling.
    await vi.advanceTimersByTimeAsync(49);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(promise).resolves.toBe('painted');
    expect(log.slice(5)).toEqual(['backoffEnded', 'enqueue', 'pump', 'attemptEnded', 'pump']);
    expect(state.stats()).toMatchObject({ backingOff: 0, started: 2, succeeded: 1 });
  });

  it('settles the caller at a timeout, but frees the slot only when the call settles', async () => {
    let finishCall: () => void = () => {};
    let signal: AbortSignal | undefined;
    const { log, state, promise } = startRun(
      (context) => {
        signal = context.signal;
        return new Promise<void>((resolve) => {
          finishCall = resolve;
        });
      },
      { timeoutMs: 100 },
      { maxRetries: 0 },
    );
    await vi.advanceTimersByTimeAsync(100);
    const error = await promise.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(RetryError);
    expect((error as RetryError).errors[0]).toBeInstanceOf(TimeoutError);
    expect(signal?.reason).toBeInstanceOf(TimeoutError);
    expect(log).not.toContain('attemptEnded');
    expect(state.stats()).toMatchObject({ active: 1, timeouts: 1, failed: 1 });
    finishCall();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.at(-2)).toBe('attemptEnded');
    // The late success of the timed-out attempt does not count.
    expect(state.stats()).toMatchObject({ active: 0, succeeded: 0, failed: 1 });
  });

  it('fails at once, out of the queue and never started, when onQueued throws', async () => {
    const hookError = new Error('hook broke');
    const task = vi.fn();
    const { log, state, promise } = startRun(task, {
      onQueued: () => {
        throw hookError;
      },
    });
    await expect(promise).rejects.toBe(hookError);
    expect(log).toEqual(['enqueue', 'withdraw']);
    expect(task).not.toHaveBeenCalled();
    expect(state.stats()).toMatchObject({ pending: 0, failed: 1 });
  });

  it("on abort, stops the running attempt with the signal's reason and settles at once", async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    let finishCall: () => void = () => {};
    const { log, state, promise } = startRun(
      (context) => {
        signal = context.signal;
        return new Promise<void>((resolve) => {
          finishCall = resolve;
        });
      },
      { signal: controller.signal },
    );
    const reason = new Error('user left');
    controller.abort(reason);
    await expect(promise).rejects.toBeInstanceOf(AbortError);
    expect(signal?.reason).toBe(reason);
    expect(state.stats()).toMatchObject({ active: 1, aborted: 1 });
    finishCall();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toContain('attemptEnded');
    expect(state.stats()).toMatchObject({ active: 0, succeeded: 0 });
  });
});
