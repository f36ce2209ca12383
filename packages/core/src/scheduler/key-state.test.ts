import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { type KeyLimits, KeyState } from './key-state.js';

type Item = { readonly priority: number; readonly sequence: number };
const keyState = (
  limits: Partial<KeyLimits> = {},
  budget?: { capacity: number; refillPerSecond: number },
) => new KeyState<Item>('A', { concurrency: 2, maxRetries: 2, ...limits }, budget, systemClock);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('KeyState', () => {
  it('is full once its concurrency is taken, and remembers the most in flight', () => {
    const state = keyState({ concurrency: 2 });
    state.startAttempt();
    expect(state.full).toBe(false);
    state.startAttempt();
    expect(state.full).toBe(true);
    state.endAttempt();
    expect(state.full).toBe(false);
    expect(state.stats()).toMatchObject({ active: 1, maxActive: 2, started: 2 });
  });

  it('without a rate limit or a pause, never waits and needs no clock reading', () => {
    const state = keyState();
    expect(state.timed).toBe(false);
    expect(state.nextStartAt(5)).toBe(5);
    expect(state.stats()).toMatchObject({ startedLastMinute: undefined, pausedUntil: undefined });
  });

  it('with requestsPerMinute, waits until the oldest start leaves the sliding minute', () => {
    const state = keyState({ concurrency: 10, requestsPerMinute: 2 });
    expect(state.timed).toBe(true);
    const origin = Date.now();
    state.startAttempt();
    vi.advanceTimersByTime(10_000);
    state.startAttempt();
    expect(state.nextStartAt(Date.now())).toBe(origin + 60_000);
    expect(state.stats().startedLastMinute).toBe(2);
    vi.advanceTimersByTime(50_000);
    expect(state.nextStartAt(Date.now())).toBe(Date.now());
    expect(state.stats().startedLastMinute).toBe(1);
  });

  it('is paused until the latest end asked for, and reports the pause only while it lasts', () => {
    const state = keyState();
    const now = Date.now();
    state.pauseUntil(now + 1_500);
    state.pauseUntil(now + 500);
    expect(state.timed).toBe(true);
    expect(state.nextStartAt(now)).toBe(now + 1_500);
    expect(state.stats().pausedUntil).toBe(now + 1_500);
    vi.advanceTimersByTime(1_500);
    expect(state.nextStartAt(Date.now())).toBe(Date.now());
    expect(state.stats().pausedUntil).toBeUndefined();
  });

  it('the pause wins over a rate window that would allow a start', () => {
    const state = keyState({ requestsPerMinute: 5 });
    const now = Date.now();
    state.pauseUntil(now + 2_000);
    expect(state.nextStartAt(now)).toBe(now + 2_000);
  });

  it('spends and refills its retry budget; without one, every retry is allowed', () => {
    const budgeted = keyState({}, { capacity: 2, refillPerSecond: 1 });
    const now = Date.now();
    expect([budgeted.takeRetryToken(now), budgeted.takeRetryToken(now)]).toEqual([true, true]);
    expect(budgeted.takeRetryToken(now)).toBe(false);
    expect(budgeted.stats().retryTokens).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(budgeted.stats().retryTokens).toBe(1);
    expect(budgeted.takeRetryToken(Date.now())).toBe(true);

    const unbudgeted = keyState();
    for (let retry = 0; retry < 100; retry++) expect(unbudgeted.takeRetryToken(now)).toBe(true);
    expect(unbudgeted.stats().retryTokens).toBeUndefined();
  });

  it('reports its limits, queue size and counters', () => {
    const state = keyState({ concurrency: 3, requestsPerMinute: 60 });
    state.queue.push({ priority: 0, sequence: 0 }, { priority: 0, sequence: 0 });
    state.succeeded = 4;
    state.retries = 1;
    expect(state.stats()).toEqual({
      key: 'A',
      concurrency: 3,
      requestsPerMinute: 60,
      active: 0,
      pending: 1,
      backingOff: 0,
      maxActive: 0,
      started: 0,
      succeeded: 4,
      failed: 0,
      aborted: 0,
      retries: 1,
      timeouts: 0,
      startedLastMinute: 0,
      pausedUntil: undefined,
      retryTokens: undefined,
    });
  });
});
