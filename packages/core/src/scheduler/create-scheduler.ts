import { AbortError } from '../errors/abort-error.js';
import { RetryError } from '../errors/retry-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import { systemClock, type TimerHandle } from './clock.js';
import { RateWindow } from './rate-window.js';
import { RetryBudget } from './retry-budget.js';
import {
  describeFailure,
  isRateLimitError,
  isRetryableError,
  type RetryDelays,
  retryDelayMs,
} from './retry-policy.js';
import {
  type QueueLimits,
  type RetryNotice,
  type SchedulerOptions,
  type SchedulerTask,
  schedulerOptionsSchema,
  type TaskOptions,
  taskOptionsSchema,
} from './scheduler-options.js';
import { type QueueTicket, TaskQueue } from './task-queue.js';

/** Counters and state of one queue, from {@link Scheduler.stats}. */
export interface QueueStats {
  /** The queue's key (provider alias). */
  readonly key: string;
  /** Its concurrency limit. */
  readonly concurrency: number;
  /** Its rate limit, when it has one. */
  readonly requestsPerMinute: number | undefined;
  /** Attempts in flight (including timed-out attempts that have not settled yet). */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
  /** Tasks waiting out a retry delay. */
  readonly backingOff: number;
  /** Most attempts ever in flight at once. */
  readonly maxActive: number;
  /** Attempts started, retries included. */
  readonly started: number;
  /** Tasks that succeeded. */
  readonly succeeded: number;
  /** Tasks that failed for good. */
  readonly failed: number;
  /** Tasks cancelled through their signal. */
  readonly aborted: number;
  /** Retries scheduled. */
  readonly retries: number;
  /** Attempts that timed out. */
  readonly timeouts: number;
  /** Attempts started in the last 60 s, when the queue has a `requestsPerMinute` limit. */
  readonly startedLastMinute: number | undefined;
  /** Until when the queue is paused after a 429 (ms since the epoch), when it is. */
  readonly pausedUntil: number | undefined;
  /** Retry tokens left, when the queue has a budget. */
  readonly retryTokens: number | undefined;
}

/**
 * Runs tasks in per-key queues (one per provider alias) with concurrency and rate limits, a
 * global cap, priorities, timeouts, cancellation and retries.
 */
export interface Scheduler {
  /**
   * Queues a task and runs it when its key's queue allows, retrying retryable failures.
   *
   * @param key - the queue, e.g. a provider alias.
   * @param task - called once per attempt with the attempt's signal.
   * @param options - priority, signal, timeout, label and hooks.
   * @returns the task's value.
   * @throws the task's error when it is final on the first attempt; `RetryError` with every
   *   attempt's error when retries are exhausted or the retry budget is spent; `AbortError` (or
   *   the signal's Layerloom reason) when cancelled. The returned promise settles at once on
   *   abort or timeout, but the queue slot is held until the task's own promise settles.
   */
  run<T>(key: string, task: SchedulerTask<T>, options?: TaskOptions): Promise<T>;
  /** Attempts in flight across every key. */
  readonly activeCount: number;
  /** Tasks waiting for a slot across every key (retry waits excluded). */
  readonly pendingCount: number;
  /** Counters of one key's queue. */
  stats(key: string): QueueStats;
  /** Counters of every queue used so far. */
  stats(): readonly QueueStats[];
  /** Resolves when nothing is in flight, queued or waiting to retry. */
  onIdle(): Promise<void>;
}

interface KeyState {
  readonly key: string;
  readonly concurrency: number;
  readonly requestsPerMinute: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly maxRetries: number;
  readonly window: RateWindow | undefined;
  readonly budget: RetryBudget | undefined;
  readonly queue: TaskQueue<Entry>;
  active: number;
  maxActive: number;
  backingOff: number;
  started: number;
  succeeded: number;
  failed: number;
  aborted: number;
  retries: number;
  timeouts: number;
  pausedUntil: number;
}

interface Attempt {
  /** Created on first use of the task's `signal`: most tasks never read it, and it is costly. */
  controller: AbortController | undefined;
  /** Why the attempt was aborted, once it was. */
  abortReason: unknown;
  aborted: boolean;
  timer: TimerHandle | undefined;
  /** The scheduler has stopped listening to this attempt (done, timed out or aborted). */
  over: boolean;
}

interface Entry {
  readonly state: KeyState;
  readonly task: SchedulerTask<unknown>;
  readonly priority: number;
  readonly sequence: number;
  readonly options: TaskOptions | undefined;
  readonly label: string;
  readonly timeoutMs: number | undefined;
  readonly maxRetries: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly errors: unknown[];
  attempt: number;
  ticket: QueueTicket | undefined;
  current: Attempt | undefined;
  sleepTimer: TimerHandle | undefined;
  finished: boolean;
  onAbort: (() => void) | undefined;
}

