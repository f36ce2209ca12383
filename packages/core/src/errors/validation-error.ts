import { LayerloomError } from './layerloom-error.js';

/** One problem found while validating an input. */
export interface ValidationIssue {
  /** Path of the bad field, e.g. `['layers', 0, 'opacity']`. Empty for the value itself. */
  readonly path: readonly (string | number)[];
  /** One sentence saying what was expected and what was received. */
  readonly message: string;
}

/**
 * Thrown when an input does not have the expected shape: a composition, an option object,
 * a raster. Its message names the path of each bad field and what was expected.
 */
export class ValidationError extends LayerloomError {
  /** Every problem found, in input order. */
  readonly issues: readonly ValidationIssue[];

  /**
   * @param issues - the problems found; the message is built from them.
   * @param options - `subject` names what was validated (e.g. `composition`), `cause`.
   */
  constructor(
    issues: readonly ValidationIssue[],
    options: { readonly subject?: string; readonly cause?: unknown } = {},
  ) {
    const subject = options.subject ?? 'input';
    const lines = issues.map((issue) => issue.message);
    const message =
      lines.length === 1
        ? `Invalid ${subject}: ${lines[0]}`
        : `Invalid ${subject} (${lines.length} problems):\n${lines.map((line) => `  - ${line}`).join('\n')}`;
    super('validation_error', message, { cause: options.cause });
    this.name = 'ValidationError';
    this.issues = issues;
  }

  /**
   * A `ValidationError` for a single field.
   *
   * @param path - path of the field, e.g. `['opacity']`.
   * @param message - what was expected and what was received.
   * @param subject - what was validated.
   */
  static field(
    path: readonly (string | number)[],
    message: string,
    subject?: string,
  ): ValidationError {
    return new ValidationError([{ path, message }], subject === undefined ? {} : { subject });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}
