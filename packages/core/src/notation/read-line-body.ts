import { decodeNotationText } from './decode-notation-text.js';
import {
  characterCodes,
  isComma,
  isEscaped,
  isWhiteSpace,
  nameEndAfter,
  nameStartBefore,
  showReceived,
  skipWhiteSpace,
  trimEndOffset,
} from './notation-characters.js';
import type { NotationLine } from './notation-line.js';
import { type AttributeBlock, readAttributeBlock } from './read-attribute-block.js';
import type { VariableScope } from './variable-scope.js';

/** The parts of a layer or style line body, as offsets into the line. */
export interface LineBody {
  /** Offset of the prompt's first character. */
  readonly promptStart: number;
  /** Offset just past the prompt's last character (escaped white space kept). */
  readonly promptEnd: number;
  /** Offset of the `@` before the alias. */
  readonly atOffset: number;
  /** The alias, without `@`. */
  readonly alias: string;
  /** The attribute block, when there is one. */
  readonly block: AttributeBlock | undefined;
}

// Prompt characters with no meaning to the body scan (line breaks excluded: the run stays in
// the line).
const plainPromptRun = /[^\\#{\n\r]*/y;

/** Offset of the start of the trailing white space of `[floor, end)` (`end` when none). */
function skipWhiteSpaceBack(text: string, end: number, floor: number): number {
  while (end > floor && isWhiteSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * Offset of the `@` of an alias that ends right before `end`, allowing white space and one
 * comma between them, or -1.
 */
function aliasAtBefore(text: string, end: number, floor: number): number {
  let offset = skipWhiteSpaceBack(text, end, floor);
  if (offset > floor && isComma(text.charCodeAt(offset - 1))) {
    offset = skipWhiteSpaceBack(text, offset - 1, floor);
  }
  const aliasStart = nameStartBefore(text, offset, floor);
  if (aliasStart === offset || aliasStart - 1 < floor) return -1;
  if (text.charCodeAt(aliasStart - 1) !== characterCodes.at) return -1;
  if (isEscaped(text, aliasStart - 1, floor)) return -1;
  return aliasStart - 1;
}

/**
 * Splits the body of a layer or style line, from `start` to the end of the line, into
 * `PROMPT @ALIAS {ATTRIBUTES} ,` and drops a trailing `#` comment.
 *
 * The alias is the last unescaped `@` followed by an alias and then only white space, an
 * attribute block, a trailing comma or the end. A `{` right after the alias always opens the
 * attribute block; any other unescaped `{` is prompt text.
 *
 * @param line - the line.
 * @param start - offset just past the line's marker (and name or label).
 * @param subject - `layer` or `style line`, for messages.
 * @throws LayerNotationError when the alias or the prompt is missing or the block is malformed.
 */
export function readLineBody(line: NotationLine, start: number, subject: string): LineBody {
  const text = line.source;
  const length = line.end;
  let bodyEnd = length;
  let block: AttributeBlock | undefined;
  let at = -1;
  for (let offset = start; offset < length; offset++) {
    plainPromptRun.lastIndex = offset;
    plainPromptRun.test(text);
    offset = plainPromptRun.lastIndex;
    if (offset >= length) break;
    const code = text.charCodeAt(offset);
    if (code === characterCodes.backslash) offset++;
    else if (code === characterCodes.hash) {
      bodyEnd = offset;
      break;
    } else if (code === characterCodes.openBrace) {
      at = aliasAtBefore(text, offset, start);
      if (at < 0) continue;
      block = readAttributeBlock(line, offset);
      let after = skipWhiteSpace(text, block.close + 1, length);
      if (after < length && isComma(text.charCodeAt(after))) {
        after = skipWhiteSpace(text, after + 1, length);
      }
      if (after < length && text.charCodeAt(after) !== characterCodes.hash) {
        throw line.error(
          `Expected only a \`,\` or a \`#\` comment after the attribute block, got ${showReceived(line.excerpt(after))} (write \`\\{\` for a literal \`{\` in a prompt)`,
          after,
        );
      }
      bodyEnd = offset;
      break;
    }
  }
  if (block === undefined) at = aliasAtBefore(text, bodyEnd, start);
  if (at < 0) {
    const end = skipWhiteSpaceBack(text, bodyEnd, start);
    const fullWidthAt = text.lastIndexOf('＠', bodyEnd);
    const hint =
      fullWidthAt >= start ? ' (the full-width `＠` is not an alias marker: use `@`)' : '';
    throw line.error(
      `Expected the ${subject} to end with \`@ALIAS\`, the provider that paints it${hint}`,
      end,
    );
  }
  const alias = text.slice(at + 1, nameEndAfter(text, at + 1, bodyEnd));
  const promptStart = skipWhiteSpace(text, start, at);
  const promptEnd = trimEndOffset(text, promptStart, at);
  if (promptEnd <= promptStart) {
    throw line.error(`Expected a prompt before \`@${alias}\``, at);
  }
  return { promptStart, promptEnd, atOffset: at, alias, block };
}

/**
 * The prompt of a line body, decoded: escapes, variables, and pack references kept as written.
 *
 * @param line - the line.
 * @param body - from {@link readLineBody}.
 * @param scope - the variables and pack aliases in scope.
 */
export function decodeBodyPrompt(line: NotationLine, body: LineBody, scope: VariableScope): string {
  return decodeNotationText(line, body.promptStart, body.promptEnd, scope, 'verbatim');
}
