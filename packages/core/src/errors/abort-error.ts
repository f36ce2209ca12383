import { LayerloomError } from './layerloom-error.js';

/** The operation was cancelled through its `AbortSignal`. */
export class AbortError extends LayerloomError {
  /**
   * @param message - what was aborted.
   * @param options - `cause`: the signal's reason, when it is informative.
   */
  constructor(message = 'The operation was aborted', options: { cause?: unknown } = {}) {
    super('aborted', message, options);
    this.name = 'AbortError';
  }

  /**
   * An {@link AbortError} for an aborted signal, keeping its reason as the cause.
   *
   * @param signal - the aborted signal.
   * @param what - what was aborted, for the message.
   */
  static fromSignal(signal: AbortSignal, what = 'The operation'): LayerloomError {
    const reason: unknown = signal.reason;
    if (reason instanceof LayerloomError) return reason;
    return new AbortError(`${what} was aborted`, { cause: reason });
  }
}
