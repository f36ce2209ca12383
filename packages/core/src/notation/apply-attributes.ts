import type { LayerNotationError } from '../errors/layer-notation-error.js';
import { maxImageSide } from '../schema/composition-schema.js';
import { type BlendMode, blendModes } from '../types/blend-mode.js';
import type { OutputOptions } from '../types/composition.js';
import { type Anchor, anchors, type Fit, type Layer, type Placement } from '../types/layer.js';
import {
  formatAttributeKeys,
  layerAttributeKeys,
  optionPrefix,
  styleAttributeKeys,
} from './attribute-keys.js';
import {
  isHexColor,
  parseLength,
  parseOptionValue,
  parseSeed,
  parseSize,
  parseUnitInterval,
} from './attribute-values.js';
import { decodeNotationText } from './decode-notation-text.js';
import {
  type HarmonyNotationResult,
  parseHarmonizeNotation,
  parseLightWrapNotation,
  parseShadowNotation,
} from './harmony-notation.js';
import { isName, showReceived } from './notation-characters.js';
import type { Mutable, PendingPercentage } from './notation-draft.js';
import { defaultChromaKey } from './notation-limits.js';
import type { NotationLine } from './notation-line.js';
import type { AttributeEntry } from './read-attribute-block.js';
import { didYouMean } from './suggest-closest.js';
import type { VariableScope } from './variable-scope.js';

const fits: readonly Fit[] = ['cover', 'contain', 'fill'];
const blendModeSet = new Set<string>(blendModes);
const layerKeySet = new Set<string>(layerAttributeKeys);

/** A small number per attribute (its short and long form share one), for a fast `switch`. */
enum Key {
  X = 1,
  Y = 2,
  Width = 4,
  Height = 8,
  Fit = 16,
  Anchor = 32,
  Blend = 64,
  Opacity = 128,
  Seed = 256,
  Negative = 512,
  Size = 1024,
  Matte = 2048,
  From = 4096,
  Strength = 8192,
  Harmonize = 16384,
  Shadow = 32768,
  LightWrap = 65536,
}

const keyIds = new Map<string, Key>([
  ['x', Key.X],
  ['y', Key.Y],
  ['w', Key.Width],
  ['width', Key.Width],
  ['h', Key.Height],
  ['height', Key.Height],
  ['fit', Key.Fit],
  ['anchor', Key.Anchor],
  ['blend', Key.Blend],
  ['opacity', Key.Opacity],
  ['seed', Key.Seed],
  ['negative', Key.Negative],
  ['size', Key.Size],
  ['matte', Key.Matte],
  ['from', Key.From],
  ['strength', Key.Strength],
  ['harmonize', Key.Harmonize],
  ['shadow', Key.Shadow],
  ['wrap', Key.LightWrap],
]);
const styleKeys = Key.Strength | Key.Seed | Key.Negative;

/** The long form of a key: `w` → `width`, `h` → `height`; other keys are their own. */
export function canonicalAttributeKey(key: string): string {
  if (key === 'w') return 'width';
  if (key === 'h') return 'height';
  return key;
}

/** Offset where an entry's value is shown in errors: its opening quote, or its first character. */
export function valueOffset(entry: AttributeEntry): number {
  return entry.quoted ? entry.valueStart - 1 : entry.valueStart;
}

const list = (values: readonly string[]) => values.map((value) => `\`${value}\``).join(', ');

/** The error for `entries[index]` repeating an earlier key (`w` repeats `width`). */
function repeatedKey(
  line: NotationLine,
  entries: readonly AttributeEntry[],
  index: number,
): LayerNotationError {
  const entry = entries[index]!;
  const key = canonicalAttributeKey(entry.key);
  const earlier = entries.find((other) => canonicalAttributeKey(other.key) === key)!;
  return line.error(
    `Expected each attribute once, but \`${entry.key}\` repeats \`${earlier.key}\` (column ${line.column(earlier.keyOffset)})`,
    entry.keyOffset,
  );
}

/**
 * Identifies `entries[index]`: its {@link Key}, or 0 for `opt.KEY`; throws for an unknown key,
 * a key not in `allowed`, or a repeated one (`seen` holds the keys met so far; a repeated
 * `opt.KEY` is found by {@link setOption}).
 */
function identify(
  line: NotationLine,
  entries: readonly AttributeEntry[],
  index: number,
  allowed: number,
  seen: number,
  unknown: (key: string) => string,
): Key | 0 {
  const entry = entries[index]!;
  const id = keyIds.get(entry.key);
  if (id === undefined) {
    if (!entry.key.startsWith(optionPrefix)) throw line.error(unknown(entry.key), entry.keyOffset);
    return 0;
  }
  if ((id & allowed) === 0) throw line.error(unknown(entry.key), entry.keyOffset);
  if ((seen & id) !== 0) throw repeatedKey(line, entries, index);
  return id;
}

function unknownLayerKey(key: string): string {
  return `Unknown attribute \`${key}\`${didYouMean(key, layerAttributeKeys)}; expected one of ${list(layerAttributeKeys)} or \`opt.KEY\``;
}

