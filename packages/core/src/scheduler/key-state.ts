import type { Clock } from './clock.js';
import type { QueueStats } from './queue-stats.js';
import { RateWindow } from './rate-window.js';
import { RetryBudget } from './retry-budget.js';
import { type QueueOrder, TaskQueue } from './task-queue.js';

/** A key's limits with the defaults filled in. */
export interface KeyLimits {
  /** Attempts in flight at once. */
  readonly concurrency: number;
  /** Starts in any 60 s span, when limited. */
  readonly requestsPerMinute?: number | undefined;
  /** Limit of each attempt, when there is one. */
  readonly timeoutMs?: number | undefined;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
}

/** A retry budget's settings with the defaults filled in. */
export interface KeyBudget {
  /** Tokens when full. */
  readonly capacity: number;
  /** Tokens added back per second. */
  readonly refillPerSecond: number;
}

/**
 * Everything the scheduler knows about one key (provider alias): its limits, its queue, its
 * sliding rate window, its 429 pause, its retry budget, and its counters. It decides whether the
 * key may start an attempt now; which key goes first, and the counts across keys, are the
 * dispatcher's.
 *
 * The counters are plain fields: the dispatcher moves `active` and `backingOff` (where a task
 * is), the task's run counts its outcome (`succeeded`, `failed`, `aborted`, `retries`,
 * `timeouts`).
 *
 * @typeParam T - what its queue holds.
 */
export class KeyState<T extends QueueOrder> {
  /** The key, e.g. a provider alias. */
  readonly key: string;
  /** Attempts in flight at once. */
  readonly concurrency: number;
  /** Starts in any 60 s span, when limited. */
  readonly requestsPerMinute: number | undefined;
  /** The key's limit of each attempt, when it has one. */
  readonly timeoutMs: number | undefined;
  /** The key's retries after the first attempt. */
  readonly maxRetries: number;
  /** Tasks waiting for a slot, best first. */
  readonly queue = new TaskQueue<T>();
  /** Attempts in flight, including timed-out ones that have not settled yet. */
  active = 0;
  /** Most attempts ever in flight at once. */
  maxActive = 0;
  /** Tasks waiting out a retry delay. */
  backingOff = 0;
  /** Attempts started, retries included. */
  started = 0;
  /** Tasks that succeeded. */
  succeeded = 0;
  /** Tasks that failed for good. */
  failed = 0;
  /** Tasks cancelled through their signal. */
  aborted = 0;
  /** Retries scheduled. */
  retries = 0;
  /** Attempts that timed out. */
  timeouts = 0;
  readonly #clock: Clock;
  readonly #window: RateWindow | undefined;
  readonly #budget: RetryBudget | undefined;
  /** Until when a 429 paused the key (ms since the epoch); 0 when it never was. */
  #pausedUntil = 0;

  /**
   * @param key - the key.
   * @param limits - its limits, defaults filled in.
   * @param budget - its retry budget, or `undefined` for none.
   * @param clock - time, read for the rate window, the budget and the stats.
   */
  constructor(key: string, limits: KeyLimits, budget: KeyBudget | undefined, clock: Clock) {
    this.key = key;
    this.concurrency = limits.concurrency;
    this.requestsPerMinute = limits.requestsPerMinute;
    this.timeoutMs = limits.timeoutMs;
    this.maxRetries = limits.maxRetries;
    this.#clock = clock;
    this.#window =
      limits.requestsPerMinute === undefined ? undefined : new RateWindow(limits.requestsPerMinute);
    this.#budget =
      budget === undefined
        ? undefined
        : new RetryBudget(budget.capacity, budget.refillPerSecond, clock.now());
  }

  /** Whether every slot of the key is taken. */
  get full(): boolean {
    return this.active >= this.concurrency;
  }

  /**
   * Whether the time decides when the key may start (it has a rate window, or was paused once):
   * only then is {@link KeyState.nextStartAt} worth the clock reading.
   */
  get timed(): boolean {
    return this.#pausedUntil > 0 || this.#window !== undefined;
  }

  /**
   * When the key may start its next attempt, as far as its pause and rate window say (its
   * concurrency is {@link KeyState.full}).
   *
   * @param now - the current time, in milliseconds.
   * @returns `now` when it may start now, else the end of its pause or the time its oldest start
   *   leaves the rate window.
   */
  nextStartAt(now: number): number {
    if (this.#pausedUntil > now) return this.#pausedUntil;
    return this.#window === undefined ? now : this.#window.nextStartAt(now);
  }

  /** Counts an attempt that starts: it takes a slot and a place in the rate window. */
  startAttempt(): void {
    this.active++;
    this.started++;
    if (this.active > this.maxActive) this.maxActive = this.active;
    this.#window?.record(this.#clock.now());
  }

  /** Frees the slot of an attempt that settled. */
  endAttempt(): void {
    this.active--;
  }

  /**
   * Pauses the key until `until` (a 429 asked it to wait); an earlier end never shortens a pause.
   *
   * @param until - ms since the epoch.
   */
  pauseUntil(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }

  /**
   * Takes a token of the retry budget, when the key has one.
   *
   * @param now - the current time, in milliseconds.
   * @returns whether a retry is allowed (always, without a budget).
   */
  takeRetryToken(now: number): boolean {
    return this.#budget === undefined || this.#budget.take(now);
  }

  /** The key's counters and state now. */
  stats(): QueueStats {
    const now = this.#clock.now();
    return {
      key: this.key,
      concurrency: this.concurrency,
      requestsPerMinute: this.requestsPerMinute,
      active: this.active,
      pending: this.queue.size,
      backingOff: this.backingOff,
      maxActive: this.maxActive,
      started: this.started,
      succeeded: this.succeeded,
      failed: this.failed,
      aborted: this.aborted,
      retries: this.retries,
      timeouts: this.timeouts,
      startedLastMinute: this.#window?.countSince(now),
      pausedUntil: this.#pausedUntil > now ? this.#pausedUntil : undefined,
      retryTokens: this.#budget?.tokens(now),
    };
  }
}
