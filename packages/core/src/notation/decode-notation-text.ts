import { characterCodes, isLetterOrDigit, isName, showReceived } from './notation-characters.js';
import { maxExpandedTextLength, maxExpandedTotalLength } from './notation-limits.js';
import type { NotationLine } from './notation-line.js';
import { bracedPackReference, findPackReferences, readPackReference } from './pack-reference.js';
import { didYouMean } from './suggest-closest.js';
import type { VariableScope } from './variable-scope.js';

const variableNamePattern = /[\p{L}\p{N}_]+/uy;
const plainRun = /[^\\$]*/y;

/**
 * What a pack reference (`$w.knight`) becomes in the decoded text: kept as written (prompts),
 * written in braces (`define` values, so an expansion never runs into the text after it), or
 * refused (`negative` and every other value).
 */
export type PackReferenceMode = 'verbatim' | 'braced' | 'refuse';

/**
 * Turns the raw text in `[start, end)` of a line into its value: `\` followed by anything but
 * a letter or digit is that character; with a `scope`, `$$` is `$`, `$NAME` / `${NAME}`
 * expand to the variable's text and `$ALIAS.ID` / `${ALIAS.ID}` (ALIAS of a `use` line) is a
 * pack reference, kept in the text (see {@link PackReferenceMode}).
 *
 * @param line - the line holding the text.
 * @param start - first offset of the text.
 * @param end - offset just past the text.
 * @param scope - variables to expand, or `undefined` where `$` is literal.
 * @param references - what pack references become. @default 'refuse'
 * @throws LayerNotationError for an undefined variable, an expansion that grows too long, or a
 * pack reference where none is allowed.
 */
export function decodeNotationText(
  line: NotationLine,
  start: number,
  end: number,
  scope: VariableScope | undefined,
  references: PackReferenceMode = 'refuse',
): string {
  // Work on the slice: searches in it cannot run past the text into the rest of the document.
  const text = line.source.slice(start, end);
  if (text.indexOf('\\') < 0 && (scope === undefined || text.indexOf('$') < 0)) return text;
  const length = text.length;
  const packs = scope?.hasPacks === true ? scope : undefined;
  /** Output offsets of a `$` written `$$` or `\$`, and of the pack references written. */
  const literalDollars: number[] = [];
  const written: [start: number, end: number, source: number][] = [];
  let output = '';
  let segment = 0;
  for (let index = 0; index < length; index++) {
    plainRun.lastIndex = index;
    plainRun.test(text);
    index = plainRun.lastIndex;
    if (index >= length) break;
    const code = text.charCodeAt(index);
    if (code === characterCodes.backslash) {
      if (index + 1 >= length) continue;
      const next = text.codePointAt(index + 1)!;
      if (isLetterOrDigit(next)) continue;
      output += text.slice(segment, index);
      if (next === characterCodes.dollar) literalDollars.push(output.length);
      segment = index + 1;
      index++;
      continue;
    }
    if (code !== characterCodes.dollar || scope === undefined) continue;
    const next = index + 1 < length ? text.charCodeAt(index + 1) : -1;
    if (next === characterCodes.dollar) {
      output += text.slice(segment, index);
      literalDollars.push(output.length);
      output += '$';
      index++;
      segment = index + 1;
      continue;
    }
    const reference =
      packs === undefined ? undefined : readPackReference(text, index, packs.isPackAlias);
    if (reference !== undefined) {
      if (references === 'refuse') {
        throw line.error(
          `Expected no pack reference here: \`${text.slice(index, reference.end)}\` works in prompts and \`define\` values only (write \`$$\` for a literal \`$\`)`,
          start + index,
        );
      }
      output += text.slice(segment, index);
      const token =
        references === 'braced' ? bracedPackReference(reference) : text.slice(index, reference.end);
      written.push([output.length, output.length + token.length, index]);
      output += token;
      segment = reference.end;
      index = reference.end - 1;
      continue;
    }
    let name: string;
    let after: number;
    if (next === characterCodes.openBrace) {
      const close = text.indexOf('}', index + 2);
      if (close < 0 || close >= length) {
        throw line.error('Expected `}` to close `${`', start + index);
      }
      name = text.slice(index + 2, close);
      if (!isName(name)) {
        throw line.error(
          `Expected a variable name of letters, digits, \`_\` or \`-\` inside \`\${}\`, got ${showReceived(name)}`,
          start + index + 2,
        );
      }
      after = close + 1;
    } else {
      if (next < 0) continue;
      variableNamePattern.lastIndex = index + 1;
      if (!variableNamePattern.test(text)) continue;
      after = Math.min(variableNamePattern.lastIndex, length);
      name = text.slice(index + 1, after);
    }
    const definition = scope.get(name);
    if (definition === undefined) {
      const written = text.slice(index, after);
      throw line.error(
        `Undefined variable \`${written}\`: define it first with \`define ${name}: TEXT\` or pass it in \`options.variables\` (write \`$$\` for a literal \`$\`)${didYouMean(name, scope.names())}`,
        start + index,
      );
    }
    output += text.slice(segment, index);
    if (output.length + definition.value.length > maxExpandedTextLength) {
      throw line.error(
        `Expected the text to expand to at most ${maxExpandedTextLength} characters, but \`$${name}\` makes it longer`,
        start + index,
      );
    }
    if (!scope.charge(definition.value.length)) {
      throw line.error(
        `Expected variables to expand to at most ${maxExpandedTotalLength} characters in one document`,
        start + index,
      );
    }
    output += definition.value;
    segment = after;
    index = after - 1;
  }
  output += text.slice(segment, length);
  if (packs !== undefined && output.indexOf('$') >= 0) {
    checkPackReferences(line, start, output, packs, literalDollars, written, references);
  }
  return output;
}

/**
 * Checks that the decoded text reads back with the same pack references: none starts at a
 * literal `$`, none written runs into the text after it, none comes from a variable where
 * references are refused.
 */
function checkPackReferences(
  line: NotationLine,
  start: number,
  output: string,
  packs: VariableScope,
  literalDollars: readonly number[],
  written: readonly (readonly [number, number, number])[],
  references: PackReferenceMode,
): void {
  const writtenAt = new Map(written.map(([from, to, source]) => [from, { to, source }]));
  const literals = new Set(literalDollars);
  for (const found of findPackReferences(output, packs.isPackAlias)) {
    const text = output.slice(found.start, found.end);
    if (literals.has(found.start)) {
      throw line.error(
        `Expected a literal \`$\` not to be followed by the pack alias \`${found.alias}\`: \`${text}\` would read as a pack reference (put a space after the \`$\`)`,
        start,
      );
    }
    const token = writtenAt.get(found.start);
    if (token !== undefined && token.to !== found.end) {
      throw line.error(
        `Expected the pack reference to end before the text after it; write it in braces, as \`${bracedPackReference(readPackReference(output, found.start, packs.isPackAlias, token.to) ?? found)}\``,
        start + token.source,
      );
    }
    if (token === undefined && references === 'refuse') {
      throw line.error(
        `Expected no pack reference here: \`${text}\` (from a variable) works in prompts only`,
        start,
      );
    }
  }
}
