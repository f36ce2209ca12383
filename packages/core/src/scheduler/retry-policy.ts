import { isLayerloomError } from '../errors/layerloom-error.js';

/** How long to wait between attempts. */
export interface RetryDelays {
  /** Backoff of the first retry, doubled for each further retry. @default 500 */
  readonly baseDelayMs: number;
  /** Largest backoff. @default 20000 */
  readonly maxDelayMs: number;
  /** Longest server-requested delay (`retryAfterMs`) that is honoured. @default 60000 */
  readonly maxRetryAfterMs: number;
}

/**
 * The retry delays of a policy, its defaults filled in: 500 ms base, 20 s cap, Retry-After
 * honoured up to 60 s. Every runner (the in-process scheduler, queue workers) reads them here.
 *
 * @param retry - the configured delays, if any.
 */
export function retryDelaysOf(retry?: Partial<RetryDelays>): RetryDelays {
  return {
    baseDelayMs: retry?.baseDelayMs ?? 500,
    maxDelayMs: retry?.maxDelayMs ?? 20_000,
    maxRetryAfterMs: retry?.maxRetryAfterMs ?? 60_000,
  };
}

/** The fields of a `ProviderError` the retry policy reads (read by shape, across copies). */
interface RetryableShape {
  readonly code?: unknown;
  readonly retryable?: unknown;
  readonly retryAfterMs?: unknown;
  readonly status?: unknown;
}

/**
 * Whether a failed attempt may succeed when repeated: a Layerloom `ProviderError` marked
 * `retryable` (408, 409, 429, 5xx, connection failures, or the server's `x-should-retry`), or
 * a `TimeoutError` (the attempt took longer than `timeoutMs`). Anything else — aborts,
 * validation errors, bugs — is final.
 *
 * @param error - what the attempt threw.
 */
export function isRetryableError(error: unknown): boolean {
  if (!isLayerloomError(error)) return false;
  const shape = error as RetryableShape;
  return shape.retryable === true || shape.code === 'timeout';
}

/** Whether the error is a rate-limit answer (HTTP 429), which pauses the provider's queue. */
export function isRateLimitError(error: unknown): boolean {
  return isLayerloomError(error) && (error as RetryableShape).status === 429;
}

/**
 * The wait before the next attempt: the server's `retryAfterMs` when it is set and at most
 * `maxRetryAfterMs`, otherwise full-jitter exponential backoff — a uniform random delay between
 * 0 and `min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))`.
 *
 * @param error - the failed attempt's error.
 * @param attempt - the 1-based number of the attempt that failed.
 * @param delays - base, cap and Retry-After limit.
 * @param random - a uniform random number in [0, 1).
 * @returns the delay in whole milliseconds.
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  delays: RetryDelays,
  random: () => number,
): number {
  const requested = isLayerloomError(error) ? (error as RetryableShape).retryAfterMs : undefined;
  if (
    typeof requested === 'number' &&
    Number.isFinite(requested) &&
    requested >= 0 &&
    requested <= delays.maxRetryAfterMs
  ) {
    return Math.ceil(requested);
  }
  const ceiling = Math.min(delays.maxDelayMs, delays.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** A short reason for a retry: the error's code and message (or its class for foreign errors). */
export function describeFailure(error: unknown): string {
  if (isLayerloomError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.name;
  return typeof error;
}
