/**
 * A token bucket of retries for one provider: each retry takes a token, tokens come back at a
 * steady rate. When a provider keeps failing the bucket empties and further failures are not
 * retried, so a broken service is not hammered by every queued task's retries.
 */
export class RetryBudget {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  #tokens: number;
  #updatedAt: number;

  /**
   * @param capacity - tokens when full (retries allowed in a burst).
   * @param refillPerSecond - tokens added per second, up to `capacity`.
   * @param now - the current time, in milliseconds.
   */
  constructor(capacity: number, refillPerSecond: number, now: number) {
    this.#capacity = capacity;
    this.#refillPerMs = refillPerSecond / 1000;
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  /** Tokens available at `now`. */
  tokens(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /**
   * Takes one token when there is one.
   *
   * @returns whether a retry is allowed.
   */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#refillPerMs);
  }
}
