import { LayerloomError } from './layerloom-error.js';

/** Every attempt failed: carries each attempt's error, first to last. */
export class RetryError extends LayerloomError {
  /** How many attempts were made. */
  readonly attempts: number;
  /** The error of each attempt, in order. */
  readonly errors: readonly unknown[];

  /**
   * @param message - what was being retried.
   * @param errors - the error of every attempt, in order (at least one).
   */
  constructor(message: string, errors: readonly unknown[]) {
    const last = errors.at(-1);
    super('retry_exhausted', message, { cause: last });
    this.name = 'RetryError';
    this.attempts = errors.length;
    this.errors = errors;
  }

  /** The last attempt's error. */
  get lastError(): unknown {
    return this.errors.at(-1);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), attempts: this.attempts };
  }
}
