import type { Harmonize, LightWrap, Shadow } from '../types/layer.js';
import { isHexColor, parseNumber } from './attribute-values.js';
import { formatNumber } from './escape-notation-text.js';
import { isName, showReceived } from './notation-characters.js';

/** A value read from a harmony attribute, or what was wrong with it. */
export type HarmonyNotationResult<T> =
  | { readonly value: T; readonly error?: undefined }
  | { readonly error: string };

type Fields = Record<string, { readonly min: number; readonly max: number; readonly unit?: true }>;

const shadowFields: Fields = {
  angle: { min: -360, max: 360 },
  distance: { min: 0, max: 1000 },
  blur: { min: 0, max: 1000 },
  opacity: { min: 0, max: 1, unit: true },
};
const wrapFields: Fields = {
  amount: { min: 0, max: 1, unit: true },
  radius: { min: 1, max: 1000 },
};
const harmonizeFields: Fields = { amount: { min: 0, max: 1, unit: true } };

/** A number of a field: `0.4`, or `40%` for 0..1 fields; `undefined` when malformed. */
function fieldNumber(text: string, unit: boolean): number | undefined {
  if (unit && text.endsWith('%')) {
    const percent = parseNumber(text.slice(0, -1));
    return percent === undefined ? undefined : percent / 100;
  }
  return parseNumber(text);
}

/**
 * Reads `NAME VALUE` pairs (`angle 120 blur 12`) from `tokens` into `target`; `colour` takes a
 * hex colour where `extra` allows it.
 */
function readPairs(
  key: string,
  tokens: readonly string[],
  fields: Fields,
  target: Record<string, unknown>,
  extra: Readonly<Record<string, (text: string) => unknown>> = {},
): string | undefined {
  const names = [...Object.keys(fields), ...Object.keys(extra)];
  const list = names.map((name) => `\`${name}\``).join(', ');
  for (let index = 0; index < tokens.length; index += 2) {
    const name = tokens[index]!;
    const text = tokens[index + 1];
    if (!names.includes(name)) {
      return `Expected \`${key}\` to hold \`NAME VALUE\` pairs with NAME one of ${list}, got ${showReceived(name)}`;
    }
    if (Object.hasOwn(target, name)) return `Expected \`${key}\` to give \`${name}\` once`;
    if (text === undefined) return `Expected a value after \`${name}\` in \`${key}\``;
    const field = fields[name];
    if (field === undefined) {
      const value = extra[name]!(text);
      if (value === undefined) {
        return `Expected \`${name}\` in \`${key}\` to be a colour \`#rrggbb\`, got ${showReceived(text)}`;
      }
      target[name] = value;
      continue;
    }
    const value = fieldNumber(text, field.unit === true);
    if (value === undefined || value < field.min || value > field.max) {
      return `Expected \`${name}\` in \`${key}\` to be a number from ${field.min} to ${field.max}${field.unit ? ' or a percentage such as `40%`' : ''}, got ${showReceived(text)}`;
    }
    target[name] = value;
  }
  return undefined;
}

const tokensOf = (text: string) => text.split(/[ \t]+/).filter((token) => token.length > 0);

/**
 * Reads `harmonize: TARGET [amount N] [mode full|white-balance]`: TARGET is a layer name or one
 * or more colours `#rrggbb` (a palette).
 */
export function parseHarmonizeNotation(text: string): HarmonyNotationResult<Harmonize> {
  const tokens = tokensOf(text);
  let start = 0;
  while (start < tokens.length && isHexColor(tokens[start]!)) start++;
  let to: Harmonize['to'];
  if (start > 0) to = { palette: tokens.slice(0, start) };
  else if (tokens.length > 0 && isName(tokens[0]!) && tokens[0] !== 'amount') {
    to = tokens[0]!;
    start = 1;
  } else {
    return {
      error: `Expected \`harmonize\` to start with a layer name or colours \`#rrggbb\`, got ${showReceived(text)}`,
    };
  }
  const rest: Record<string, unknown> = {};
  const error = readPairs('harmonize', tokens.slice(start), harmonizeFields, rest, {
    mode: (value) => (value === 'full' || value === 'white-balance' ? value : undefined),
  });
  if (error !== undefined) {
    return { error: error.replace('a colour `#rrggbb`', '`full` or `white-balance`') };
  }
  return { value: { to, ...rest } as Harmonize };
}

