import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError } from '../errors/abort-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { RetryError } from '../errors/retry-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { createMockProvider, type MockProvider } from '../testing/create-mock-provider.js';
import type { Clock } from './clock.js';
import { createScheduler } from './create-scheduler.js';
import type { RetryNotice } from './scheduler-options.js';

const request = { prompt: 'a knight', width: 4, height: 4 };
const call =
  (provider: MockProvider) =>
  ({ signal }: { signal: AbortSignal }) =>
    provider.generate({ ...request, signal });
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createScheduler: limits', () => {
  it('never lets a provider see more calls in flight than its concurrency', async () => {
    const scheduler = createScheduler({ limits: { A: { concurrency: 3 }, B: { concurrency: 1 } } });
    const a = createMockProvider({ id: 'a', latencyMs: 100 });
    const b = createMockProvider({ id: 'b', latencyMs: 30 });
    const runs = [
      ...Array.from({ length: 20 }, () => scheduler.run('A', call(a))),
      ...Array.from({ length: 7 }, () => scheduler.run('B', call(b))),
    ];
    expect(a.inFlight).toBe(3);
    expect(scheduler.stats('A')).toMatchObject({ active: 3, pending: 17 });
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(runs);
    expect(a.calls).toBe(20);
    expect(a.maxInFlight).toBe(3);
    expect(b.maxInFlight).toBe(1);
    expect(scheduler.stats('A')).toMatchObject({
      maxActive: 3,
      succeeded: 20,
      active: 0,
      pending: 0,
    });
  });

  it('holds a global cap across keys', async () => {
    const scheduler = createScheduler({
      concurrency: 2,
      limits: { A: { concurrency: 5 }, B: { concurrency: 5 } },
    });
    const a = createMockProvider({ latencyMs: 10 });
    const b = createMockProvider({ latencyMs: 10 });
    let peak = 0;
    const track = (provider: MockProvider) => async (context: { signal: AbortSignal }) => {
      peak = Math.max(peak, a.inFlight + b.inFlight + 1);
      return call(provider)(context);
    };
    const runs = Array.from({ length: 10 }, (_, index) =>
      scheduler.run(index % 2 === 0 ? 'A' : 'B', track(index % 2 === 0 ? a : b)),
    );
    expect(scheduler.activeCount).toBe(2);
    expect(scheduler.pendingCount).toBe(8);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(runs);
    expect(peak).toBe(2);
  });

  it('never delays a fast provider behind a slow or failing one', async () => {
    const scheduler = createScheduler({
      limits: { slow: { concurrency: 1 }, fast: { concurrency: 2 } },
    });
    const slow = createMockProvider({ latencyMs: 60_000, script: [{ status: 503 }] });
    const fast = createMockProvider({ latencyMs: 100 });
    const slowRuns = Array.from({ length: 5 }, () => scheduler.run('slow', call(slow)));
    for (const run of slowRuns) run.catch(() => {});
    const finished: number[] = [];
    const fastRuns = Array.from({ length: 6 }, () =>
      scheduler.run('fast', call(fast)).then(() => finished.push(Date.now())),
    );
    const started = Date.now();
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(fastRuns);
    expect(finished.map((time) => time - started)).toEqual([100, 100, 200, 200, 300, 300]);
    expect(slow.inFlight).toBe(1);
    expect(scheduler.stats('slow').pending).toBe(4);
  });

  it('runs higher priorities first, FIFO within a priority', async () => {
    const scheduler = createScheduler({ limits: { A: { concurrency: 1 } } });
    const order: string[] = [];
    const task = (name: string) => () => {
      order.push(name);
    };
    const blocker = scheduler.run('A', () => new Promise((resolve) => setTimeout(resolve, 10)));
    const runs = [
      scheduler.run('A', task('low-1'), { priority: -1 }),
      scheduler.run('A', task('normal-1')),
      scheduler.run('A', task('high'), { priority: 5 }),
      scheduler.run('A', task('normal-2')),
      scheduler.run('A', task('low-2'), { priority: -1 }),
    ];
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all([blocker, ...runs]);
    expect(order).toEqual(['high', 'normal-1', 'normal-2', 'low-1', 'low-2']);
  });

  it('reports the queue position of each task', async () => {
    const scheduler = createScheduler({ limits: { A: { concurrency: 1 } } });
    const positions: number[] = [];
    const runs = [0, 0, 0, 3].map((priority) =>
      scheduler.run('A', () => undefined, {
        priority,
        onQueued: (position) => positions.push(position),
      }),
    );
    await Promise.all(runs);
    // The first starts at once; the priority-3 task jumps ahead of the two still waiting.
    expect(positions).toEqual([0, 0, 1, 0]);
  });

  it('keeps at most requestsPerMinute starts in any sliding minute', async () => {
    const scheduler = createScheduler({ limits: { A: { concurrency: 10, requestsPerMinute: 2 } } });
    const origin = Date.now();
    const starts: number[] = [];
    const runs = Array.from({ length: 5 }, (_, index) =>
      scheduler.run('A', () => {
        starts.push(Date.now() - origin);
        return new Promise((resolve) => setTimeout(resolve, index === 0 ? 30_000 : 10));
      }),
    );
    expect(scheduler.stats('A').startedLastMinute).toBe(2);
    await vi.advanceTimersByTimeAsync(200_000);
    await Promise.all(runs);
    expect(starts).toEqual([0, 0, 60_000, 60_000, 120_000]);
  });
});

