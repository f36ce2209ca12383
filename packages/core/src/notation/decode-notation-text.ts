import { characterCodes, isLetterOrDigit, isName, showReceived } from './notation-characters.js';
import { maxExpandedTextLength, maxExpandedTotalLength } from './notation-limits.js';
import type { NotationLine } from './notation-line.js';
import { didYouMean } from './suggest-closest.js';
import type { VariableScope } from './variable-scope.js';

const variableNamePattern = /[\p{L}\p{N}_]+/uy;
const plainRun = /[^\\$]*/y;

/**
 * Turns the raw text in `[start, end)` of a line into its value: `\` followed by anything but
 * a letter or digit is that character; with a `scope`, `$$` is `$` and `$NAME` / `${NAME}`
 * expand to the variable's text.
 *
 * @param line - the line holding the text.
 * @param start - first offset of the text.
 * @param end - offset just past the text.
 * @param scope - variables to expand, or `undefined` where `$` is literal.
 * @throws LayerNotationError for an undefined variable or an expansion that grows too long.
 */
export function decodeNotationText(
  line: NotationLine,
  start: number,
  end: number,
  scope: VariableScope | undefined,
): string {
  // Work on the slice: searches in it cannot run past the text into the rest of the document.
  const text = line.source.slice(start, end);
  if (text.indexOf('\\') < 0 && (scope === undefined || text.indexOf('$') < 0)) return text;
  const length = text.length;
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
      segment = index + 1;
      index++;
      continue;
    }
    if (code !== characterCodes.dollar || scope === undefined) continue;
    const next = index + 1 < length ? text.charCodeAt(index + 1) : -1;
    if (next === characterCodes.dollar) {
      output += text.slice(segment, index + 1);
      index++;
      segment = index + 1;
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
  return output + text.slice(segment, length);
}
