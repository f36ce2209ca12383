import type { StyleStep } from '../types/style-step.js';
import { readStyleAttributes } from './apply-attributes.js';
import { isColon, isStyleDash, skipWhiteSpace } from './notation-characters.js';
import type { Mutable, NotationDraft } from './notation-draft.js';
import type { NotationLine } from './notation-line.js';
import { decodeBodyPrompt, readLineBody } from './read-line-body.js';

/**
 * Reads the style line, `— style: PROMPT @ALIAS {ATTRIBUTES}`, into the draft. The label
 * `style` is dropped only when a colon follows it.
 *
 * @param draft - the document read so far.
 * @param line - the line.
 * @param marker - offset of the first dash.
 * @throws LayerNotationError for a second style line or any problem in the line.
 */
export function readStyleLine(draft: NotationDraft, line: NotationLine, marker: number): void {
  const text = line.source;
  const lineEnd = line.end;
  let offset = marker;
  while (offset < lineEnd && isStyleDash(text.charCodeAt(offset))) offset++;
  if (offset - marker === 1 && text.charCodeAt(marker) === 0x2d) {
    throw line.error(
      'Expected a style line to start with `—`, `―`, `–` or at least two `-`, got a single `-`',
      marker,
    );
  }
  if (draft.style !== undefined) {
    throw line.error(
      `Expected at most one style line, but line ${draft.style.line.number} is one already`,
      marker,
    );
  }
  let bodyStart = skipWhiteSpace(text, offset, lineEnd);
  if (bodyStart + 5 <= lineEnd && text.startsWith('style', bodyStart)) {
    const colon = skipWhiteSpace(text, bodyStart + 5, lineEnd);
    if (colon < lineEnd && isColon(text.charCodeAt(colon))) bodyStart = colon + 1;
  }
  const body = readLineBody(line, bodyStart, 'style line');
  const prompt = decodeBodyPrompt(line, body, draft.scope);
  if (prompt.length === 0) {
    throw line.error('Expected the style prompt not to be empty', body.promptStart);
  }
  const step: Mutable<StyleStep> = { prompt, provider: body.alias };
  const attributes = readStyleAttributes(line, body.block?.entries ?? [], draft.scope);
  if (attributes.strength !== undefined) step.strength = attributes.strength;
  if (attributes.seed !== undefined) step.seed = attributes.seed;
  if (attributes.negativePrompt !== undefined) step.negativePrompt = attributes.negativePrompt;
  if (attributes.options !== undefined) step.options = attributes.options;
  draft.style = {
    line,
    step,
    promptOffset: body.promptStart,
    providerOffset: body.atOffset,
    blockOpen: body.block === undefined ? -1 : body.block.open,
  };
}
