import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayerNotationError } from '../errors/layer-notation-error.js';
import { validateComposition } from '../schema/define-composition.js';
import { blendModes } from '../types/blend-mode.js';
import type { Composition } from '../types/composition.js';
import type { Layer } from '../types/layer.js';
import type { StyleStep } from '../types/style-step.js';
import { formatLayerNotation } from './format-layer-notation.js';
import { parseLayerNotation, unexpectedFailureMessage } from './parse-layer-notation.js';

/** Runs per property; set `NOTATION_PROPERTY_RUNS` to fuzz longer. */
const runs = (defaultRuns: number): number =>
  Number(process.env.NOTATION_PROPERTY_RUNS) || defaultRuns;

/** Code points of a line, as columns count them. */
const codePointLength = (text: string): number => Array.from(text).length;

/**
 * Parses `text`: a success must be a valid composition that survives a format round trip; a
 * failure must be a LayerNotationError (not the internal fallback) pointing inside the text.
 */
function checkParse(text: string): void {
  let composition: Composition;
  try {
    composition = parseLayerNotation(text);
  } catch (error) {
    expect(error).toBeInstanceOf(LayerNotationError);
    const notationError = error as LayerNotationError;
    expect(notationError.message.startsWith(unexpectedFailureMessage)).toBe(false);
    const lines = text.split(/\r\n|\r|\n/);
    expect(notationError.line).toBeGreaterThanOrEqual(1);
    expect(notationError.line).toBeLessThanOrEqual(lines.length);
    expect(notationError.column).toBeGreaterThanOrEqual(1);
    expect(notationError.column).toBeLessThanOrEqual(
      codePointLength(lines[notationError.line - 1]!) + 1,
    );
    expect(typeof notationError.toString()).toBe('string');
    return;
  }
  expect(validateComposition(composition)).toEqual(composition);
  expect(parseLayerNotation(formatLayerNotation(composition))).toEqual(composition);
}

// Pieces that mean something to the notation, to build lines that get past the first checks.
const piece = fc.constantFrom(
  ' ',
  '\t',
  '\u3000',
  'a',
  'hero',
  '人物',
  '😀',
  '\uD800',
  '1',
  '_',
  '-',
  '--',
  '—',
  '|',
  '｜',
  ':',
  '：',
  ',',
  '，',
  ';',
  '#',
  '\\',
  '\\#',
  '\\@',
  '@',
  '@A',
  '@模型',
  '＠',
  '{',
  '}',
  '"',
  "'",
  '$',
  '$$',
  '$v',
  `\${v}`,
  `\${`,
  '…',
  '...',
  '。。。',
  '%',
  'x',
  'x: 10%',
  'w: 50',
  'opacity: 0.5',
  'opacity: 80%',
  'seed: 3',
  'matte: chroma',
  'matte: #00ff00',
  'from: layer1',
  'from: hero',
  'negative: "a, b"',
  'opt.k: 1',
  'opt.__proto__: 1',
  'blend: multiply',
  'size: 64x64',
  'strength: 2',
  'style',
  'style:',
  'size 100x100',
  'define v: ',
  'background #fff',
  'format webp',
  'seed 1',
  'use ./pack as w',
  'use @studio/ember-world@^1.2 as w',
  'use ./other as moss',
  '$w.knight',
  '$w.knight-',
  '$w.styles.ink',
  `\${w.wolf}`,
  `\${w.styles.}`,
  '$$w.knight',
  '$moss.',
  '.x',
);

const structuredLine = fc.oneof(
  fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
  fc
    .tuple(
      fc.constantFrom('|', '｜', '— ', '-- ', ''),
      fc.constantFrom('', 'hero: ', 'layer1：', '人物 : '),
      fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join('')),
      fc.constantFrom(' @A', '@B', ' @', '', ' @A,'),
      fc.option(
        fc.array(piece, { maxLength: 5 }).map((pieces) => ` {${pieces.join(', ')}}`),
        { nil: '' },
      ),
      fc.constantFrom('', ' # note', ',', ' x'),
    )
    .map((parts) => parts.join('')),
);

describe('parseLayerNotation properties', () => {
  it('only ever throws LayerNotationError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => checkParse(text)),
      { numRuns: runs(500) },
    );
  });

  it('only ever throws LayerNotationError on arbitrary lines of notation characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: piece, maxLength: 30 }), { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        (lines, lineBreak) => checkParse(lines.join(lineBreak)),
      ),
      { numRuns: runs(500) },
    );
  });

  it('only ever throws LayerNotationError on structured random notation, and round-trips it', () => {
    fc.assert(
      fc.property(fc.array(structuredLine, { minLength: 1, maxLength: 8 }), (lines) =>
        checkParse(lines.join('\n')),
      ),
      { numRuns: runs(1000) },
    );
  });
});

