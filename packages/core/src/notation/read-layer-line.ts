import { maxLayers, reservedStepIds } from '../schema/composition-schema.js';
import type { Layer } from '../types/layer.js';
import { readLayerAttributes } from './apply-attributes.js';
import { characterCodes, isColon, nameEndAfter, skipWhiteSpace } from './notation-characters.js';
import type { Mutable, NotationDraft } from './notation-draft.js';
import type { NotationLine } from './notation-line.js';
import { decodeBodyPrompt, readLineBody } from './read-line-body.js';

/**
 * Whether the body from `start` is only an ellipsis placeholder (`…`, `……`, `...`, `。。。`),
 * optionally followed by a comment.
 */
function isPlaceholder(text: string, start: number, lineEnd: number): boolean {
  const first = text.charCodeAt(start);
  const minimum =
    first === characterCodes.ellipsis
      ? 1
      : first === characterCodes.fullStop || first === characterCodes.ideographicFullStop
        ? 3
        : 0;
  if (minimum === 0) return false;
  let end = start;
  while (end < lineEnd && text.charCodeAt(end) === first) end++;
  if (end - start < minimum) return false;
  end = skipWhiteSpace(text, end, lineEnd);
  return end === lineEnd || text.charCodeAt(end) === characterCodes.hash;
}

/**
 * Reads a layer line, `| NAME : PROMPT @ALIAS {ATTRIBUTES} ,`, into the draft. Placeholder
 * lines are skipped.
 *
 * @param draft - the document read so far.
 * @param line - the line.
 * @param marker - offset of the `|` or `｜`.
 * @throws LayerNotationError for any problem in the line.
 */
export function readLayerLine(draft: NotationDraft, line: NotationLine, marker: number): void {
  const text = line.source;
  const lineEnd = line.end;
  const nameStart = skipWhiteSpace(text, marker + 1, lineEnd);
  if (nameStart === lineEnd || text.charCodeAt(nameStart) === characterCodes.hash) {
    throw line.error('Expected a layer, `NAME: PROMPT @ALIAS`, after the `|`', nameStart);
  }
  if (isPlaceholder(text, nameStart, lineEnd)) return;
  if (draft.layers.length >= maxLayers) {
    throw line.error(
      `Expected at most ${maxLayers} layers in one composition, but this is layer ${maxLayers + 1}`,
      marker,
    );
  }
  if (isColon(text.charCodeAt(nameStart))) {
    throw line.error('Expected a layer name before the colon', nameStart);
  }
  const position = draft.layers.length + 1;
  let id = `layer${position}`;
  let idOffset = marker;
  let bodyStart = nameStart;
  const nameEnd = nameEndAfter(text, nameStart, lineEnd);
  if (nameEnd > nameStart) {
    const colon = skipWhiteSpace(text, nameEnd, lineEnd);
    if (colon < lineEnd && isColon(text.charCodeAt(colon))) {
      id = text.slice(nameStart, nameEnd);
      idOffset = nameStart;
      bodyStart = colon + 1;
    }
  }
  if (reservedStepIds.includes(id)) {
    throw line.error(
      id === 'style'
        ? 'Expected a layer name other than `style`, which is the style pass: write the style line with a dash (`— style: … @Z`), or name this layer otherwise'
        : `Expected a layer name other than \`${id}\`, which the blend step uses`,
      idOffset,
    );
  }
  const earlier = draft.layersById.get(id);
  if (earlier !== undefined) {
    const implicit =
      idOffset === marker ? ' (a layer without a name is called `layer` + its position)' : '';
    throw line.error(
      `Expected a unique layer name, but \`${id}\` is already used on line ${earlier.line.number}${implicit}`,
      idOffset,
    );
  }
  const body = readLineBody(line, bodyStart, 'layer');
  const prompt = decodeBodyPrompt(line, body, draft.scope);
  if (prompt.length === 0) {
    throw line.error(`Expected the prompt of \`${id}\` not to be empty`, body.promptStart);
  }
  const layer: Mutable<Layer> = { id, prompt, provider: body.alias };
  const percentages =
    body.block === undefined
      ? undefined
      : readLayerAttributes(line, body.block.entries, draft.scope, layer);
  draft.layers.push({
    line,
    layer,
    idOffset,
    promptOffset: body.promptStart,
    providerOffset: body.atOffset,
    blockOpen: body.block === undefined ? -1 : body.block.open,
    percentages,
  });
  draft.layersById.set(id, draft.layers[draft.layers.length - 1]!);
}
