import { LayerNotationError } from '../errors/layer-notation-error.js';

/**
 * One line of a `.loom` text: a range of the whole document, so readers scan the flat
 * document string with absolute offsets (faster than scanning a substring per line). Reports
 * errors at an offset with a code frame.
 */
export class NotationLine {
  #text: string | undefined;

  /**
   * @param number - 1-based line number.
   * @param source - the whole document.
   * @param start - offset of the line's first character in `source`.
   * @param end - offset just past the line's last character (before its line break).
   */
  constructor(
    readonly number: number,
    readonly source: string,
    readonly start: number,
    readonly end: number,
  ) {}

  /** The line's text, without its line break. */
  get text(): string {
    this.#text ??= this.source.slice(this.start, this.end);
    return this.#text;
  }

  /** The 1-based column, counted in code points, of an offset into the document. */
  column(offset: number): number {
    const source = this.source;
    const stop = Math.min(offset, this.end);
    let column = 1;
    for (let index = this.start; index < stop; index++) {
      const code = source.charCodeAt(index);
      if (code >= 0xd800 && code <= 0xdbff && index + 1 < stop) {
        const next = source.charCodeAt(index + 1);
        if (next >= 0xdc00 && next <= 0xdfff) index++;
      }
      column++;
    }
    return column + Math.max(0, offset - this.end);
  }

  /**
   * A {@link LayerNotationError} pointing at `offset` of this line.
   *
   * @param message - what was expected and what was received.
   * @param offset - offset of the problem in the document.
   * @param cause - the underlying error, if any.
   */
  error(message: string, offset: number, cause?: unknown): LayerNotationError {
    return new LayerNotationError(
      message,
      { line: this.number, column: this.column(offset), source: this.text },
      cause === undefined ? {} : { cause },
    );
  }

  /** Up to `length` code units of the line from `offset`, for messages. */
  excerpt(offset: number, length = 20): string {
    return this.source.slice(offset, Math.min(this.end, offset + length));
  }
}
