// The layer behind the editor's textarea: the same text in the same font, with the error's
// line tinted and its character underlined, so the error shows where it is.

import type { WireError } from './studio-api.js';

/**
 * Fills `mirror` with `text`, marking `error`'s line and column (1-based, code points).
 *
 * @param mirror - the element behind the textarea.
 * @param text - the editor's text.
 * @param error - the notation error, if any.
 */
export function renderMirror(mirror: HTMLElement, text: string, error: WireError | undefined) {
  const lines = text.split(/\r\n|\n|\r/);
  const nodes: Node[] = [];
  lines.forEach((line, index) => {
    if (index > 0) nodes.push(document.createTextNode('\n'));
    if (error?.line !== index + 1) {
      nodes.push(document.createTextNode(line));
      return;
    }
    const span = document.createElement('span');
    span.className = 'error-line';
    span.dataset.line = String(index + 1);
    const chars = [...line];
    const column = Math.max(0, Math.min((error.column ?? 1) - 1, chars.length));
    const mark = document.createElement('span');
    mark.className = 'error-mark';
    mark.dataset.line = String(index + 1);
    mark.dataset.column = String(column + 1);
    mark.textContent = chars[column] ?? ' ';
    span.append(chars.slice(0, column).join(''), mark, chars.slice(column + 1).join(''));
    nodes.push(span);
  });
  // A trailing newline needs a character after it to keep the heights equal.
  nodes.push(document.createTextNode('\u200b'));
  mirror.replaceChildren(...nodes);
}
