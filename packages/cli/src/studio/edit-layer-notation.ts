import { isDeepStrictEqual } from 'node:util';
import {
  type BlendMode,
  type Composition,
  type Layer,
  type ParseLayerNotationOptions,
  parseLayerNotation,
  ValidationError,
} from '@layerloom/core';

/**
 * A change to one layer (or the style pass, for `seed`) that the studio writes into the
 * notation text. Every field is optional; the ones given replace the layer's attribute.
 */
export interface LayerEdit {
  /** `opacity`, 0..1. */
  readonly opacity?: number;
  /** `blend`, a W3C blend mode. */
  readonly blend?: BlendMode;
  /** `x` in pixels. */
  readonly x?: number;
  /** `y` in pixels. */
  readonly y?: number;
  /** `w` in pixels. */
  readonly width?: number;
  /** `h` in pixels. */
  readonly height?: number;
  /** `size`: the generation size (pinned so a placement change does not repaint). */
  readonly size?: { readonly width: number; readonly height: number };
  /** `seed`: a new seed re-rolls the step. */
  readonly seed?: number;
}

const layerMarker = /^[\s\u3000]*[|｜]/u;
const placeholder = /^[\s\u3000]*[|｜][\s\u3000]*(?:…+|\.{3,}|。{3,})[\s\u3000]*(?:#.*)?$/u;
const styleMarker = /^[\s\u3000]*(?:[—―–]|-{2,})/u;
const aliasPattern = /(?<!\\)@[\p{L}\p{N}_-]+/gu;

/** Offsets from `start` of the characters outside quotes, skipping `\` escapes. */
function* unquoted(text: string, start: number): Generator<number> {
  let quote: string | undefined;
  for (let index = start; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\') {
      index++;
    } else if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else {
      yield index;
    }
  }
}

/** Offset of the `}` closing the block opened at `open`. */
function closingBrace(line: string, open: number): number | undefined {
  for (const index of unquoted(line, open + 1)) if (line[index] === '}') return index;
  return undefined;
}

/** Where a line's attribute block is, or where one goes (right after the alias). */
function attributeBlock(
  line: string,
): { readonly open: number; readonly close: number } | { readonly insertAt: number } | undefined {
  const matches = [...line.matchAll(aliasPattern)];
  for (const match of matches.reverse()) {
    const end = match.index + match[0].length;
    const rest = line.slice(end);
    const skipped = rest.length - rest.trimStart().length;
    const next = line[end + skipped];
    if (next === '{') {
      const close = closingBrace(line, end + skipped);
      if (close !== undefined) return { open: end + skipped, close };
      continue;
    }
    if (next === undefined || next === ',' || next === '，' || next === '#')
      return { insertAt: end };
  }
  return undefined;
}

/** Splits an attribute block's inside into its `key: value` pairs, as written. */
function splitPairs(inside: string): string[] {
  const pairs: string[] = [];
  let start = 0;
  for (const index of unquoted(inside, 0)) {
    if (',;，；'.includes(inside[index]!)) {
      pairs.push(inside.slice(start, index));
      start = index + 1;
    }
  }
  pairs.push(inside.slice(start));
  return pairs.map((pair) => pair.trim()).filter((pair) => pair !== '');
}

const keyNames: Record<keyof LayerEdit, readonly string[]> = {
  opacity: ['opacity'],
  blend: ['blend'],
  x: ['x'],
  y: ['y'],
  width: ['w', 'width'],
  height: ['h', 'height'],
  size: ['size'],
  seed: ['seed'],
};

function formatNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function formatValue(key: keyof LayerEdit, edit: LayerEdit): string {
  if (key === 'size') return `${edit.size!.width}x${edit.size!.height}`;
  if (key === 'blend') return edit.blend!;
  return formatNumber(edit[key] as number);
}

/** The attribute block with the edited keys replaced or appended. */
function editedBlock(inside: string, edit: LayerEdit): string {
  const pairs = splitPairs(inside);
  for (const key of Object.keys(keyNames) as (keyof LayerEdit)[]) {
    if (edit[key] === undefined) continue;
    const names = keyNames[key];
    const written = `${names[0]}: ${formatValue(key, edit)}`;
    const index = pairs.findIndex((pair) => names.includes(pair.split(/[:：]/u)[0]!.trim()));
    if (index === -1) pairs.push(written);
    else pairs[index] = written;
  }
  return `{${pairs.join(', ')}}`;
}

