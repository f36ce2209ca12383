import { parseWorldPackSource } from '../packs/parse-world-pack-source.js';
import { maxImageSide } from '../schema/composition-schema.js';
import type { OutputFormat, OutputOptions } from '../types/composition.js';
import { parseCssColor } from '../util/css-color.js';
import { readFormatAttributes } from './apply-attributes.js';
import { parseSeed, parseSize } from './attribute-values.js';
import { decodeNotationText } from './decode-notation-text.js';
import {
  characterCodes,
  isColon,
  isWhiteSpace,
  nameEndAfter,
  showReceived,
  skipWhiteSpace,
  trimEndOffset,
} from './notation-characters.js';
import type { DirectiveDraft, NotationDraft } from './notation-draft.js';
import type { NotationLine } from './notation-line.js';
import { packAliasPattern } from './pack-reference.js';
import { type AttributeEntry, readAttributeBlock } from './read-attribute-block.js';

/** The directive words, in the order the formatter writes them. */
export const directiveNames = ['size', 'background', 'seed', 'format', 'use', 'define'] as const;

/** A directive word. */
export type DirectiveName = (typeof directiveNames)[number];

const directiveNameSet = new Set<string>(directiveNames);
const formats: Record<string, OutputFormat> = {
  png: 'png',
  webp: 'webp',
  jpeg: 'jpeg',
  jpg: 'jpeg',
  avif: 'avif',
};

/**
 * The directive a line starts with at `start`: one of {@link directiveNames} followed by white
 * space, a colon or the end of the line.
 */
export function directiveAt(
  text: string,
  start: number,
  lineEnd: number,
): DirectiveName | undefined {
  let end = start;
  while (end < lineEnd && end - start < 12) {
    const code = text.charCodeAt(end);
    if (code < 0x61 || code > 0x7a) break;
    end++;
  }
  const word = text.slice(start, end);
  if (!directiveNameSet.has(word)) return undefined;
  if (end < lineEnd) {
    const next = text.charCodeAt(end);
    if (!isWhiteSpace(next) && !isColon(next)) return undefined;
  }
  return word as DirectiveName;
}

/** End of a directive value: the first unescaped `#` at or after `from` (or `{` when asked). */
function valueEnd(text: string, from: number, lineEnd: number, stopAtBrace: boolean): number {
  for (let offset = from; offset < lineEnd; offset++) {
    const code = text.charCodeAt(offset);
    if (code === characterCodes.backslash) offset++;
    else if (code === characterCodes.hash) return offset;
    else if (stopAtBrace && code === characterCodes.openBrace) return offset;
  }
  return lineEnd;
}

function ensureOnce(
  line: NotationLine,
  name: DirectiveName,
  earlier: DirectiveDraft<unknown> | undefined,
  offset: number,
): void {
  if (earlier !== undefined) {
    throw line.error(
      `Expected \`${name}\` at most once, but line ${earlier.line.number} sets it already`,
      offset,
    );
  }
}

/**
 * Reads a directive line (`size`, `background`, `seed`, `format`, `use` or `define`) into the
 * draft.
 * A colon after the directive word is allowed.
 *
 * @param draft - the document read so far.
 * @param line - the line.
 * @param start - offset of the directive word.
 * @param name - the directive, from {@link directiveAt}.
 * @throws LayerNotationError for a malformed or repeated directive.
 */
