const marker = Symbol.for('layerloom.error');

/** Options shared by every {@link LayerloomError}. */
export interface LayerloomErrorOptions {
  /** The underlying error, kept for debugging. Never contains secrets. */
  readonly cause?: unknown;
}

/**
 * Base class of every error Layerloom throws across its public surface.
 *
 * Each error has a stable machine-readable {@link LayerloomError.code}. Use
 * {@link isLayerloomError} rather than `instanceof`: it also recognises errors created by a
 * duplicate copy of the package.
 */
export class LayerloomError extends Error {
  /** Stable machine-readable code, e.g. `validation_error`. Safe to switch on. */
  readonly code: string;

  /**
   * @param code - stable machine-readable code.
   * @param message - one line saying what was expected and what was received.
   * @param options - optional `cause`.
   */
  constructor(code: string, message: string, options: LayerloomErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LayerloomError';
    this.code = code;
    Object.defineProperty(this, marker, { value: true, enumerable: false });
  }

  /** A JSON-safe summary: name, code and message (and subclass fields). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/**
 * Whether `value` is a {@link LayerloomError}, from this or any other copy of the package.
 *
 * @param value - anything caught.
 * @returns `true` when `value` carries the Layerloom error marker.
 */
export function isLayerloomError(value: unknown): value is LayerloomError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[marker] === true
  );
}
