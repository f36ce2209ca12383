import { z } from 'zod';
import { expected } from '../schema/format-issues.js';
import { integerRangeSchema, numberRangeSchema } from '../schema/range-schema.js';
import type { Clock } from './clock.js';

/** Limits of one queue (one provider alias). */
export interface QueueLimits {
  /** Calls in flight at once. A call counts until it has settled, even after a timeout. @default 4 */
  readonly concurrency?: number;
  /** Calls started in any 60-second span (a sliding window; retries count). @default unlimited */
  readonly requestsPerMinute?: number;
  /**
   * Limit of each attempt, in milliseconds: the attempt's signal aborts with a `TimeoutError`,
   * which is retried like a retryable provider error. @default no limit
   */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. @default 2 */
  readonly maxRetries?: number;
}

/** The per-queue retry budget: a token bucket that stops retries when a provider keeps failing. */
export interface RetryBudgetOptions {
  /** Retries allowed in a burst (tokens when the bucket is full). @default 10 */
  readonly capacity?: number;
  /** Tokens added back per second. @default 0.2 (one retry every 5 s in the long run) */
  readonly refillPerSecond?: number;
}

/** How failed attempts are retried. Applies to every queue. */
export interface RetryOptions {
  /** Backoff ceiling of the first retry; doubles per retry (full jitter). @default 500 */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling. @default 20000 */
  readonly maxDelayMs?: number;
  /**
   * Longest server-requested delay (`ProviderError.retryAfterMs`) that is honoured; a longer one
   * falls back to backoff. @default 60000
   */
  readonly maxRetryAfterMs?: number;
  /** The per-queue retry budget, or `false` for none. @default { capacity: 10, refillPerSecond: 0.2 } */
  readonly budget?: RetryBudgetOptions | false;
}

/** Options of `createScheduler`. */
export interface SchedulerOptions {
  /** Limits per key (provider alias). */
  readonly limits?: Readonly<Record<string, QueueLimits>>;
  /** Limits of keys not listed in `limits`. @default { concurrency: 4, maxRetries: 2 } */
  readonly defaultLimits?: QueueLimits;
  /** Calls in flight across every key. @default unlimited */
  readonly concurrency?: number;
  /** Retry delays and budget. */
  readonly retry?: RetryOptions;
  /** Time and timers. @default systemClock */
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1), for backoff jitter. @default Math.random */
  readonly random?: () => number;
}

/** The failed attempt a task is about to retry, as passed to {@link TaskOptions.onRetry}. */
export interface RetryNotice {
  /** The 1-based number of the attempt that failed. */
  readonly attempt: number;
  /** Wait before the next attempt, in milliseconds. */
  readonly delayMs: number;
  /** The attempt's error. */
  readonly error: unknown;
  /** Its code and message, e.g. `provider_error: rate limited`. */
  readonly reason: string;
}

/** What a task receives for each attempt. */
export interface TaskContext {
  /** Aborts when the caller aborts or the attempt times out; pass it to the provider. */
  readonly signal: AbortSignal;
  /** 1-based attempt number. */
  readonly attempt: number;
}

/** The work of one task: called once per attempt. */
export type SchedulerTask<T> = (context: TaskContext) => Promise<T> | T;

/** Options of `Scheduler.run`. Hooks must be quick; a hook that throws fails its task. */
export interface TaskOptions {
  /** Higher runs first within its queue (and across queues for the global cap). @default 0 */
  readonly priority?: number;
  /** Cancels the task: removed from the queue, or its running attempt aborted. */
  readonly signal?: AbortSignal;
  /** Overrides the queue's `timeoutMs` for this task. */
  readonly timeoutMs?: number;
  /** Overrides the queue's `maxRetries` for this task. */
  readonly maxRetries?: number;
  /** Names the task in error messages, e.g. `Layer "hero" on "A"`. @default Task on "<key>" */
  readonly label?: string;
  /** Called once when the task is queued, with the number of tasks ahead of it (0 = next). */
  readonly onQueued?: (position: number) => void;
  /** Called when an attempt starts, with its 1-based number. */
  readonly onStart?: (attempt: number) => void;
  /** Called when a failed attempt will be retried, before the wait. */
  readonly onRetry?: (notice: RetryNotice) => void;
}

const positiveInteger = (phrase: string) =>
  z.number(expected(phrase)).int(expected(phrase)).min(1, expected(phrase));

const limitsShape = {
  concurrency: positiveInteger('a positive integer').max(1_000_000).optional(),
  requestsPerMinute: positiveInteger('a positive integer').max(1_000_000).optional(),
  timeoutMs: positiveInteger('a positive integer of milliseconds')
    .max(2 ** 31 - 1)
    .optional(),
  maxRetries: integerRangeSchema(0, 100).optional(),
};

/** Schema of {@link QueueLimits}. */
export const queueLimitsSchema = z.strictObject(
  limitsShape,
  expected('`{ concurrency?, requestsPerMinute?, timeoutMs?, maxRetries? }`'),
);

const milliseconds = numberRangeSchema(0, 3_600_000, 'a number of milliseconds from 0 to 3600000');

/** Schema of {@link RetryOptions}. */
export const retryOptionsSchema = z.strictObject(
  {
    baseDelayMs: milliseconds.optional(),
    maxDelayMs: milliseconds.optional(),
    maxRetryAfterMs: milliseconds.optional(),
    budget: z
      .union(
        [
          z.literal(false),
          z.strictObject({
            capacity: z.number().min(0).max(1_000_000).optional(),
            refillPerSecond: z.number().min(0).max(1_000_000).optional(),
          }),
        ],
        expected('`false` or `{ capacity?, refillPerSecond? }` with non-negative numbers'),
      )
      .optional(),
  },
  expected('`{ baseDelayMs?, maxDelayMs?, maxRetryAfterMs?, budget? }`'),
);

const functionSchema = (phrase: string) =>
  z.custom<(...parameters: never[]) => unknown>(
    (value) => typeof value === 'function',
    expected(phrase),
  );

/** Schema of a {@link Clock}. */
export const clockSchema = z.custom<Clock>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Clock).now === 'function' &&
    typeof (value as Clock).setTimeout === 'function' &&
    typeof (value as Clock).clearTimeout === 'function',
  expected('a clock `{ now, setTimeout, clearTimeout }`'),
);

/** Schema of {@link SchedulerOptions}. */
export const schedulerOptionsSchema = z.strictObject(
  {
    limits: z
      .record(z.string(), queueLimitsSchema, expected('an object of limits per key'))
      .optional(),
    defaultLimits: queueLimitsSchema.optional(),
    concurrency: positiveInteger('a positive integer').max(1_000_000).optional(),
    retry: retryOptionsSchema.optional(),
    clock: clockSchema.optional(),
    random: functionSchema('a function returning a number in [0, 1)').optional(),
  },
  expected('a scheduler options object'),
);

/** Schema of {@link TaskOptions}. */
export const taskOptionsSchema = z.strictObject(
  {
    priority: z
      .number(expected('a finite number'))
      .min(-Number.MAX_VALUE, expected('a finite number'))
      .max(Number.MAX_VALUE, expected('a finite number'))
      .optional(),
    signal: z
      .custom<AbortSignal>((value) => value instanceof AbortSignal, expected('an AbortSignal'))
      .optional(),
    timeoutMs: limitsShape.timeoutMs,
    maxRetries: limitsShape.maxRetries,
    label: z.string(expected('a string')).optional(),
    onQueued: functionSchema('a function').optional(),
    onStart: functionSchema('a function').optional(),
    onRetry: functionSchema('a function').optional(),
  },
  expected('a task options object'),
);
