import { z } from 'zod';
import { LayerNotationError } from '../errors/layer-notation-error.js';
import { imageSizeSchema, nameSchema } from '../schema/composition-schema.js';
import { describeValue, expected } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type { Composition } from '../types/composition.js';
import type { ImageSize } from '../types/encoded-image.js';
import { buildComposition } from './build-composition.js';
import {
  characterCodes,
  isStyleDash,
  showReceived,
  skipWhiteSpace,
} from './notation-characters.js';
import type { NotationDraft } from './notation-draft.js';
import { defaultCanvasSize, maxNotationBytes } from './notation-limits.js';
import { NotationLine } from './notation-line.js';
import { directiveAt, directiveNames, readDirective } from './read-directive.js';
import { readLayerLine } from './read-layer-line.js';
import { readStyleLine } from './read-style-line.js';
import { didYouMean } from './suggest-closest.js';
import { utf8ByteLength } from './utf8-byte-length.js';
import { VariableScope } from './variable-scope.js';

/** Options of {@link parseLayerNotation}. */
export interface ParseLayerNotationOptions {
  /**
   * Values of `$NAME` / `${NAME}` in prompts, in addition to the text's `define` lines. A
   * `define` of the same name overrides the value given here from its line on. Values are
   * taken literally (no escapes, no nested variables).
   */
  readonly variables?: Readonly<Record<string, string>>;
  /** Canvas size when the text has no `size` directive. @default { width: 1024, height: 1024 } */
  readonly defaultSize?: ImageSize;
}

const optionsSchema = z.strictObject(
  {
    variables: z
      .record(nameSchema, z.string(expected('a string')), expected('an object of strings'))
      .optional(),
    defaultSize: imageSizeSchema.optional(),
  },
  expected('an options object'),
);

/** Prefix of the message of an unexpected internal failure turned into a notation error. */
export const unexpectedFailureMessage = 'Unexpected failure while reading the notation';

interface Settings {
  readonly variables: ReadonlyMap<string, string>;
  readonly defaultSize: ImageSize;
}

function readOptions(options: ParseLayerNotationOptions | undefined): Settings {
  if (options === undefined) return { variables: new Map(), defaultSize: defaultCanvasSize };
  parseWithSchema(optionsSchema, options, 'options');
  const variables = new Map<string, string>();
  const given = options.variables;
  if (given !== undefined) for (const name of Object.keys(given)) variables.set(name, given[name]!);
  const size = options.defaultSize;
  return {
    variables,
    defaultSize:
      size === undefined ? defaultCanvasSize : { width: size.width, height: size.height },
  };
}

/**
 * Finds line ends: the next `\n`, `\r\n` or `\r`. Remembers the next position of each break
 * character, so that every character is searched once however the breaks are mixed.
 */
class LineBreakFinder {
  #newline = -1;
  #carriageReturn = -1;

  /** @param source - the document. */
  constructor(readonly source: string) {}

  /** Offset of the line break ending the line that starts at `start` (or the text's length). */
  endOf(start: number): number {
    const source = this.source;
    if (this.#newline < start) {
      this.#newline = source.indexOf('\n', start);
      if (this.#newline < 0) this.#newline = source.length;
    }
    if (this.#carriageReturn < start) {
      this.#carriageReturn = source.indexOf('\r', start);
      if (this.#carriageReturn < 0) this.#carriageReturn = source.length;
    }
    return Math.min(this.#newline, this.#carriageReturn);
  }
}

function readLine(draft: NotationDraft, line: NotationLine): void {
  const source = line.source;
  const first = skipWhiteSpace(source, line.start, line.end);
  if (first === line.end) return;
  const code = source.charCodeAt(first);
  if (code === characterCodes.hash) return;
  if (code === characterCodes.pipe || code === characterCodes.fullWidthPipe) {
    readLayerLine(draft, line, first);
  } else if (isStyleDash(code)) {
    readStyleLine(draft, line, first);
  } else {
    const directive = directiveAt(source, first, line.end);
    if (directive === undefined) {
      const excerpt = line.excerpt(first, 40);
      const word = /^[\p{L}\p{N}_-]+/u.exec(excerpt)?.[0] ?? '';
      throw line.error(
        `Expected a layer (\`|\`), the style line (\`—\`), a directive (${directiveNames.map((name) => `\`${name}\``).join(', ')}) or a \`#\` comment, got ${showReceived(word.length > 0 ? word : line.excerpt(first))}${didYouMean(word, directiveNames)}`,
        first,
      );
    }
    readDirective(draft, line, first, directive);
  }
}

