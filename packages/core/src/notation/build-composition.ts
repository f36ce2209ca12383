import { LayerNotationError } from '../errors/layer-notation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { compositionSchema } from '../schema/composition-schema.js';
import { formatIssues, formatPath } from '../schema/format-issues.js';
import type { Composition } from '../types/composition.js';
import type { ImageSize } from '../types/encoded-image.js';
import type { Placement } from '../types/layer.js';
import { canonicalAttributeKey, valueOffset } from './apply-attributes.js';
import type { LayerDraft, Mutable, NotationDraft } from './notation-draft.js';
import type { NotationLine } from './notation-line.js';
import { type AttributeEntry, readAttributeBlock } from './read-attribute-block.js';
import { didYouMean } from './suggest-closest.js';

/** Sets the placement sides written in `%`, now that the canvas size is known. */
function resolvePercentages(draft: LayerDraft, canvas: ImageSize): void {
  if (draft.percentages === undefined) return;
  if (draft.layer.placement === undefined) draft.layer.placement = {};
  const placement = draft.layer.placement as Mutable<Placement>;
  for (const { field, percent } of draft.percentages) {
    const side = field === 'x' || field === 'width' ? canvas.width : canvas.height;
    placement[field] = Math.round((percent * side) / 100);
  }
}

/** A place in the text, and the notation's name for the field there. */
interface Location {
  readonly line: NotationLine | undefined;
  readonly offset: number;
  readonly name?: string;
}

/** The attribute key a path inside a layer or style step comes from (`placement.width` → `width`). */
function attributeKeyOf(path: readonly (string | number)[]): string | undefined {
  const [field, sub] = path;
  if (field === 'placement') return typeof sub === 'string' ? sub : undefined;
  if (field === 'negativePrompt') return 'negative';
  if (field === 'options') return typeof sub === 'string' ? `opt.${sub}` : undefined;
  return typeof field === 'string' ? field : undefined;
}

/** The entry for `key` in the attribute block opened at `blockOpen` (read again), if any. */
function entryFor(line: NotationLine, blockOpen: number, key: string): AttributeEntry | undefined {
  if (blockOpen < 0) return undefined;
  const entries = readAttributeBlock(line, blockOpen).entries;
  return entries.find((entry) => canonicalAttributeKey(entry.key) === key);
}

/** Where the field at `path` of the composition was written. */
function locate(draft: NotationDraft, path: readonly (string | number)[]): Location {
  const [head, index, ...rest] = path;
  if (head === 'layers' && typeof index === 'number') {
    const layer = draft.layers[index];
    if (layer === undefined) return { line: undefined, offset: 0 };
    const [field] = rest;
    if (field === 'id') return { line: layer.line, offset: layer.idOffset, name: 'name' };
    if (field === 'prompt') return { line: layer.line, offset: layer.promptOffset, name: 'prompt' };
    if (field === 'provider') {
      return { line: layer.line, offset: layer.providerOffset, name: 'alias' };
    }
    const key = attributeKeyOf(rest);
    const entry = key === undefined ? undefined : entryFor(layer.line, layer.blockOpen, key);
    if (entry === undefined) return { line: layer.line, offset: layer.idOffset };
    return { line: layer.line, offset: valueOffset(entry), name: entry.key };
  }
  if (head === 'style' && draft.style !== undefined) {
    const style = draft.style;
    const rest = path.slice(1);
    if (rest[0] === 'prompt')
      return { line: style.line, offset: style.promptOffset, name: 'prompt' };
    if (rest[0] === 'provider') {
      return { line: style.line, offset: style.providerOffset, name: 'alias' };
    }
    const key = attributeKeyOf(rest);
    const entry = key === undefined ? undefined : entryFor(style.line, style.blockOpen, key);
    if (entry === undefined) return { line: style.line, offset: 0 };
    return { line: style.line, offset: valueOffset(entry), name: entry.key };
  }
  const directive =
    head === 'width' || head === 'height'
      ? draft.size
      : head === 'background'
        ? draft.background
        : head === 'seed'
          ? draft.seed
          : head === 'output'
            ? draft.output
            : undefined;
  if (directive === undefined) return { line: undefined, offset: 0 };
  return { line: directive.line, offset: directive.offset };
}

/** Checks `from` references before the schema does, to name the attribute and suggest a layer. */
function checkReferences(draft: NotationDraft): void {
  for (const layer of draft.layers) {
    const from = layer.layer.from;
    if (from === undefined || draft.layersById.has(from)) continue;
    const entry = entryFor(layer.line, layer.blockOpen, 'from')!;
    throw layer.line.error(
      `Expected \`from\` to name another layer, but no layer is called \`${from}\`${didYouMean(from, draft.layersById.keys())}`,
      valueOffset(entry),
    );
  }
}

/**
 * Builds the {@link Composition} from a fully read document and validates it with
 * `compositionSchema`, reporting any problem as a {@link LayerNotationError} at the line and
 * column where the offending value was written.
 *
 * @param draft - the document read.
 * @param defaultSize - canvas size when there is no `size` directive.
 * @param end - line and offset of the end of the text, for "no layer" errors.
 */
export function buildComposition(
  draft: NotationDraft,
  defaultSize: ImageSize,
  end: { readonly line: NotationLine; readonly offset: number },
): Composition {
  if (draft.layers.length === 0) {
    throw end.line.error(
      'Expected at least one layer line, such as `| hero: a knight @A`',
      end.offset,
    );
  }
  checkReferences(draft);
  const canvas = draft.size?.value ?? defaultSize;
  const layers = draft.layers.map((layer) => {
    resolvePercentages(layer, canvas);
    return layer.layer;
  });
  const { width, height } = canvas;
  const composition: Mutable<Composition> =
    draft.background === undefined
      ? { width, height, layers }
      : { width, height, background: draft.background.value, layers };
  if (draft.style !== undefined) composition.style = draft.style.step;
  if (draft.seed !== undefined) composition.seed = draft.seed.value;
  if (draft.output !== undefined) composition.output = draft.output.value;
  if (draft.packs.length > 0) composition.packs = draft.packs;
  const result = compositionSchema.safeParse(composition);
  if (result.success) return composition;
  const issues = formatIssues(result.error.issues, composition, 'composition');
  const issue = issues[0]!;
  const location = locate(draft, issue.path);
  let message = issue.message;
  if (location.name !== undefined && issue.path.length > 0) {
    message = message.replace(`\`${formatPath(issue.path)}\``, `\`${location.name}\``);
  }
  const cause = new ValidationError(issues, { subject: 'composition', cause: result.error });
  if (location.line === undefined) {
    return failAtStart(message, cause);
  }
  throw location.line.error(message, location.offset, cause);
}

function failAtStart(message: string, cause: unknown): never {
  throw new LayerNotationError(message, { line: 1, column: 1 }, { cause });
}
