import { ValidationError } from '../errors/validation-error.js';
import { isWhiteSpace } from './notation-characters.js';
import { findPackReferences } from './pack-reference.js';

type Path = readonly (string | number)[];

const promptEscapes: Record<string, string> = {
  '\\': '\\\\',
  '#': '\\#',
  '@': '\\@',
  '{': '\\{',
  '}': '\\}',
  $: '$$',
};
const promptSpecial = /[\\#@{}$\r\n]/g;
const quotedSpecial = /[\\"$\r\n]/g;

function lineBreakError(path: Path): ValidationError {
  return ValidationError.field(
    path,
    'Expected a text without line breaks: layer notation is one line per layer',
    'composition',
  );
}

function escapePromptRun(run: string, path: Path): string {
  return run.replace(promptSpecial, (character) => {
    const replacement = promptEscapes[character];
    if (replacement === undefined) throw lineBreakError(path);
    return replacement;
  });
}

/**
 * Writes a prompt so that the parser reads it back unchanged: `\`, `#`, `@`, `{`, `}` are
 * escaped with `\`, `$` is doubled, and white space at either end is escaped so it is not
 * trimmed. Pack references (`$w.knight`, `${w.styles.ink}`, with an alias of `isAlias`) are
 * written as they are.
 *
 * @param prompt - the prompt.
 * @param path - the field, for errors.
 * @param isAlias - whether a name is a pack alias of the composition.
 * @throws ValidationError when the prompt contains a line break.
 */
export function escapePrompt(
  prompt: string,
  path: Path,
  isAlias?: (name: string) => boolean,
): string {
  let escaped = '';
  let from = 0;
  if (isAlias !== undefined) {
    for (const reference of findPackReferences(prompt, isAlias)) {
      escaped += escapePromptRun(prompt.slice(from, reference.start), path);
      escaped += prompt.slice(reference.start, reference.end);
      from = reference.end;
    }
  }
  escaped += escapePromptRun(prompt.slice(from), path);
  if (prompt.length > 0 && isWhiteSpace(prompt.charCodeAt(0))) escaped = `\\${escaped}`;
  if (prompt.length > 1 && isWhiteSpace(prompt.charCodeAt(prompt.length - 1))) {
    escaped = `${escaped.slice(0, -1)}\\${escaped.slice(-1)}`;
  }
  return escaped;
}

/**
 * Writes a double-quoted attribute value: `\` and `"` are escaped, and `$` is doubled where the
 * parser expands variables.
 *
 * @param value - the text.
 * @param expandsVariables - whether the parser expands `$NAME` in this value (`negative`).
 * @param path - the field, for errors.
 * @throws ValidationError when the value contains a line break.
 */
export function quoteString(value: string, expandsVariables: boolean, path: Path): string {
  const escaped = value.replace(quotedSpecial, (character) => {
    if (character === '$') return expandsVariables ? '$$' : '$';
    if (character === '\\') return '\\\\';
    if (character === '"') return '\\"';
    throw lineBreakError(path);
  });
  return `"${escaped}"`;
}

/** A number as the parser reads it back: `String(n)`, keeping the sign of `-0`. */
export function formatNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}
