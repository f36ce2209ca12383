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