export function readDirective(
  draft: NotationDraft,
  line: NotationLine,
  start: number,
  name: DirectiveName,
): void {
  const text = line.source;
  const lineEnd = line.end;
  let offset = skipWhiteSpace(text, start + name.length, lineEnd);
  if (offset < lineEnd && isColon(text.charCodeAt(offset))) {
    offset = skipWhiteSpace(text, offset + 1, lineEnd);
  }
  const colourFirst =
    name === 'background' && offset < lineEnd && text.charCodeAt(offset) === characterCodes.hash;
  const end = valueEnd(text, colourFirst ? offset + 1 : offset, lineEnd, name === 'format');
  const valueStop = trimEndOffset(text, offset, end);
  const raw = text.slice(offset, valueStop);
  switch (name) {
    case 'size': {
      ensureOnce(line, name, draft.size, start);
      const size = parseSize(raw);
      if (size === undefined) {
        throw line.error(
          `Expected \`size\` to be the canvas size \`WxH\` with whole sides from 1 to ${maxImageSide}, got ${showReceived(raw)}`,
          offset,
        );
      }
      draft.size = { line, offset, value: size };
      return;
    }
    case 'background': {
      ensureOnce(line, name, draft.background, start);
      if (raw.length === 0 || parseCssColor(raw) === undefined) {
        throw line.error(
          `Expected \`background\` to be a CSS colour (such as \`#f4efe6\`) or \`transparent\`, got ${showReceived(raw)}`,
          offset,
        );
      }
      draft.background = { line, offset, value: raw };
      return;
    }
    case 'seed': {
      ensureOnce(line, name, draft.seed, start);
      const seed = parseSeed(raw);
      if (seed === undefined) {
        throw line.error(
          `Expected \`seed\` to be a non-negative integer, got ${showReceived(raw)}`,
          offset,
        );
      }
      draft.seed = { line, offset, value: seed };
      return;
    }
    case 'format': {
      ensureOnce(line, name, draft.output, start);
      const format = Object.hasOwn(formats, raw) ? formats[raw] : undefined;
      if (format === undefined) {
        throw line.error(
          `Expected \`format\` to be \`png\`, \`webp\`, \`jpeg\` or \`avif\`, got ${showReceived(raw)}`,
          offset,
        );
      }
      let entries: readonly AttributeEntry[] = [];
      if (end < lineEnd && text.charCodeAt(end) === characterCodes.openBrace) {
        const block = readAttributeBlock(line, end);
        entries = block.entries;
        const after = skipWhiteSpace(text, block.close + 1, lineEnd);
        if (after < lineEnd && text.charCodeAt(after) !== characterCodes.hash) {
          throw line.error(
            `Expected the end of the line after the attribute block, got ${showReceived(line.excerpt(after))}`,
            after,
          );
        }
      }
      const output: OutputOptions = { format, ...readFormatAttributes(line, entries) };
      draft.output = { line, offset, value: output, entries };
      return;
    }
    case 'use':
      readUse(draft, line, offset, raw);
      return;
    case 'define':
      readDefine(draft, line, offset, end);
      return;
  }
}

/** Reads `SOURCE as ALIAS` of a `use` line. */
function readUse(draft: NotationDraft, line: NotationLine, start: number, raw: string): void {
  const match = /^(\S+)\s+as\s+(\S+)$/.exec(raw);
  if (match === null) {
    throw line.error(
      `Expected \`use SOURCE as ALIAS\`, as in \`use @studio/ember-world@^1.2 as w\` or \`use ./packs/ember as w\`, got ${showReceived(raw)}`,
      start,
    );
  }
  const source = match[1]!;
  const alias = match[2]!;
  const aliasOffset = start + raw.lastIndexOf(alias);
  if (parseWorldPackSource(source) === undefined) {
    throw line.error(
      `Expected the pack source to be \`NAME[@RANGE]\` of an installed package or a path starting with \`./\`, \`../\` or \`/\`, got ${showReceived(source)}`,
      start,
    );
  }
  if (!packAliasPattern.test(alias)) {
    throw line.error(
      `Expected the pack alias to be ASCII letters, digits or \`_\` (not starting with a digit), got ${showReceived(alias)}`,
      aliasOffset,
    );
  }
  const earlier = draft.scope.packLine(alias);
  if (earlier !== undefined) {
    throw line.error(
      `Expected each pack alias once, but \`${alias}\` is already used on line ${earlier}`,
      aliasOffset,
    );
  }
  const variable = draft.scope.get(alias);
  if (variable?.line !== undefined) {
    throw line.error(
      `Expected the pack alias not to be a variable name, but \`${alias}\` is defined on line ${variable.line}`,
      aliasOffset,
    );
  }
  draft.scope.usePack(alias, line.number);
  draft.packs.push({ alias, source });
}

/** Reads `NAME: TEXT` of a `define` line; TEXT may use variables defined before it. */
function readDefine(draft: NotationDraft, line: NotationLine, start: number, end: number): void {
  const text = line.source;
  const nameEnd = nameEndAfter(text, start, end);
  if (nameEnd === start) {
    throw line.error(
      `Expected a variable name after \`define\`, as in \`define hero: a knight\`, got ${showReceived(line.excerpt(start, Math.min(20, end - start)))}`,
      start,
    );
  }
  const name = text.slice(start, nameEnd);
  const colon = skipWhiteSpace(text, nameEnd, end);
  if (colon >= end || !isColon(text.charCodeAt(colon))) {
    throw line.error(`Expected \`:\` and the text of \`${name}\` after its name`, colon);
  }
  const earlier = draft.scope.get(name);
  if (earlier?.line !== undefined) {
    throw line.error(
      `Expected each variable to be defined once, but \`${name}\` is already defined on line ${earlier.line}`,
      start,
    );
  }
  const packLine = draft.scope.packLine(name);
  if (packLine !== undefined) {
    throw line.error(
      `Expected the variable name not to be a pack alias, but \`${name}\` is the alias of the \`use\` on line ${packLine}`,
      start,
    );
  }
  const valueStart = skipWhiteSpace(text, colon + 1, end);
  const valueStop = trimEndOffset(text, valueStart, end);
  draft.scope.define(
    name,
    decodeNotationText(line, valueStart, valueStop, draft.scope, 'braced'),
    line.number,
  );
}
