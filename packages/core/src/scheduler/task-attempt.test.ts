import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { TaskAttempt } from './task-attempt.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TaskAttempt', () => {
  it('creates its signal once, on first read', () => {
    const attempt = new TaskAttempt(systemClock);
    const signal = attempt.signal;
    expect(signal.aborted).toBe(false);
    expect(attempt.signal).toBe(signal);
  });

  it('aborts a signal already handed out when stopped, with the reason', () => {
    const attempt = new TaskAttempt(systemClock);
    const signal = attempt.signal;
    const reason = new Error('cancelled');
    attempt.stop(reason);
    expect(attempt.over).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('hands out an aborted signal when stopped before it was read', () => {
    const attempt = new TaskAttempt(systemClock);
    attempt.stop('too late');
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe('too late');
  });

  it('calls its timeout once the limit is reached, unless it is over or cleared', () => {
    const fired: string[] = [];
    const timedOut = new TaskAttempt(systemClock);
    timedOut.setTimeout(100, () => fired.push('timed out'));
    const cleared = new TaskAttempt(systemClock);
    cleared.setTimeout(100, () => fired.push('cleared'));
    cleared.clearTimeout();
    const settled = new TaskAttempt(systemClock);
    settled.setTimeout(100, () => fired.push('over'));
    settled.over = true;
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['timed out']);
  });

  it('cancels its timer when stopped, leaving no timer behind', () => {
    const attempt = new TaskAttempt(systemClock);
    attempt.setTimeout(1_000, () => {
      throw new Error('must not fire');
    });
    expect(vi.getTimerCount()).toBe(1);
    attempt.stop(undefined);
    expect(vi.getTimerCount()).toBe(0);
  });
});
