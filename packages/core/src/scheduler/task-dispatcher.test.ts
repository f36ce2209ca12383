import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { KeyState } from './key-state.js';
import { type Dispatchable, TaskDispatcher } from './task-dispatcher.js';
import type { QueueTicket } from './task-queue.js';

/** A stand-in for a task run: it records its start and never settles on its own. */
interface FakeRun extends Dispatchable<FakeRun> {
  readonly name: string;
}

let started: string[];
let sequence: number;
const key = (name: string, concurrency = 1, requestsPerMinute?: number) =>
  new KeyState<FakeRun>(
    name,
    { concurrency, maxRetries: 0, requestsPerMinute },
    undefined,
    systemClock,
  );
const fakeRun = (state: KeyState<FakeRun>, name: string, priority = 0): FakeRun => ({
  name,
  state,
  priority,
  sequence: sequence++,
  ticket: undefined as QueueTicket | undefined,
  start() {
    started.push(name);
  },
});
/** Queues the runs, then pumps once. */
const submit = (dispatcher: TaskDispatcher<FakeRun>, ...runs: FakeRun[]) => {
  for (const run of runs) dispatcher.enqueue(run);
  dispatcher.pump();
};

beforeEach(() => {
  vi.useFakeTimers();
  started = [];
  sequence = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TaskDispatcher', () => {
  it('starts the best head across keys: higher priority first, then earlier arrival', () => {
    const dispatcher = new TaskDispatcher<FakeRun>(systemClock, 1);
    const a = key('A', 5);
    const b = key('B', 5);
    const runs = [
      fakeRun(a, 'a-low', -1),
      fakeRun(b, 'b-first'),
      fakeRun(a, 'a-first'),
      fakeRun(b, 'b-high', 3),
    ];
    submit(dispatcher, ...runs);
    // The global cap of 1 lets one start per freed slot.
    const byName = new Map(runs.map((run) => [run.name, run]));
    for (let step = 0; step < 3; step++) {
      dispatcher.attemptEnded(byName.get(started.at(-1)!)!);
      dispatcher.pump();
    }
    expect(started).toEqual(['b-high', 'b-first', 'a-first', 'a-low']);
  });

  it('holds each key to its concurrency and all keys to the global cap, and counts both', () => {
    const dispatcher = new TaskDispatcher<FakeRun>(systemClock, 3);
    const a = key('A', 2);
    const b = key('B', 2);
    submit(dispatcher, ...['a1', 'a2', 'a3'].map((name) => fakeRun(a, name)), fakeRun(b, 'b1'));
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect([dispatcher.activeCount, dispatcher.pendingCount]).toEqual([3, 1]);
    expect([a.active, a.queue.size, b.active]).toEqual([2, 1, 1]);
  });

  it('arms one wake-up timer, for the earliest moment a waiting key may start', async () => {
    const dispatcher = new TaskDispatcher<FakeRun>(systemClock, Number.POSITIVE_INFINITY);
    const paused = key('paused', 5);
    const limited = key('limited', 5, 1);
    paused.pauseUntil(Date.now() + 5_000);
    // The limited key's one start a minute is taken.
    limited.startAttempt();
    limited.endAttempt();
    submit(dispatcher, fakeRun(paused, 'paused'), fakeRun(limited, 'limited'));
    expect(started).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toEqual(['paused']);
    // The next wake-up is for the rate window: a minute after the start it recorded.
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(54_999);
    expect(started).toEqual(['paused']);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['paused', 'limited']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the wake-up timer when the last queued run is withdrawn', () => {
    const dispatcher = new TaskDispatcher<FakeRun>(systemClock, Number.POSITIVE_INFINITY);
    const paused = key('paused');
    paused.pauseUntil(Date.now() + 30_000);
    const run = fakeRun(paused, 'waiting');
    submit(dispatcher, run);
    expect(vi.getTimerCount()).toBe(1);
    dispatcher.withdraw(run);
    expect(run.ticket).toBeUndefined();
    expect([dispatcher.pendingCount, paused.queue.size, vi.getTimerCount()]).toEqual([0, 0, 0]);
    dispatcher.withdraw(run);
    expect(dispatcher.pendingCount).toBe(0);
  });

  it('folds a pump called from a starting run into the running loop', () => {
    const dispatcher = new TaskDispatcher<FakeRun>(systemClock, Number.POSITIVE_INFINITY);
    const a = key('A', 5);
    const late = fakeRun(a, 'late');
    const eager: FakeRun = {
      ...fakeRun(a, 'eager'),
      start() {
        started.push('eager');
        dispatcher.enqueue(late);
        dispatcher.pump();
        started.push('eager returned');
      },
    };
    submit(dispatcher, eager);
    expect(started).toEqual(['eager', 'eager returned', 'late']);
  });

  it('resolves onIdle once nothing is in flight, queued or backing off', async () => {
    const dispatcher = new TaskDispatcher<FakeRun>(systemClock, Number.POSITIVE_INFINITY);
    await dispatcher.onIdle();
    const a = key('A');
    const run = fakeRun(a, 'only');
    submit(dispatcher, run);
    let idle = false;
    void dispatcher.onIdle().then(() => {
      idle = true;
    });
    dispatcher.attemptEnded(run);
    dispatcher.backoffStarted(run);
    dispatcher.checkIdle();
    await Promise.resolve();
    expect([idle, a.backingOff]).toEqual([false, 1]);
    dispatcher.backoffEnded(run);
    dispatcher.checkIdle();
    await Promise.resolve();
    expect(idle).toBe(true);
  });
});