function editLine(line: string, edit: LayerEdit): string | undefined {
  const block = attributeBlock(line);
  if (block === undefined) return undefined;
  if ('insertAt' in block) {
    return `${line.slice(0, block.insertAt)} ${editedBlock('', edit)}${line.slice(block.insertAt)}`;
  }
  return `${line.slice(0, block.open)}${editedBlock(line.slice(block.open + 1, block.close), edit)}${line.slice(block.close + 1)}`;
}

/** What the edited layer must look like once the new text is parsed. */
function expectedLayer(layer: Layer, edit: LayerEdit): Layer {
  const placement = { ...layer.placement };
  if (edit.x !== undefined) placement.x = Number(formatNumber(edit.x));
  if (edit.y !== undefined) placement.y = Number(formatNumber(edit.y));
  if (edit.width !== undefined) placement.width = Number(formatNumber(edit.width));
  if (edit.height !== undefined) placement.height = Number(formatNumber(edit.height));
  return {
    ...layer,
    ...(Object.keys(placement).length === 0 ? {} : { placement }),
    ...(edit.opacity === undefined ? {} : { opacity: Number(formatNumber(edit.opacity)) }),
    ...(edit.blend === undefined ? {} : { blend: edit.blend }),
    ...(edit.size === undefined ? {} : { size: edit.size }),
    ...(edit.seed === undefined ? {} : { seed: edit.seed }),
  };
}

function refuse(stepId: string, why: string): never {
  throw ValidationError.field(['layers', stepId], `Cannot write the change: ${why}`, 'studio edit');
}

/**
 * Writes a change to one layer (or, with `stepId` `style`, the style pass's seed) into `.loom`
 * text, in place: only that line's attribute block changes, so comments, `define`s and
 * variables stay as written. The result is parsed again and must differ from the original only
 * in the edited fields.
 *
 * @param text - the notation text.
 * @param stepId - a layer id, or `style`.
 * @param edit - the attributes to set.
 * @param options - the parse options the text is read with (variables, default size).
 * @returns the new text.
 * @throws LayerNotationError when `text` does not parse; ValidationError when the step does not
 *   exist or the change cannot be written.
 */
export function editLayerNotation(
  text: string,
  stepId: string,
  edit: LayerEdit,
  options: ParseLayerNotationOptions = {},
): string {
  const before = parseLayerNotation(text, options);
  const isStyle = stepId === 'style';
  const layerIndex = before.layers.findIndex((layer) => layer.id === stepId);
  if (isStyle ? before.style === undefined : layerIndex === -1) {
    refuse(stepId, `the composition has no step "${stepId}"`);
  }
  if (isStyle && Object.keys(edit).some((key) => key !== 'seed')) {
    refuse(stepId, 'only `seed` can be changed on the style pass');
  }
  const lines = text.split(/(\r\n|\n|\r)/u);
  let seen = -1;
  let target: number | undefined;
  for (let index = 0; index < lines.length; index += 2) {
    const line = lines[index]!;
    if (isStyle ? styleMarker.test(line) : layerMarker.test(line) && !placeholder.test(line)) {
      seen++;
      if (isStyle || seen === layerIndex) {
        target = index;
        break;
      }
    }
  }
  const edited = target === undefined ? undefined : editLine(lines[target]!, edit);
  if (target === undefined || edited === undefined) {
    refuse(stepId, 'its line or attribute block was not found');
  }
  lines[target] = edited;
  const result = lines.join('');
  let after: Composition;
  try {
    after = parseLayerNotation(result, options);
  } catch {
    return refuse(stepId, `line ${target / 2 + 1} would no longer parse`);
  }
  const expected: Composition = isStyle
    ? { ...before, style: { ...before.style!, seed: edit.seed! } }
    : {
        ...before,
        layers: before.layers.map((layer, index) =>
          index === layerIndex ? expectedLayer(layer, edit) : layer,
        ),
      };
  if (!isDeepStrictEqual(after, expected)) {
    refuse(stepId, `line ${target / 2 + 1} did not read back as the edited layer`);
  }
  return result;
}