describe('createScheduler: retries', () => {
  it('retries retryable errors with full-jitter exponential backoff', async () => {
    const scheduler = createScheduler({ random: () => 0.5, limits: { A: { maxRetries: 3 } } });
    const provider = createMockProvider({
      script: [{ status: 503 }, { status: 500 }, { status: 408 }, 'ok'],
    });
    const notices: RetryNotice[] = [];
    const starts: number[] = [];
    const origin = Date.now();
    const run = scheduler.run('A', call(provider), {
      onRetry: (notice) => notices.push(notice),
      onStart: () => starts.push(Date.now() - origin),
    });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(run).resolves.toMatchObject({ seed: expect.any(Number) });
    // ceilings 500, 1000, 2000 ms; random 0.5 takes half of each.
    expect(notices.map((notice) => [notice.attempt, notice.delayMs])).toEqual([
      [1, 250],
      [2, 500],
      [3, 1000],
    ]);
    expect(starts).toEqual([0, 250, 750, 1750]);
    expect(notices[0]!.reason).toBe('provider_error: Mock 503');
    expect(scheduler.stats('A')).toMatchObject({ retries: 3, started: 4, succeeded: 1 });
  });

  it('caps the backoff ceiling at maxDelayMs', async () => {
    const scheduler = createScheduler({
      random: () => 0.999,
      retry: { baseDelayMs: 1_000, maxDelayMs: 3_000, budget: false },
      limits: { A: { maxRetries: 4 } },
    });
    const delays: number[] = [];
    const run = scheduler.run(
      'A',
      () => {
        throw new ProviderError('busy', { provider: 'a', retryable: true, status: 503 });
      },
      { onRetry: (notice) => delays.push(notice.delayMs) },
    );
    run.catch(() => {});
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await rejection(run)).toBeInstanceOf(RetryError);
    expect(delays).toEqual([999, 1998, 2997, 2997]);
  });

  it('honours retryAfterMs and pauses the queue after a 429', async () => {
    const scheduler = createScheduler({ random: () => 0, limits: { A: { concurrency: 2 } } });
    const provider = createMockProvider({
      script: [{ status: 429, retryAfterMs: 1_500 }, 'ok', 'ok'],
    });
    const origin = Date.now();
    const starts: [string, number][] = [];
    const first = scheduler.run('A', call(provider), {
      onStart: (attempt) => starts.push([`first#${attempt}`, Date.now() - origin]),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.stats('A').pausedUntil).toBe(origin + 1_500);
    const second = scheduler.run('A', call(provider), {
      onStart: (attempt) => starts.push([`second#${attempt}`, Date.now() - origin]),
    });
    await vi.advanceTimersByTimeAsync(1_499);
    expect(starts).toEqual([['first#1', 0]]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([first, second]);
    // The retried task keeps its place ahead of the one queued during the pause.
    expect(starts).toEqual([
      ['first#1', 0],
      ['first#2', 1_500],
      ['second#1', 1_500],
    ]);
  });

  it('falls back to backoff when the server asks for more than maxRetryAfterMs', async () => {
    const scheduler = createScheduler({ random: () => 0.5 });
    const provider = createMockProvider({ script: [{ status: 503, retryAfterMs: 120_000 }, 'ok'] });
    const delays: number[] = [];
    const run = scheduler.run('A', call(provider), {
      onRetry: (notice) => delays.push(notice.delayMs),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await run;
    expect(delays).toEqual([250]);
  });

  it('throws a non-retryable error as it is, after one attempt', async () => {
    const scheduler = createScheduler();
    const provider = createMockProvider({ script: [{ status: 400, message: 'bad prompt' }] });
    const error = await rejection(scheduler.run('A', call(provider)));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, message: 'bad prompt' });
    expect(provider.calls).toBe(1);
  });

  it('gives up with a RetryError holding every attempt when maxRetries is spent', async () => {
    const scheduler = createScheduler({ random: () => 0, limits: { A: { maxRetries: 2 } } });
    const provider = createMockProvider({ afterScript: { status: 502 } });
    const run = scheduler.run('A', call(provider), { label: 'Layer "hero" on "A"' });
    run.catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    const error = (await rejection(run)) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.attempts).toBe(3);
    expect(error.errors.map((each) => (each as ProviderError).status)).toEqual([502, 502, 502]);
    expect(error.message).toBe(
      'Layer "hero" on "A" failed after 3 attempts: provider_error: Mock 502',
    );
  });

  it('wraps a final non-retryable error after retries into a RetryError', async () => {
    const scheduler = createScheduler({ random: () => 0 });
    const provider = createMockProvider({ script: [{ status: 503 }, { status: 401 }] });
    const run = scheduler.run('A', call(provider));
    run.catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    const error = (await rejection(run)) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.errors.map((each) => (each as ProviderError).status)).toEqual([503, 401]);
  });

  it('stops retrying when the provider spent its retry budget', async () => {
    const scheduler = createScheduler({
      random: () => 0,
      retry: { budget: { capacity: 3, refillPerSecond: 0 } },
      limits: { A: { concurrency: 10, maxRetries: 5 } },
    });
    const provider = createMockProvider({ afterScript: { status: 503 } });
    const runs = Array.from({ length: 4 }, () => scheduler.run('A', call(provider)));
    for (const run of runs) run.catch(() => {});
    await vi.advanceTimersByTimeAsync(1_000);
    const errors = (await Promise.all(runs.map(rejection))) as RetryError[];
    expect(provider.calls).toBe(4 + 3);
    expect(scheduler.stats('A')).toMatchObject({ retries: 3, retryTokens: 0, failed: 4 });
    expect(errors.every((error) => error instanceof RetryError)).toBe(true);
    expect(
      errors.filter((error) => error.message.includes('retry budget of "A" is spent')),
    ).toHaveLength(4);
  });

  it('refills the retry budget over time', async () => {
    const scheduler = createScheduler({
      random: () => 0,
      retry: { budget: { capacity: 1, refillPerSecond: 0.5 } },
    });
    const provider = createMockProvider({ script: [{ status: 503 }, 'ok', { status: 503 }, 'ok'] });
    await Promise.all([scheduler.run('A', call(provider)), vi.advanceTimersByTimeAsync(10)]);
    expect(scheduler.stats('A').retryTokens).toBeLessThan(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(scheduler.stats('A').retryTokens).toBe(1);
    await Promise.all([scheduler.run('A', call(provider)), vi.advanceTimersByTimeAsync(10)]);
    expect(provider.calls).toBe(4);
  });
});

