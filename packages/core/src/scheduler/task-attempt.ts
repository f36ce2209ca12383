import type { Clock, TimerHandle } from './clock.js';

/**
 * One attempt of a task: its `AbortSignal` and its timeout. The signal is created on first
 * read: most tasks never read it, and an `AbortController` per attempt was most of the cost of a
 * zero-latency task (decision 0003). An attempt stopped before its signal was read hands out a
 * signal that is already aborted with the reason.
 */
export class TaskAttempt {
  /** The scheduler has stopped listening to it: it settled, timed out or was aborted. */
  over = false;
  readonly #clock: Clock;
  #controller: AbortController | undefined;
  #aborted = false;
  #abortReason: unknown;
  #timer: TimerHandle | undefined;

  /** @param clock - the timers of its timeout. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Aborts when the attempt is stopped (the caller aborted, or it timed out). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /**
   * Calls `onTimeout` after `timeoutMs`, unless the attempt is over by then or
   * {@link TaskAttempt.clearTimeout} was called.
   *
   * @param timeoutMs - the limit, in milliseconds.
   * @param onTimeout - what to do when it is reached (usually {@link TaskAttempt.stop}, then a retry).
   */
  setTimeout(timeoutMs: number, onTimeout: () => void): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (!this.over) onTimeout();
    }, timeoutMs);
  }

  /** Cancels the timeout, if one is set. */
  clearTimeout(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Ends the attempt: it is over, its timeout is cancelled and its signal aborts with `reason`
   * (at once if it was read, else when it is).
   *
   * @param reason - the signal's abort reason.
   */
  stop(reason: unknown): void {
    this.over = true;
    this.clearTimeout();
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }
}
