import { knownAttributeKeyAt } from './attribute-keys.js';
import {
  characterCodes,
  isAttributeSeparator,
  isColon,
  showReceived,
  skipWhiteSpace,
  trimEndOffset,
} from './notation-characters.js';
import type { NotationLine } from './notation-line.js';

/** One `key: value` pair of an attribute block, as offsets into its line. */
export interface AttributeEntry {
  /** The key as written, e.g. `w` or `opt.steps`. */
  readonly key: string;
  /** Offset of the key. */
  readonly keyOffset: number;
  /** Offset of the value's first character (inside the quotes when quoted). */
  readonly valueStart: number;
  /** Offset just past the value's last character (before the closing quote when quoted). */
  readonly valueEnd: number;
  /** Whether the value was a quoted string. */
  readonly quoted: boolean;
  /** Whether the value holds a `\` or `$`, so it must be decoded rather than just sliced. */
  readonly escaped: boolean;
}

/** An attribute block `{key: value, ...}` read from a line. */
export interface AttributeBlock {
  /** Offset of `{`. */
  readonly open: number;
  /** Offset of `}`. */
  readonly close: number;
  /** The pairs, in order. */
  readonly entries: readonly AttributeEntry[];
}

const keyPattern = /[\p{L}\p{N}_.-]+/uy;
// Runs of characters with no meaning inside a quoted value. Line breaks are excluded so that a
// run never leaves the line; the scan below handles what stops a run.
const plainDoubleQuotedRun = /[^\\"$\n\r]*/y;
const plainSingleQuotedRun = /[^\\'$\n\r]*/y;

/** Offset where the run of `pattern` starting at `offset` ends (at most `limit`). */
function skipRun(pattern: RegExp, text: string, offset: number, limit: number): number {
  pattern.lastIndex = offset;
  pattern.test(text);
  return Math.min(pattern.lastIndex, limit);
}

/** Offset just past the key starting at `offset` (letters, digits, `_`, `.`, `-`). */
function keyEnd(text: string, offset: number, limit: number): number {
  let end = offset;
  while (end < limit) {
    const code = text.charCodeAt(end);
    if (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f ||
      code === 0x2e ||
      code === 0x2d
    ) {
      end++;
    } else if (code >= 0x80) {
      keyPattern.lastIndex = end;
      return keyPattern.test(text) ? Math.min(keyPattern.lastIndex, limit) : end;
    } else return end;
  }
  return end;
}

function unterminated(line: NotationLine, open: number, offset: number) {
  return line.error(
    `Expected \`}\` to close the attribute block opened at column ${line.column(open)}`,
    offset,
  );
}

/**
 * Reads the attribute block whose `{` is at `open`: `key: value` pairs separated by `,`, `;`
 * (or `，`, `；`), a trailing separator allowed. A value is a quoted string (`"…"` or `'…'`,
 * `\` escapes inside) or bare text up to the next separator or `}`, trimmed. Inside the block a
 * `#` is part of a value (`#00ff00`), not a comment.
 *
 * @param line - the line.
 * @param open - offset of the `{`.
 * @throws LayerNotationError for a malformed or unterminated block.
 */
export function readAttributeBlock(line: NotationLine, open: number): AttributeBlock {
  const text = line.source;
  const length = line.end;
  const entries: AttributeEntry[] = [];
  let offset = open + 1;
  for (;;) {
    offset = skipWhiteSpace(text, offset, length);
    if (offset >= length) throw unterminated(line, open, offset);
    if (text.charCodeAt(offset) === characterCodes.closeBrace) {
      return { open, close: offset, entries };
    }
    const keyStop = keyEnd(text, offset, length);
    if (keyStop === offset) {
      throw line.error(
        `Expected an attribute name such as \`opacity\`, got ${showReceived(line.excerpt(offset))}`,
        offset,
      );
    }
    const keyOffset = offset;
    const key = knownAttributeKeyAt(text, keyOffset, keyStop) ?? text.slice(keyOffset, keyStop);
    offset = skipWhiteSpace(text, keyStop, length);
    if (offset >= length || !isColon(text.charCodeAt(offset))) {
      throw line.error(`Expected \`:\` and a value after \`${key}\``, offset);
    }
    offset = skipWhiteSpace(text, offset + 1, length);
    if (offset >= length) throw unterminated(line, open, offset);
    const quote = text.charCodeAt(offset);
    let valueStart: number;
    let valueEnd: number;
    let quoted = false;
    let escaped = false;
    if (quote === characterCodes.doubleQuote || quote === characterCodes.singleQuote) {
      const run =
        quote === characterCodes.doubleQuote ? plainDoubleQuotedRun : plainSingleQuotedRun;
      let scan = offset + 1;
      while (scan < length) {
        scan = skipRun(run, text, scan, length);
        if (scan >= length) break;
        const code = text.charCodeAt(scan);
        if (code === characterCodes.backslash) {
          escaped = true;
          scan += 2;
        } else if (code === quote) break;
        else {
          if (code === characterCodes.dollar) escaped = true;
          scan++;
        }
      }
      if (scan >= length) {
        throw line.error(`Expected a closing \`${String.fromCharCode(quote)}\``, offset);
      }
      valueStart = offset + 1;
      valueEnd = scan;
      quoted = true;
      offset = skipWhiteSpace(text, scan + 1, length);
    } else {
      let scan = offset;
      while (scan < length) {
        const code = text.charCodeAt(scan);
        if (code === characterCodes.backslash) {
          escaped = true;
          scan += 2;
        } else if (code === characterCodes.dollar) {
          escaped = true;
          const next = scan + 1 < length ? text.charCodeAt(scan + 1) : -1;
          if (next === characterCodes.dollar) scan += 2;
          else if (next === characterCodes.openBrace && scan + 1 < length) {
            const close = text.indexOf('}', scan + 2);
            scan = close < 0 || close >= length ? length : close + 1;
          } else scan++;
        } else if (
          code === characterCodes.closeBrace ||
          code === characterCodes.comma ||
          code === characterCodes.semicolon ||
          (code >= 0xff0c && isAttributeSeparator(code))
        ) {
          break;
        } else scan++;
      }
      if (scan >= length) throw unterminated(line, open, length);
      valueStart = offset;
      valueEnd = trimEndOffset(text, offset, scan);
      if (valueEnd === valueStart) {
        throw line.error(`Expected a value after \`${key}:\``, offset);
      }
      offset = scan;
    }
    entries.push({ key, keyOffset, valueStart, valueEnd, quoted, escaped });
    if (offset >= length) throw unterminated(line, open, offset);
    const code = text.charCodeAt(offset);
    if (isAttributeSeparator(code)) offset++;
    else if (code !== characterCodes.closeBrace) {
      throw line.error(
        `Expected \`,\` or \`}\` after the value of \`${key}\`, got ${showReceived(line.excerpt(offset))}`,
        offset,
      );
    }
  }
}
