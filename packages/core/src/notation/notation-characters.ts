/** Character codes the notation gives a meaning to. */
export const characterCodes = {
  backslash: 0x5c,
  hash: 0x23,
  at: 0x40,
  dollar: 0x24,
  openBrace: 0x7b,
  closeBrace: 0x7d,
  colon: 0x3a,
  fullWidthColon: 0xff1a,
  comma: 0x2c,
  fullWidthComma: 0xff0c,
  semicolon: 0x3b,
  fullWidthSemicolon: 0xff1b,
  pipe: 0x7c,
  fullWidthPipe: 0xff5c,
  hyphen: 0x2d,
  enDash: 0x2013,
  emDash: 0x2014,
  horizontalBar: 0x2015,
  ellipsis: 0x2026,
  fullStop: 0x2e,
  ideographicFullStop: 0x3002,
  doubleQuote: 0x22,
  singleQuote: 0x27,
  byteOrderMark: 0xfeff,
} as const;

const letterOrDigitPattern = /^[\p{L}\p{N}]$/u;

/**
 * Whether `code` is white space as `String.prototype.trim` sees it (Unicode `Zs`, tab,
 * vertical tab, form feed, U+FEFF and the line terminators), so U+3000 counts.
 */
export function isWhiteSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Whether the code point is a letter or a digit of any script (`\p{L}` or `\p{N}`). */
export function isLetterOrDigit(codePoint: number): boolean {
  if (codePoint < 0x80) {
    return (
      (codePoint >= 0x61 && codePoint <= 0x7a) ||
      (codePoint >= 0x41 && codePoint <= 0x5a) ||
      (codePoint >= 0x30 && codePoint <= 0x39)
    );
  }
  if (codePoint >= 0x4e00 && codePoint <= 0x9fff) return true;
  return letterOrDigitPattern.test(String.fromCodePoint(codePoint));
}

/** Whether the code point may appear in a name or alias: a letter, a digit, `_` or `-`. */
export function isNameCodePoint(codePoint: number): boolean {
  return codePoint === 0x5f || codePoint === 0x2d || isLetterOrDigit(codePoint);
}

/** `:` or the full-width `：`. */
export const isColon = (code: number): boolean =>
  code === characterCodes.colon || code === characterCodes.fullWidthColon;

/** `,` or the full-width `，`. */
export const isComma = (code: number): boolean =>
  code === characterCodes.comma || code === characterCodes.fullWidthComma;

/** A separator between attributes: `,`, `;` or their full-width forms. */
export const isAttributeSeparator = (code: number): boolean =>
  isComma(code) || code === characterCodes.semicolon || code === characterCodes.fullWidthSemicolon;

/** `—`, `―`, `–` or `-`: the characters a style line's dash run is made of. */
export const isStyleDash = (code: number): boolean =>
  code === characterCodes.emDash ||
  code === characterCodes.horizontalBar ||
  code === characterCodes.enDash ||
  code === characterCodes.hyphen;

/** The code point ending just before `offset` and its length in code units (1 or 2). */
export function codePointBefore(text: string, offset: number): [codePoint: number, units: number] {
  const low = text.charCodeAt(offset - 1);
  if (low >= 0xdc00 && low <= 0xdfff && offset >= 2) {
    const high = text.charCodeAt(offset - 2);
    if (high >= 0xd800 && high <= 0xdbff) {
      return [(high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000, 2];
    }
  }
  return [low, 1];
}

/** First offset at or after `offset` that is not white space (or `end`). */
export function skipWhiteSpace(text: string, offset: number, end: number): number {
  while (offset < end && isWhiteSpace(text.charCodeAt(offset))) offset++;
  return offset;
}

/** Whether the character at `offset` is escaped: preceded by an odd run of `\` after `floor`. */
export function isEscaped(text: string, offset: number, floor: number): boolean {
  let count = 0;
  while (offset - count - 1 >= floor && text.charCodeAt(offset - count - 1) === 0x5c) count++;
  return count % 2 === 1;
}

/**
 * Offset just after the last character of `[start, end)` that is not white space, keeping
 * white space that is escaped with `\` (so `a\ ` keeps its space).
 */
export function trimEndOffset(text: string, start: number, end: number): number {
  while (
    end > start &&
    isWhiteSpace(text.charCodeAt(end - 1)) &&
    !isEscaped(text, end - 1, start)
  ) {
    end--;
  }
  return end;
}

/** Offset where the run of name characters that ends at `end` starts (`end` when none). */
export function nameStartBefore(text: string, end: number, floor: number): number {
  let offset = end;
  while (offset > floor) {
    const [codePoint, units] = codePointBefore(text, offset);
    if (offset - units < floor || !isNameCodePoint(codePoint)) break;
    offset -= units;
  }
  return offset;
}

const nameRunPattern = /[\p{L}\p{N}_-]+/uy;

/** Offset just after the run of name characters starting at `offset` (`offset` when none). */
export function nameEndAfter(text: string, offset: number, end: number): number {
  let stop = offset;
  while (stop < end) {
    const code = text.charCodeAt(stop);
    if (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f ||
      code === 0x2d
    ) {
      stop++;
    } else if (code >= 0x80) {
      nameRunPattern.lastIndex = stop;
      if (!nameRunPattern.test(text)) return stop;
      return Math.min(nameRunPattern.lastIndex, end);
    } else return stop;
  }
  return stop;
}

/** Whether `text` is a name: one or more letters, digits, `_` or `-`, in any script. */
export function isName(text: string): boolean {
  return text.length > 0 && nameEndAfter(text, 0, text.length) === text.length;
}

/**
 * How a received piece of text is shown in a message: `` `text` `` (shortened when long), or
 * `nothing` when it is empty.
 */
export function showReceived(text: string): string {
  if (text.length === 0) return 'nothing';
  const codePoints = Array.from(text.length > 200 ? text.slice(0, 200) : text);
  const shown = codePoints.length > 40 ? `${codePoints.slice(0, 37).join('')}...` : text;
  return `\`${shown}\``;
}
