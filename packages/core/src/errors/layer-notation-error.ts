import { LayerloomError } from './layerloom-error.js';

/** Where a {@link LayerNotationError} happened. */
export interface LayerNotationErrorLocation {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, counted in code points. */
  readonly column: number;
  /** The text of the offending line (without its line break). */
  readonly source?: string;
}

/**
 * Thrown by `parseLayerNotation` for every problem in a `.loom` text. `toString()` shows the
 * offending line with a caret under the column.
 */
export class LayerNotationError extends LayerloomError {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, counted in code points. */
  readonly column: number;
  /** The offending line, when known. */
  readonly source: string | undefined;

  /**
   * @param message - one line naming what was expected.
   * @param location - line, column and optionally the line's text.
   */
  constructor(
    message: string,
    location: LayerNotationErrorLocation,
    options: { cause?: unknown } = {},
  ) {
    super(
      'layer_notation_error',
      `${message} (line ${location.line}, column ${location.column})`,
      options,
    );
    this.name = 'LayerNotationError';
    this.line = location.line;
    this.column = location.column;
    this.source = location.source;
  }

  /** The message followed by a code frame: the offending line and a caret. */
  codeFrame(): string {
    if (this.source === undefined) return this.message;
    const gutter = `${this.line} | `;
    const caret = `${' '.repeat(gutter.length - 2)}| ${' '.repeat(Math.max(0, this.column - 1))}^`;
    return `${this.message}\n${gutter}${this.source}\n${caret}`;
  }

  override toString(): string {
    return `${this.name}: ${this.codeFrame()}`;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), line: this.line, column: this.column };
  }
}