function unknownStyleKey(key: string): string {
  return layerKeySet.has(key)
    ? `Expected \`strength\`, \`seed\`, \`negative\` or \`opt.KEY\` on the style line, got \`${key}\` (a layer attribute)`
    : `Unknown attribute \`${key}\`${didYouMean(key, styleAttributeKeys)}; expected \`strength\`, \`seed\`, \`negative\` or \`opt.KEY\``;
}

function valueText(line: NotationLine, entry: AttributeEntry): string {
  return entry.escaped
    ? decodeNotationText(line, entry.valueStart, entry.valueEnd, undefined)
    : line.source.slice(entry.valueStart, entry.valueEnd);
}

/** The layer's placement, created when missing. */
function placementOf(layer: Mutable<Layer>): Mutable<Placement> {
  if (layer.placement === undefined) layer.placement = {};
  return layer.placement as Mutable<Placement>;
}

/** `target.options`, created when missing. */
function optionsOf(target: {
  options?: Readonly<Record<string, unknown>>;
}): Record<string, unknown> {
  if (target.options === undefined) target.options = {};
  return target.options as Record<string, unknown>;
}

/** The option name of an `opt.KEY` key, checked. */
function optionName(line: NotationLine, entry: AttributeEntry): string {
  const name = entry.key.slice(optionPrefix.length);
  if (!isName(name)) {
    throw line.error(
      `Expected an option name of letters, digits, \`_\` or \`-\` after \`opt.\`, got ${showReceived(name)}`,
      entry.keyOffset + optionPrefix.length,
    );
  }
  if (name === '__proto__') {
    throw line.error('Expected an option name other than `__proto__`', entry.keyOffset);
  }
  return name;
}

/** Sets `opt.KEY` on `options`: quoted values are strings, bare ones are typed. */
function setOption(
  line: NotationLine,
  entries: readonly AttributeEntry[],
  index: number,
  value: string,
  options: Record<string, unknown>,
): void {
  const entry = entries[index]!;
  const name = optionName(line, entry);
  if (Object.hasOwn(options, name)) throw repeatedKey(line, entries, index);
  options[name] = entry.quoted || entry.escaped ? value : parseOptionValue(value);
}

function invalid(line: NotationLine, entry: AttributeEntry, expected: string, value: string) {
  return line.error(
    `Expected \`${entry.key}\` to be ${expected}, got ${showReceived(value)}`,
    valueOffset(entry),
  );
}

/** The value of a harmony attribute, or its error at the value. */
function harmonyValue<T>(
  line: NotationLine,
  entry: AttributeEntry,
  result: HarmonyNotationResult<T>,
): T {
  if (result.error !== undefined) throw line.error(result.error, valueOffset(entry));
  return result.value;
}

/**
 * Interprets a layer's attribute block, setting the attributes on `layer` in the order written.
 *
 * @param line - the layer's line.
 * @param entries - the block's pairs.
 * @param scope - variables, expanded in `negative`.
 * @param layer - the layer to complete.
 * @returns the placement sides written in `%`, if any.
 * @throws LayerNotationError for an unknown or repeated key or a malformed value.
 */