describe('createScheduler: timeouts and aborts', () => {
  it('aborts an attempt that exceeds timeoutMs and retries it once the slot is free', async () => {
    const scheduler = createScheduler({
      random: () => 0,
      limits: { A: { concurrency: 1, timeoutMs: 1_000, maxRetries: 1 } },
    });
    const provider = createMockProvider({ script: ['hang', 'ok'] });
    const run = scheduler.run('A', call(provider));
    await vi.advanceTimersByTimeAsync(999);
    expect(provider.requests[0]!.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(provider.requests[0]!.signal.reason).toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(1);
    await run;
    expect(provider.calls).toBe(2);
    expect(provider.maxInFlight).toBe(1);
    expect(scheduler.stats('A')).toMatchObject({ timeouts: 1, retries: 1, succeeded: 1 });
  });

  it('fails with the TimeoutError in a RetryError when no retry is left', async () => {
    const scheduler = createScheduler({ limits: { A: { maxRetries: 0 } } });
    const provider = createMockProvider({ script: ['hang'] });
    const run = scheduler.run('A', call(provider), { timeoutMs: 50 });
    run.catch(() => {});
    await vi.advanceTimersByTimeAsync(50);
    const error = (await rejection(run)) as RetryError;
    expect(error.errors[0]).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      'Task on "A" failed after 1 attempt: timeout: Task on "A" timed out after 50 ms',
    );
  });

  it('keeps the slot of a timed-out call until the call has settled', async () => {
    const scheduler = createScheduler({
      limits: { A: { concurrency: 1, timeoutMs: 100, maxRetries: 0 } },
    });
    let finishStubborn: () => void = () => {};
    // A task that ignores its signal and settles only when told.
    const stubborn = scheduler.run(
      'A',
      () =>
        new Promise<void>((resolve) => {
          finishStubborn = resolve;
        }),
    );
    stubborn.catch(() => {});
    let secondStarted = false;
    const second = scheduler.run('A', () => {
      secondStarted = true;
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(await rejection(stubborn)).toBeInstanceOf(RetryError);
    expect(secondStarted).toBe(false);
    expect(scheduler.stats('A')).toMatchObject({ active: 1, pending: 1 });
    finishStubborn();
    await second;
    expect(secondStarted).toBe(true);
  });

  it('removes a queued task when its signal aborts, without calling it', async () => {
    const scheduler = createScheduler({ limits: { A: { concurrency: 1 } } });
    const provider = createMockProvider({ latencyMs: 100 });
    const first = scheduler.run('A', call(provider));
    const controller = new AbortController();
    const second = scheduler.run('A', call(provider), { signal: controller.signal });
    controller.abort();
    const error = await rejection(second);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toBe('Task on "A" was aborted');
    await vi.advanceTimersByTimeAsync(100);
    await first;
    expect(provider.calls).toBe(1);
    expect(scheduler.stats('A')).toMatchObject({ pending: 0, aborted: 1 });
  });

  it('aborts a running task at once and frees its slot when the call settles', async () => {
    const scheduler = createScheduler({ limits: { A: { concurrency: 1 } } });
    const provider = createMockProvider({ latencyMs: 10_000 });
    const controller = new AbortController();
    const run = scheduler.run('A', call(provider), { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('user left'));
    expect(await rejection(run)).toBeInstanceOf(AbortError);
    expect(provider.requests[0]!.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.activeCount).toBe(0);
  });

  it('rejects at once with an already aborted signal', async () => {
    const scheduler = createScheduler();
    const error = await rejection(scheduler.run('A', () => 1, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortError);
  });

  it('cancels the wait before a retry when aborted during backoff', async () => {
    const scheduler = createScheduler({ random: () => 0.99 });
    const provider = createMockProvider({ script: [{ status: 503 }, 'ok'] });
    const controller = new AbortController();
    const run = scheduler.run('A', call(provider), { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(100);
    expect(scheduler.stats('A').backingOff).toBe(1);
    controller.abort();
    expect(await rejection(run)).toBeInstanceOf(AbortError);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(provider.calls).toBe(1);
    expect(scheduler.stats('A').backingOff).toBe(0);
  });

  it('resolves onIdle when nothing is in flight, queued or backing off', async () => {
    const scheduler = createScheduler({ random: () => 0 });
    const provider = createMockProvider({ latencyMs: 10, script: [{ status: 503 }, 'ok'] });
    let idle = false;
    const run = scheduler.run('A', call(provider));
    void scheduler.onIdle().then(() => {
      idle = true;
    });
    await vi.advanceTimersByTimeAsync(5);
    expect(idle).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await run;
    await vi.advanceTimersByTimeAsync(0);
    expect(idle).toBe(true);
  });
});

describe('createScheduler: injection and validation', () => {
  it('runs on an injected clock without touching global timers', async () => {
    vi.useRealTimers();
    let now = 1_000;
    const timers = new Map<number, { at: number; callback: () => void }>();
    let nextId = 1;
    const clock: Clock = {
      now: () => now,
      setTimeout: (callback, delayMs) => {
        timers.set(nextId, { at: now + delayMs, callback });
        return nextId++;
      },
      clearTimeout: (handle) => {
        timers.delete(handle as number);
      },
    };
    const advance = async (milliseconds: number) => {
      const end = now + milliseconds;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, timer]) => timer.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = end;
    };
    const scheduler = createScheduler({ clock, random: () => 0.5 });
    const provider = createMockProvider({ clock, latencyMs: 100, script: [{ status: 503 }, 'ok'] });
    const delays: number[] = [];
    const run = scheduler.run('A', call(provider), {
      onRetry: (notice) => delays.push(notice.delayMs),
    });
    await advance(100);
    expect(delays).toEqual([250]);
    await advance(349);
    expect(provider.calls).toBe(2);
    expect(timers.size).toBe(1);
    await advance(1);
    await expect(run).resolves.toMatchObject({ requestId: 'mock-request-2' });
  });

  it('refuses bad options with a ValidationError naming the field', () => {
    expect(() => createScheduler({ limits: { A: { concurrency: 0 } } })).toThrow(ValidationError);
    expect(() => createScheduler({ limits: { A: { concurrency: 0 } } })).toThrow(
      'Expected `limits.A.concurrency` to be a positive integer, got `0` (number)',
    );
    expect(() => createScheduler({ retry: { baseDelayMs: -1 } })).toThrow('`retry.baseDelayMs`');
    expect(() => createScheduler({ nope: 1 } as never)).toThrow('Unknown key `nope`');
  });

  it('refuses bad task arguments with a rejected ValidationError', async () => {
    const scheduler = createScheduler();
    await expect(scheduler.run('', () => 1)).rejects.toThrow(ValidationError);
    await expect(scheduler.run('A', 'nope' as never)).rejects.toThrow(
      'Expected `task` to be a function',
    );
    await expect(scheduler.run('A', () => 1, { priority: Number.NaN })).rejects.toThrow(
      '`priority`',
    );
  });

  it('makes no further attempt when a retry hook ends the task', async () => {
    const scheduler = createScheduler({ random: () => 0 });
    const provider = createMockProvider({ script: [{ status: 503 }, 'ok'] });
    const controller = new AbortController();
    const run = scheduler.run('A', call(provider), {
      signal: controller.signal,
      onRetry: () => controller.abort(),
    });
    expect(await rejection(run)).toBeInstanceOf(AbortError);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(provider.calls).toBe(1);
    expect(scheduler.stats('A')).toMatchObject({ backingOff: 0, active: 0, pending: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its wake-up timer when the tasks waiting out a 429 pause are aborted', async () => {
    const scheduler = createScheduler({ random: () => 0, limits: { A: { maxRetries: 0 } } });
    const provider = createMockProvider({ script: [{ status: 429, retryAfterMs: 30_000 }] });
    const first = new AbortController();
    const failing = scheduler.run('A', call(provider), { maxRetries: 1, signal: first.signal });
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.stats('A').pausedUntil).toBe(Date.now() + 30_000);
    first.abort();
    await rejection(failing);
    const controller = new AbortController();
    const waiting = scheduler.run('A', call(provider), { signal: controller.signal });
    expect(scheduler.stats('A')).toMatchObject({ pending: 1 });
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    controller.abort();
    await rejection(waiting);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails a task whose hook throws, without leaking its slot', async () => {
    const scheduler = createScheduler({ limits: { A: { concurrency: 1 } } });
    const hookError = new Error('hook broke');
    await expect(
      scheduler.run('A', () => 1, {
        onStart: () => {
          throw hookError;
        },
      }),
    ).rejects.toBe(hookError);
    await expect(scheduler.run('A', () => 2)).resolves.toBe(2);
    expect(scheduler.stats('A')).toMatchObject({ active: 0, failed: 1, succeeded: 1 });
  });
});
