import { LayerloomError } from './layerloom-error.js';

/** An operation took longer than its `timeoutMs`. */
export class TimeoutError extends LayerloomError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  /**
   * @param message - what timed out.
   * @param timeoutMs - the limit, in milliseconds.
   */
  constructor(message: string, timeoutMs: number, options: { cause?: unknown } = {}) {
    super('timeout', message, options);
    this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}