export function readLayerAttributes(
  line: NotationLine,
  entries: readonly AttributeEntry[],
  scope: VariableScope,
  layer: Mutable<Layer>,
): PendingPercentage[] | undefined {
  let percentages: PendingPercentage[] | undefined;
  let seen = 0;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    const id = identify(line, entries, index, -1, seen, unknownLayerKey);
    seen |= id;
    const value = valueText(line, entry);
    switch (id) {
      case Key.X:
      case Key.Y:
      case Key.Width:
      case Key.Height: {
        const length = parseLength(value);
        const side = id === Key.X || id === Key.Y;
        if (length === undefined || (!side && length.value <= 0)) {
          throw invalid(
            line,
            entry,
            side
              ? 'a number of pixels or a percentage of the canvas such as `25%`'
              : 'a positive number of pixels or a percentage of the canvas such as `50%`',
            value,
          );
        }
        const field =
          id === Key.X ? 'x' : id === Key.Y ? 'y' : id === Key.Width ? 'width' : 'height';
        if (!length.percent) placementOf(layer)[field] = length.value;
        else if (percentages === undefined) percentages = [{ field, percent: length.value }];
        else percentages.push({ field, percent: length.value });
        break;
      }
      case Key.Fit:
        if (!fits.includes(value as Fit)) throw invalid(line, entry, `one of ${list(fits)}`, value);
        placementOf(layer).fit = value as Fit;
        break;
      case Key.Anchor:
        if (!anchors.includes(value as Anchor)) {
          throw invalid(line, entry, `one of ${list(anchors)}`, value);
        }
        placementOf(layer).anchor = value as Anchor;
        break;
      case Key.Blend:
        if (!blendModeSet.has(value)) {
          throw line.error(
            `Expected \`blend\` to be a W3C blend mode (${blendModes.join(', ')}), got ${showReceived(value)}${didYouMean(value, blendModes)}`,
            valueOffset(entry),
          );
        }
        layer.blend = value as BlendMode;
        break;
      case Key.Opacity: {
        const opacity = parseUnitInterval(value, true);
        if (opacity === undefined) {
          throw invalid(line, entry, 'a number from 0 to 1 or a percentage such as `80%`', value);
        }
        layer.opacity = opacity;
        break;
      }
      case Key.Strength: {
        const strength = parseUnitInterval(value, false);
        if (strength === undefined) throw invalid(line, entry, 'a number from 0 to 1', value);
        layer.strength = strength;
        break;
      }
      case Key.Seed: {
        const seed = parseSeed(value);
        if (seed === undefined) throw invalid(line, entry, 'a non-negative integer', value);
        layer.seed = seed;
        break;
      }
      case Key.Negative:
        layer.negativePrompt = decodeNotationText(line, entry.valueStart, entry.valueEnd, scope);
        break;
      case Key.Size: {
        const size = parseSize(value);
        if (size === undefined) {
          throw invalid(line, entry, `\`WxH\` with whole sides from 1 to ${maxImageSide}`, value);
        }
        layer.size = size;
        break;
      }
      case Key.Matte:
        if (value === 'none' || value === 'alpha' || value === 'auto') layer.matte = value;
        else if (value === 'chroma') layer.matte = { chromaKey: defaultChromaKey };
        else if (isHexColor(value)) layer.matte = { chromaKey: value };
        else {
          throw invalid(
            line,
            entry,
            '`none`, `alpha`, `auto`, `chroma` or a colour `#rrggbb`',
            value,
          );
        }
        break;
      case Key.From:
        if (!isName(value)) throw invalid(line, entry, 'the name of another layer', value);
        layer.from = value;
        break;
      case Key.Harmonize:
        layer.harmonize = harmonyValue(line, entry, parseHarmonizeNotation(value));
        break;
      case Key.Shadow:
        layer.shadow = harmonyValue(line, entry, parseShadowNotation(value));
        break;
      case Key.LightWrap:
        layer.lightWrap = harmonyValue(line, entry, parseLightWrapNotation(value));
        break;
      default:
        setOption(line, entries, index, value, optionsOf(layer));
    }
  }
  return percentages;
}

/** What a style line's attribute block sets. */
export interface StyleAttributes {
  strength?: number;
  seed?: number;
  negativePrompt?: string;
  options?: Record<string, unknown>;
}

/**
 * Interprets the style line's attribute block: `strength`, `seed`, `negative`, `opt.KEY`.
 *
 * @throws LayerNotationError for any other key or a malformed value.
 */
export function readStyleAttributes(
  line: NotationLine,
  entries: readonly AttributeEntry[],
  scope: VariableScope,
): StyleAttributes {
  const attributes: StyleAttributes = {};
  let seen = 0;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    const id = identify(line, entries, index, styleKeys, seen, unknownStyleKey);
    seen |= id;
    const value = valueText(line, entry);
    if (id === Key.Strength) {
      const strength = parseUnitInterval(value, false);
      if (strength === undefined) throw invalid(line, entry, 'a number from 0 to 1', value);
      attributes.strength = strength;
    } else if (id === Key.Seed) {
      const seed = parseSeed(value);
      if (seed === undefined) throw invalid(line, entry, 'a non-negative integer', value);
      attributes.seed = seed;
    } else if (id === Key.Negative) {
      attributes.negativePrompt = decodeNotationText(line, entry.valueStart, entry.valueEnd, scope);
    } else setOption(line, entries, index, value, optionsOf(attributes));
  }
  return attributes;
}

/**
 * Interprets the attribute block of a `format` directive: `quality` (1..100), `compression`
 * (the PNG compression level, 0..9) and `lossless` (`true` or `false`, for WebP and AVIF).
 *
 * @returns the options given, by their `OutputOptions` names.
 */
export function readFormatAttributes(
  line: NotationLine,
  entries: readonly AttributeEntry[],
): Omit<OutputOptions, 'format'> {
  const read: { quality?: number; compressionLevel?: number; lossless?: boolean } = {};
  const seen = new Set<string>();
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    if (!(formatAttributeKeys as readonly string[]).includes(entry.key)) {
      throw line.error(
        `Unknown attribute \`${entry.key}\` of \`format\`; expected \`quality\`, \`compression\` or \`lossless\``,
        entry.keyOffset,
      );
    }
    if (seen.has(entry.key)) throw repeatedKey(line, entries, index);
    seen.add(entry.key);
    const value = valueText(line, entry);
    if (entry.key === 'lossless') {
      if (value !== 'true' && value !== 'false')
        throw invalid(line, entry, '`true` or `false`', value);
      read.lossless = value === 'true';
      continue;
    }
    const number = parseSeed(value);
    const [low, high] = entry.key === 'quality' ? [1, 100] : [0, 9];
    if (number === undefined || number < low || number > high) {
      throw invalid(line, entry, `an integer from ${low} to ${high}`, value);
    }
    if (entry.key === 'quality') read.quality = number;
    else read.compressionLevel = number;
  }
  return read;
}