const builtInLimits = { concurrency: 4, maxRetries: 2 } as const;
const builtInBudget = { capacity: 10, refillPerSecond: 0.2 } as const;

/**
 * Creates a scheduler: one queue per key (provider alias) with `concurrency` and a sliding
 * `requestsPerMinute` window, a global cap, priorities, per-task `AbortSignal` and `timeoutMs`,
 * and the retry policy (retryable errors only, `retryAfterMs` honoured up to a limit, otherwise
 * full-jitter exponential backoff, a per-queue retry budget, a 429 pausing its queue). A slow or
 * failing queue never delays another queue's tasks (except through the global cap).
 *
 * @param options - limits per key, global cap, retry policy, clock and random source.
 * @returns a {@link Scheduler}.
 * @throws ValidationError naming the bad option.
 *
 * @example
 * const scheduler = createScheduler({ limits: { A: { concurrency: 2, requestsPerMinute: 50 } } });
 * const image = await scheduler.run('A', ({ signal }) => provider.generate({ ...request, signal }));
 */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  parseWithSchema(schedulerOptionsSchema, options, 'scheduler options');
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const globalCap = options.concurrency ?? Number.POSITIVE_INFINITY;
  const delays: RetryDelays = {
    baseDelayMs: options.retry?.baseDelayMs ?? 500,
    maxDelayMs: options.retry?.maxDelayMs ?? 20_000,
    maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 60_000,
  };
  const budgetOptions =
    options.retry?.budget === false ? undefined : { ...builtInBudget, ...options.retry?.budget };
  const limitsByKey = new Map<string, QueueLimits>(Object.entries(options.limits ?? {}));

  const states = new Map<string, KeyState>();
  const keysWithPending = new Set<KeyState>();
  let active = 0;
  let pending = 0;
  let backingOff = 0;
  let sequence = 0;
  let pumping = false;
  let pumpAgain = false;
  let wakeTimer: TimerHandle | undefined;
  let wakeAt = Number.POSITIVE_INFINITY;
  let idleWaiters: (() => void)[] = [];

  function stateFor(key: string): KeyState {
    let state = states.get(key);
    if (state !== undefined) return state;
    const limits = { ...builtInLimits, ...options.defaultLimits, ...limitsByKey.get(key) };
    state = {
      key,
      concurrency: limits.concurrency,
      requestsPerMinute: limits.requestsPerMinute,
      timeoutMs: limits.timeoutMs,
      maxRetries: limits.maxRetries,
      window:
        limits.requestsPerMinute === undefined
          ? undefined
          : new RateWindow(limits.requestsPerMinute),
      budget:
        budgetOptions === undefined
          ? undefined
          : new RetryBudget(budgetOptions.capacity, budgetOptions.refillPerSecond, clock.now()),
      queue: new TaskQueue<Entry>(),
      active: 0,
      maxActive: 0,
      backingOff: 0,
      started: 0,
      succeeded: 0,
      failed: 0,
      aborted: 0,
      retries: 0,
      timeouts: 0,
      pausedUntil: 0,
    };
    states.set(key, state);
    return state;
  }

  function checkIdle(): void {
    if (active > 0 || pending > 0 || backingOff > 0 || idleWaiters.length === 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const waiter of waiters) waiter();
  }

  function scheduleWake(at: number): void {
    if (wakeTimer !== undefined && wakeAt <= at) return;
    if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = clock.setTimeout(
      () => {
        wakeTimer = undefined;
        wakeAt = Number.POSITIVE_INFINITY;
        pump();
      },
      Math.max(0, at - clock.now()),
    );
  }

  /** The best startable entry across keys, or undefined; arms the wake timer for paused keys. */
  function pick(): Entry | undefined {
    let best: Entry | undefined;
    let now: number | undefined;
    let earliest = Number.POSITIVE_INFINITY;
    for (const state of keysWithPending) {
      if (state.queue.size === 0) {
        keysWithPending.delete(state);
        continue;
      }
      if (state.active >= state.concurrency) continue;
      if (state.pausedUntil > 0 || state.window !== undefined) {
        now ??= clock.now();
        if (state.pausedUntil > now) {
          earliest = Math.min(earliest, state.pausedUntil);
          continue;
        }
        const allowedAt = state.window?.nextStartAt(now) ?? now;
        if (allowedAt > now) {
          earliest = Math.min(earliest, allowedAt);
          continue;
        }
      }
      const head = state.queue.peek()!;
      if (
        best === undefined ||
        head.priority > best.priority ||
        (head.priority === best.priority && head.sequence < best.sequence)
      ) {
        best = head;
      }
    }
    if (earliest !== Number.POSITIVE_INFINITY) scheduleWake(earliest);
    return best;
  }

  function pump(): void {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        while (active < globalCap) {
          const entry = pick();
          if (entry === undefined) break;
          entry.state.queue.pop();
          entry.ticket = undefined;
          pending--;
          start(entry);
        }
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  /** Calls a hook; a hook that throws fails its task with that error. */
  function callHook<A>(
    entry: Entry,
    hook: ((argument: A) => void) | undefined,
    argument: A,
  ): boolean {
    if (hook === undefined) return true;
    try {
      hook(argument);
      return true;
    } catch (error) {
      if (entry.current !== undefined) stopAttempt(entry.current, error);
      entry.current = undefined;
      entry.state.failed++;
      finish(entry, false, error);
      return false;
    }
  }

  function stopAttempt(attempt: Attempt, reason: unknown): void {
    attempt.over = true;
    if (attempt.timer !== undefined) clock.clearTimeout(attempt.timer);
    attempt.timer = undefined;
    attempt.aborted = true;
    attempt.abortReason = reason;
    attempt.controller?.abort(reason);
  }

  function signalOf(attempt: Attempt): AbortSignal {
    if (attempt.controller === undefined) {
      attempt.controller = new AbortController();
      if (attempt.aborted) attempt.controller.abort(attempt.abortReason);
    }
    return attempt.controller.signal;
  }

  function start(entry: Entry): void {
    const state = entry.state;
    state.active++;
    active++;
    state.started++;
    if (state.active > state.maxActive) state.maxActive = state.active;
    state.window?.record(clock.now());
    entry.attempt++;
    const attempt: Attempt = {
      controller: undefined,
      abortReason: undefined,
      aborted: false,
      timer: undefined,
      over: false,
    };
    entry.current = attempt;
    if (entry.timeoutMs !== undefined) {
      const timeoutMs = entry.timeoutMs;
      attempt.timer = clock.setTimeout(() => {
        attempt.timer = undefined;
        if (attempt.over) return;
        const error = new TimeoutError(`${entry.label} timed out after ${timeoutMs} ms`, timeoutMs);
        stopAttempt(attempt, error);
        entry.current = undefined;
        state.timeouts++;
        fail(entry, error);
      }, timeoutMs);
    }
    let result: unknown;
    // A hook may end the task (it threw, or it aborted the task's signal): then skip the call.
    if (callHook(entry, entry.options?.onStart, entry.attempt) && !attempt.over) {
      try {
        result = entry.task({
          get signal() {
            return signalOf(attempt);
          },
          attempt: entry.attempt,
        });
      } catch (error) {
        result = Promise.reject(error);
      }
    }
    Promise.resolve(result).then(
      (value) => settle(entry, attempt, true, value),
      (error: unknown) => settle(entry, attempt, false, error),
    );
  }

  function settle(entry: Entry, attempt: Attempt, succeeded: boolean, outcome: unknown): void {
    const state = entry.state;
    state.active--;
    active--;
    if (attempt.timer !== undefined) clock.clearTimeout(attempt.timer);
    attempt.timer = undefined;
    if (!attempt.over) {
      attempt.over = true;
      entry.current = undefined;
      if (succeeded) {
        state.succeeded++;
        finish(entry, true, outcome);
      } else fail(entry, outcome);
    }
    pump();
    checkIdle();
  }

  function fail(entry: Entry, error: unknown): void {
    if (entry.finished) return;
    const state = entry.state;
    entry.errors.push(error);
    const attempts = entry.errors.length;
    const plural = attempts === 1 ? 'attempt' : 'attempts';
    if (!isRetryableError(error)) {
      state.failed++;
      finish(
        entry,
        false,
        attempts === 1
          ? error
          : new RetryError(
              `${entry.label} failed after ${attempts} ${plural}: ${describeFailure(error)}`,
              entry.errors,
            ),
      );
      return;
    }
    const now = clock.now();
    if (
      entry.attempt > entry.maxRetries ||
      (state.budget !== undefined && !state.budget.take(now))
    ) {
      state.failed++;
      const why =
        entry.attempt > entry.maxRetries ? '' : ` (the retry budget of "${state.key}" is spent)`;
      finish(
        entry,
        false,
        new RetryError(
          `${entry.label} failed after ${attempts} ${plural}${why}: ${describeFailure(error)}`,
          entry.errors,
        ),
      );
      return;
    }
    const delayMs = retryDelayMs(error, entry.attempt, delays, random);
    if (isRateLimitError(error)) state.pausedUntil = Math.max(state.pausedUntil, now + delayMs);
    state.retries++;
    const notice: RetryNotice = {
      attempt: entry.attempt,
      delayMs,
      error,
      reason: describeFailure(error),
    };
    if (!callHook(entry, entry.options?.onRetry, notice) || entry.finished) return;
    state.backingOff++;
    backingOff++;
    entry.sleepTimer = clock.setTimeout(() => {
      entry.sleepTimer = undefined;
      state.backingOff--;
      backingOff--;
      enqueue(entry);
      pump();
    }, delayMs);
  }

  function finish(entry: Entry, succeeded: boolean, outcome: unknown): void {
    if (entry.finished) return;
    entry.finished = true;
    const state = entry.state;
    if (entry.ticket !== undefined) {
      if (state.queue.remove(entry.ticket)) pending--;
      entry.ticket = undefined;
      // Nothing left to wake up for: do not keep the process alive until a pause ends.
      if (pending === 0 && wakeTimer !== undefined) {
        clock.clearTimeout(wakeTimer);
        wakeTimer = undefined;
        wakeAt = Number.POSITIVE_INFINITY;
      }
    }
    if (entry.sleepTimer !== undefined) {
      clock.clearTimeout(entry.sleepTimer);
      entry.sleepTimer = undefined;
      state.backingOff--;
      backingOff--;
    }
    if (entry.onAbort !== undefined)
      entry.options?.signal?.removeEventListener('abort', entry.onAbort);
    if (succeeded) entry.resolve(outcome);
    else entry.reject(outcome);
    checkIdle();
  }

  function enqueue(entry: Entry): void {
    entry.ticket = entry.state.queue.push(entry, entry);
    pending++;
    keysWithPending.add(entry.state);
  }

  function abort(entry: Entry, signal: AbortSignal): void {
    if (entry.finished) return;
    const error = AbortError.fromSignal(signal, entry.label);
    if (entry.current !== undefined) stopAttempt(entry.current, signal.reason ?? error);
    entry.current = undefined;
    entry.state.aborted++;
    finish(entry, false, error);
  }

  function snapshot(state: KeyState): QueueStats {
    const now = clock.now();
    return {
      key: state.key,
      concurrency: state.concurrency,
      requestsPerMinute: state.requestsPerMinute,
      active: state.active,
      pending: state.queue.size,
      backingOff: state.backingOff,
      maxActive: state.maxActive,
      started: state.started,
      succeeded: state.succeeded,
      failed: state.failed,
      aborted: state.aborted,
      retries: state.retries,
      timeouts: state.timeouts,
      startedLastMinute: state.window?.countSince(now),
      pausedUntil: state.pausedUntil > now ? state.pausedUntil : undefined,
      retryTokens: state.budget?.tokens(now),
    };
  }

  function run<T>(key: string, task: SchedulerTask<T>, taskOptions?: TaskOptions): Promise<T> {
    if (typeof key !== 'string' || key === '') {
      return Promise.reject(
        ValidationError.field(['key'], 'Expected `key` to be a non-empty string', 'task'),
      );
    }
    if (typeof task !== 'function') {
      return Promise.reject(
        ValidationError.field(['task'], 'Expected `task` to be a function', 'task'),
      );
    }
    if (taskOptions !== undefined) {
      try {
        parseWithSchema(taskOptionsSchema, taskOptions, 'task options');
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const state = stateFor(key);
    const label = taskOptions?.label ?? `Task on "${key}"`;
    const signal = taskOptions?.signal;
    if (signal?.aborted) {
      state.aborted++;
      return Promise.reject(AbortError.fromSignal(signal, label));
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        state,
        task,
        priority: taskOptions?.priority ?? 0,
        sequence: sequence++,
        options: taskOptions,
        label,
        timeoutMs: taskOptions?.timeoutMs ?? state.timeoutMs,
        maxRetries: taskOptions?.maxRetries ?? state.maxRetries,
        resolve: resolve as (value: unknown) => void,
        reject,
        errors: [],
        attempt: 0,
        ticket: undefined,
        current: undefined,
        sleepTimer: undefined,
        finished: false,
        onAbort: undefined,
      };
      if (signal !== undefined) {
        entry.onAbort = () => abort(entry, signal);
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      enqueue(entry);
      const onQueued = taskOptions?.onQueued;
      if (
        onQueued !== undefined &&
        !callHook(entry, onQueued, state.queue.positionOf(entry.ticket!))
      ) {
        return;
      }
      pump();
    });
  }

  function stats(): readonly QueueStats[];
  function stats(key: string): QueueStats;
  function stats(key?: string): QueueStats | readonly QueueStats[] {
    if (key === undefined) return [...states.values()].map(snapshot);
    if (typeof key !== 'string' || key === '') {
      throw ValidationError.field(['key'], 'Expected `key` to be a non-empty string', 'stats key');
    }
    return snapshot(stateFor(key));
  }

  return {
    run,
    get activeCount() {
      return active;
    },
    get pendingCount() {
      return pending;
    },
    stats,
    onIdle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      });
    },
  };
}