const nameCharacters = [...'abcxyzABZ0129_-', '人', '物', 'é', 'ß', 'Ж'];
const name = fc.string({ unit: fc.constantFrom(...nameCharacters), minLength: 1, maxLength: 8 });
/** Any text on one line: every code unit but line breaks. */
const lineText = (minLength: number) =>
  fc
    .string({ unit: 'binary', minLength, maxLength: 40 })
    .map((text) => text.replace(/[\r\n]/g, ' '));
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const optionValue = fc.oneof(
  lineText(0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const options = fc.dictionary(
  name.filter((key) => key !== '__proto__'),
  optionValue,
  { minKeys: 1, maxKeys: 4 },
);
const placement = fc
  .record(
    {
      x: fc.double({ min: -65_536, max: 65_536, noNaN: true }),
      y: fc.integer({ min: -65_536, max: 65_536 }),
      width: fc.double({ min: 1, max: 65_536, noNaN: true }),
      height: fc.integer({ min: 1, max: 65_536 }),
      fit: fc.constantFrom('cover', 'contain', 'fill'),
      anchor: fc.constantFrom('center', 'top', 'bottom-right'),
    } as const,
    { requiredKeys: [] },
  )
  .filter((value) => Object.keys(value).length > 0);
const layerFields = fc.record(
  {
    negativePrompt: lineText(0),
    seed: fc.maxSafeNat(),
    size: fc.record({
      width: fc.integer({ min: 1, max: 16_384 }),
      height: fc.integer({ min: 1, max: 16_384 }),
    }),
    placement,
    blend: fc.constantFrom(...blendModes),
    opacity: unit,
    matte: fc.oneof(
      fc.constantFrom('none' as const, 'alpha' as const),
      fc.constantFrom('#00ff00', '#0000FF', '#abc').map((chromaKey) => ({ chromaKey })),
    ),
    strength: unit,
    options,
  },
  { requiredKeys: [] },
);
const style = fc.record(
  {
    prompt: lineText(1),
    provider: name,
    strength: unit,
    seed: fc.maxSafeNat(),
    negativePrompt: lineText(0),
    options,
  },
  { requiredKeys: ['prompt', 'provider'] },
);

const composition: fc.Arbitrary<Composition> = fc
  .record(
    {
      width: fc.integer({ min: 1, max: 16_384 }),
      height: fc.integer({ min: 1, max: 16_384 }),
      background: fc.constantFrom('transparent', '#f4efe6', 'red', 'rgb(1 2 3 / 50%)'),
      ids: fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
      fields: fc.array(
        fc.record({ prompt: lineText(1), provider: name, rest: layerFields, from: fc.nat() }),
        { minLength: 6, maxLength: 6 },
      ),
      style,
      seed: fc.maxSafeNat(),
      output: fc.record(
        {
          format: fc.constantFrom('png', 'webp', 'jpeg', 'avif'),
          quality: fc.integer({ min: 1, max: 100 }),
          compressionLevel: fc.integer({ min: 0, max: 9 }),
          lossless: fc.boolean(),
        } as const,
        { requiredKeys: ['format'] },
      ),
    },
    { requiredKeys: ['width', 'height', 'ids', 'fields'] },
  )
  .map(({ ids, fields, style: step, ...rest }) => {
    const layers: Layer[] = ids.map((id, index) => {
      const field = fields[index]!;
      const layer: Layer = { id, prompt: field.prompt, provider: field.provider, ...field.rest };
      // `from` only points down the stack, so chains never form a cycle.
      const below = ids.length - index - 1;
      return below > 0 && field.from % 3 === 0
        ? { ...layer, from: ids[index + 1 + (field.from % below)]! }
        : layer;
    });
    const result: Composition = { ...rest, layers };
    return step === undefined ? result : { ...result, style: step as StyleStep };
  });

/** Prompt text mixing pack references with `$`, escapes and id characters next to them. */
const promptWithReferences = fc
  .array(
    fc.oneof(
      lineText(0),
      fc.constantFrom(
        '$w.knight',
        `\${w.knight}`,
        '$w.styles.ink',
        `\${w.styles.ink}`,
        '$moss.fern-1',
        '$$',
        '$',
        `\${w}`,
        '-',
        '.',
        'x',
        '\\',
        '#',
        '{',
        '}',
        '@A',
        ' ',
      ),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(''))
  .filter((prompt) => prompt.length > 0);

const compositionWithPacks: fc.Arbitrary<Composition> = fc
  .record({
    base: composition,
    prompts: fc.array(promptWithReferences, { minLength: 7, maxLength: 7 }),
    packs: fc.subarray(
      [
        { alias: 'w', source: '@studio/ember-world@^1.2' },
        { alias: 'moss', source: './packs/moss' },
      ],
      { minLength: 1 },
    ),
  })
  .map(({ base, prompts, packs }) => {
    const layers = base.layers.map((layer, index) => {
      const { negativePrompt: _dropped, ...rest } = layer;
      return { ...rest, prompt: prompts[index]! };
    });
    const result: Composition = { ...base, packs, layers };
    if (base.style === undefined) return result;
    const { negativePrompt: _dropped, ...style } = base.style;
    return { ...result, style: { ...style, prompt: prompts[6]! } };
  });

describe('formatLayerNotation properties', () => {
  it('round-trips every composition the notation can express', () => {
    fc.assert(
      fc.property(composition, (value) => {
        expect(validateComposition(value)).toEqual(value);
        expect(parseLayerNotation(formatLayerNotation(value))).toEqual(value);
      }),
      { numRuns: runs(300) },
    );
  });

  it('round-trips compositions with packs, references in prompts and literal dollars', () => {
    fc.assert(
      fc.property(compositionWithPacks, (value) => {
        expect(validateComposition(value)).toEqual(value);
        expect(parseLayerNotation(formatLayerNotation(value))).toEqual(value);
      }),
      { numRuns: runs(300) },
    );
  });
});
