import { Buffer } from 'node:buffer';
import { inflateSync } from 'node:zlib';
import { labelFontData } from './label-font-data.js';

/**
 * The label font of preview images: 8×16 (half-width) and 16×16 (full-width) bitmaps of
 * UnifontEX, a GNU Unifont derivative (SIL Open Font License 1.1), for Latin, Greek, Cyrillic,
 * common symbols, kana, Hangul and the Han characters of GB 2312, Big5 level 1 and JIS X 0208.
 * `scripts/generate-label-font.mjs` makes the data; characters outside the subset are drawn as
 * a hollow box. Decoded once, on first use.
 */

/** Glyph height in font pixels. */
export const glyphHeight = 16;

/** A glyph: its width in font pixels (8 or 16) and its rows, most significant bit on the left. */
export interface Glyph {
  readonly columns: 8 | 16;
  /** `columns × 16` bits, row by row. */
  readonly bits: Uint8Array;
}

interface DecodedFont {
  readonly narrowCodes: Uint16Array;
  readonly wideCodes: Uint16Array;
  readonly bitmaps: Uint8Array;
  readonly wideStart: number;
}

let decoded: DecodedFont | undefined;

function font(): DecodedFont {
  if (decoded !== undefined) return decoded;
  const raw = inflateSync(Buffer.from(labelFontData, 'base64'));
  const narrow = raw.readUInt16BE(0);
  const wide = raw.readUInt16BE(2);
  const codes = new Uint16Array(narrow + wide);
  for (let index = 0; index < codes.length; index++) codes[index] = raw.readUInt16BE(4 + index * 2);
  const bitmaps = new Uint8Array(raw.buffer, raw.byteOffset + 4 + codes.length * 2);
  decoded = {
    narrowCodes: codes.subarray(0, narrow),
    wideCodes: codes.subarray(narrow),
    bitmaps,
    wideStart: narrow * 16,
  };
  return decoded;
}

function search(codes: Uint16Array, code: number): number {
  let low = 0;
  let high = codes.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = codes[middle]!;
    if (value === code) return middle;
    if (value < code) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** True for characters drawn full-width (16 px) when the font lacks them: CJK and Hangul. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    code >= 0x1f300
  );
}

function hollowBox(columns: 8 | 16): Glyph {
  const bits = new Uint8Array((columns * glyphHeight) / 8);
  const set = (row: number, column: number) => {
    const bit = row * columns + column;
    bits[bit >> 3]! |= 0x80 >> (bit & 7);
  };
  for (let row = 2; row <= 13; row++) {
    for (let column = 1; column < columns - 1; column++) {
      if (row === 2 || row === 13 || column === 1 || column === columns - 2) set(row, column);
    }
  }
  return { columns, bits };
}

const missing = { 8: hollowBox(8), 16: hollowBox(16) } as const;

/**
 * The glyph of one character (code point).
 *
 * @param character - one character.
 * @returns its glyph, or a hollow box (full-width for CJK) when the font lacks it.
 */
export function glyphFor(character: string): Glyph {
  const code = character.codePointAt(0) ?? 0x20;
  const { narrowCodes, wideCodes, bitmaps, wideStart } = font();
  if (code <= 0xffff) {
    const narrow = search(narrowCodes, code);
    if (narrow >= 0) return { columns: 8, bits: bitmaps.subarray(narrow * 16, narrow * 16 + 16) };
    const wide = search(wideCodes, code);
    if (wide >= 0) {
      const start = wideStart + wide * 32;
      return { columns: 16, bits: bitmaps.subarray(start, start + 32) };
    }
  }
  return missing[isWide(code) ? 16 : 8];
}

/**
 * Width of a character in half-width columns: 2 for full-width glyphs, 1 otherwise.
 *
 * @param character - one character.
 */
export function columnsOf(character: string): 1 | 2 {
  return glyphFor(character).columns === 16 ? 2 : 1;
}