/** Reads `shadow: on` or `shadow: [angle N] [distance N] [blur N] [opacity N] [color #rrggbb]`. */
export function parseShadowNotation(text: string): HarmonyNotationResult<Shadow> {
  const tokens = tokensOf(text);
  if (tokens.length === 1 && tokens[0] === 'on') return { value: {} };
  const shadow: Record<string, unknown> = {};
  const error = readPairs('shadow', tokens, shadowFields, shadow, {
    color: (value) => (isHexColor(value) ? value : undefined),
  });
  if (error === undefined && tokens.length === 0) {
    return { error: 'Expected `shadow` to be `on` or `NAME VALUE` pairs, got nothing' };
  }
  return error === undefined ? { value: shadow as Shadow } : { error };
}

/** Reads `wrap: on` or `wrap: [amount N] [radius N]`. */
export function parseLightWrapNotation(text: string): HarmonyNotationResult<LightWrap> {
  const tokens = tokensOf(text);
  if (tokens.length === 1 && tokens[0] === 'on') return { value: {} };
  const wrap: Record<string, unknown> = {};
  const error = readPairs('wrap', tokens, wrapFields, wrap);
  if (error === undefined && tokens.length === 0) {
    return { error: 'Expected `wrap` to be `on` or `NAME VALUE` pairs, got nothing' };
  }
  return error === undefined ? { value: wrap as LightWrap } : { error };
}

/** `NAME VALUE` pairs of the defined fields, in the order given. */
function pairs<T extends object>(value: T, names: readonly (keyof T & string)[]): string[] {
  const written: string[] = [];
  for (const name of names) {
    const field = value[name];
    if (field === undefined) continue;
    written.push(name, typeof field === 'number' ? formatNumber(field) : String(field));
  }
  return written;
}

/**
 * Writes a harmony as notation, or says why it cannot be written (a palette colour that is not
 * `#rrggbb` / `#rgb`).
 */
export function formatHarmonizeNotation(harmonize: Harmonize): HarmonyNotationResult<string> {
  const { to } = harmonize;
  if (typeof to !== 'string') {
    const bad = to.palette.find((color) => !isHexColor(color));
    if (bad !== undefined) {
      return {
        error: `Expected palette colours \`#rrggbb\` or \`#rgb\` to be written in layer notation, got ${JSON.stringify(bad)}`,
      };
    }
  }
  const target = typeof to === 'string' ? [to] : [...to.palette];
  return { value: [...target, ...pairs(harmonize, ['amount', 'mode'])].join(' ') };
}

/** Writes a shadow as notation, or says why it cannot be written (a colour that is not hex). */
export function formatShadowNotation(shadow: Shadow): HarmonyNotationResult<string> {
  if (shadow.color !== undefined && !isHexColor(shadow.color)) {
    return {
      error: `Expected the shadow colour to be \`#rrggbb\` or \`#rgb\` to be written in layer notation, got ${JSON.stringify(shadow.color)}`,
    };
  }
  const written = pairs(shadow, ['angle', 'distance', 'blur', 'opacity', 'color']);
  return { value: written.length === 0 ? 'on' : written.join(' ') };
}

/** Writes a light wrap as notation. */
export function formatLightWrapNotation(wrap: LightWrap): string {
  const written = pairs(wrap, ['amount', 'radius']);
  return written.length === 0 ? 'on' : written.join(' ');
}
