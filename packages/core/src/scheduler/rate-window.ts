/** Length of the sliding window of `requestsPerMinute`, in milliseconds. */
export const rateWindowMs = 60_000;

/**
 * A sliding one-minute window of start times: at most `limit` starts in any 60 s span.
 * Start times are kept in a ring buffer of `limit` slots, so memory is bounded by the limit.
 */
export class RateWindow {
  readonly #limit: number;
  readonly #starts: number[] = [];
  #oldest = 0;

  /** @param limit - starts allowed per minute (a positive integer). */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * When the next start is allowed.
   *
   * @param now - the current time, in milliseconds.
   * @returns `now` when a start is allowed now, else the time the oldest start leaves the window.
   */
  nextStartAt(now: number): number {
    if (this.#starts.length < this.#limit) return now;
    const oldest = this.#starts[this.#oldest]!;
    return Math.max(now, oldest + rateWindowMs);
  }

  /** Records a start at `now` (call only when {@link RateWindow.nextStartAt} allowed it). */
  record(now: number): void {
    if (this.#starts.length < this.#limit) {
      this.#starts.push(now);
      return;
    }
    this.#starts[this.#oldest] = now;
    this.#oldest = (this.#oldest + 1) % this.#limit;
  }

  /** Starts recorded in the minute before `now`. */
  countSince(now: number): number {
    let count = 0;
    for (const start of this.#starts) if (start > now - rateWindowMs) count++;
    return count;
  }
}