function readDocument(source: string, settings: Settings): Composition {
  // A byte order mark is skipped, not sliced off: slicing would make every read go through a
  // sliced string.
  const bodyStart = source.charCodeAt(0) === characterCodes.byteOrderMark ? 1 : 0;
  const length = source.length - bodyStart;
  if (length * 3 > maxNotationBytes) {
    const bytes = length > maxNotationBytes ? length : utf8ByteLength(source) - bodyStart * 3;
    if (bytes > maxNotationBytes) {
      throw new LayerNotationError(
        `Expected at most 1 MiB (${maxNotationBytes} bytes) of notation, got ${length > maxNotationBytes ? 'at least ' : ''}${bytes} bytes`,
        { line: 1, column: 1 },
      );
    }
  }
  const draft: NotationDraft = {
    scope: new VariableScope(settings.variables),
    layers: [],
    layersById: new Map(),
    packs: [],
  };
  const breaks = new LineBreakFinder(source);
  let start = bodyStart;
  let number = 1;
  for (;;) {
    const end = breaks.endOf(start);
    const line = new NotationLine(number, source, start, end);
    readLine(draft, line);
    if (end >= source.length) {
      return buildComposition(draft, settings.defaultSize, { line, offset: end });
    }
    start =
      source.charCodeAt(end) === 0x0d && source.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
    number++;
  }
}

/**
 * Parses layer notation (a `.loom` text) into a {@link Composition}: one line per layer, top
 * layer first, each prompt bound to a provider alias with `@ALIAS`, an optional style line and
 * the directives `size`, `background`, `seed`, `format`, `use` (a world pack, whose entities and
 * styles prompts name as `$ALIAS.ID` / `$ALIAS.styles.ID`) and `define`. The result is validated
 * with `compositionSchema`. See `docs/layer-notation.md`.
 *
 * @param text - the notation.
 * @param options - `variables` for `$NAME`, `defaultSize` of the canvas.
 * @returns the composition.
 * @throws LayerNotationError for every problem in the text (never anything else), with the
 * 1-based line and column (in code points) and a code frame in `toString()`.
 * @throws ValidationError when `options` is malformed.
 *
 * @example
 * const composition = parseLayerNotation(`
 * size 1024x1536
 * ｜hero: a knight in silver armour @A {h: 60%, anchor: bottom}
 * ｜scene: a misty forest at dawn @B
 * — style: watercolour, soft light @Z {strength: 0.35}
 * `);
 */
export function parseLayerNotation(text: string, options?: ParseLayerNotationOptions): Composition {
  const settings = readOptions(options);
  if (typeof text !== 'string') {
    throw new LayerNotationError(
      `Expected the notation to be a string, got ${describeValue(text)}`,
      { line: 1, column: 1 },
    );
  }
  try {
    return readDocument(text, settings);
  } catch (error) {
    if (error instanceof LayerNotationError) throw error;
    // Defence in depth: the contract is that only LayerNotationError leaves the parser, even
    // for an engine failure such as a stack overflow when called deep in a recursion.
    const reason = error instanceof Error ? error.message : String(error);
    throw new LayerNotationError(
      `${unexpectedFailureMessage}: ${reason}`,
      { line: 1, column: 1 },
      { cause: error },
    );
  }
}
