import { maxImageSide } from '../schema/composition-schema.js';
import type { ImageSize } from '../types/encoded-image.js';

const sizePattern = /^(\d{1,9})[ \t]*[xX×][ \t]*(\d{1,9})$/;

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** Offset just past the run of decimal digits starting at `offset`. */
function digitsEnd(text: string, offset: number): number {
  while (offset < text.length && isDigit(text.charCodeAt(offset))) offset++;
  return offset;
}

/**
 * A finite decimal number (`12`, `-0.5`, `.5`, `5.`, `1e3`, `1.5e+21`), or `undefined`. The
 * syntax is checked here (`Number()` alone would also take `0x10`, `Infinity` or white space).
 */
export function parseNumber(text: string): number | undefined {
  const length = text.length;
  if (length === 0 || length > 400) return undefined;
  const sign = text.charCodeAt(0);
  const integerStart = sign === 0x2b || sign === 0x2d ? 1 : 0;
  let offset = digitsEnd(text, integerStart);
  let digits = offset - integerStart;
  if (offset < length && text.charCodeAt(offset) === 0x2e) {
    const fractionStart = offset + 1;
    offset = digitsEnd(text, fractionStart);
    digits += offset - fractionStart;
  }
  if (digits === 0) return undefined;
  if (offset < length && (text.charCodeAt(offset) | 0x20) === 0x65) {
    offset++;
    const exponentSign = text.charCodeAt(offset);
    if (exponentSign === 0x2b || exponentSign === 0x2d) offset++;
    const exponentStart = offset;
    offset = digitsEnd(text, exponentStart);
    if (offset === exponentStart) return undefined;
  }
  if (offset !== length) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A length in pixels (`12`, `12px`) or in percent of the canvas (`50%`). */
export interface Length {
  /** The number as written. */
  readonly value: number;
  /** Whether it is a percentage of the canvas side. */
  readonly percent: boolean;
}

/** Parses `12`, `12px` or `50%`; `undefined` when malformed. */
export function parseLength(text: string): Length | undefined {
  if (text.endsWith('%')) {
    const value = parseNumber(text.slice(0, -1));
    return value === undefined ? undefined : { value, percent: true };
  }
  const value = parseNumber(text.endsWith('px') ? text.slice(0, -2) : text);
  return value === undefined ? undefined : { value, percent: false };
}

/** Parses an opacity or strength: `0.8`, or (when `allowPercent`) `80%`; must be in 0..1. */
export function parseUnitInterval(text: string, allowPercent: boolean): number | undefined {
  let value: number | undefined;
  if (allowPercent && text.endsWith('%')) {
    const percent = parseNumber(text.slice(0, -1));
    value = percent === undefined ? undefined : percent / 100;
  } else value = parseNumber(text);
  return value !== undefined && value >= 0 && value <= 1 ? value : undefined;
}

/** Parses a seed: a non-negative safe integer written in decimal digits. */
export function parseSeed(text: string): number | undefined {
  if (text.length === 0 || text.length > 16 || digitsEnd(text, 0) !== text.length) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Parses `WxH` (`x`, `X` or `×`) with whole sides from 1 to {@link maxImageSide}. */
export function parseSize(text: string): ImageSize | undefined {
  const match = sizePattern.exec(text);
  if (match === null) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width < 1 || height < 1 || width > maxImageSide || height > maxImageSide) return undefined;
  return { width, height };
}

/** Whether `text` is a hex colour the notation accepts as a chroma key: `#rgb` or `#rrggbb`. */
export function isHexColor(text: string): boolean {
  return /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(text);
}

/**
 * The typed value of a bare `opt.KEY` value: `true`, `false`, `null`, a finite number, or else
 * the text itself.
 */
export function parseOptionValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return parseNumber(text) ?? text;
}
