import { describe, expect, it } from 'vitest';
import { LayerNotationError } from '../errors/layer-notation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Composition } from '../types/composition.js';
import type { Layer } from '../types/layer.js';
import { defaultChromaKey, maxNotationBytes } from './notation-limits.js';
import { parseLayerNotation } from './parse-layer-notation.js';

const seedNotation = `｜layer1: 人物 prompts @A,
｜layer2: 场景 prompt @B
｜……
｜layerx：prompt @X
—style prompt @Z
`;

/** The first layer of a one-line notation. */
const layerOf = (line: string, options?: Parameters<typeof parseLayerNotation>[1]): Layer =>
  parseLayerNotation(line, options).layers[0]!;

/** The error thrown by parsing `text`. */
function errorOf(text: string, options?: Parameters<typeof parseLayerNotation>[1]) {
  try {
    parseLayerNotation(text, options);
  } catch (error) {
    return error as LayerNotationError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseLayerNotation: the seed notation', () => {
  it('parses as it stands: three layers, top first, and a style pass', () => {
    expect(parseLayerNotation(seedNotation)).toEqual({
      width: 1024,
      height: 1024,
      layers: [
        { id: 'layer1', prompt: '人物 prompts', provider: 'A' },
        { id: 'layer2', prompt: '场景 prompt', provider: 'B' },
        { id: 'layerx', prompt: 'prompt', provider: 'X' },
      ],
      style: { prompt: 'style prompt', provider: 'Z' },
    } satisfies Composition);
  });
});

describe('parseLayerNotation: layer lines', () => {
  it.each<[string, string, Partial<Layer>]>([
    ['ASCII pipe', '| hero: a knight @A', { id: 'hero', prompt: 'a knight', provider: 'A' }],
    ['full-width pipe', '｜hero: a knight @A', { id: 'hero', prompt: 'a knight' }],
    ['full-width colon', '｜hero：a knight @A', { id: 'hero', prompt: 'a knight' }],
    [
      'white space around the colon',
      '|  hero  :  a knight  @A',
      { id: 'hero', prompt: 'a knight' },
    ],
    ['name in any script', '| 英雄: 骑士 @甲', { id: '英雄', prompt: '骑士', provider: '甲' }],
    ['name with _ and -', '| hero_2-b: x @A', { id: 'hero_2-b' }],
    ['no name: layer + position', '| a knight @A', { id: 'layer1', prompt: 'a knight' }],
    ['a name needs a colon', '| knight @A', { id: 'layer1', prompt: 'knight' }],
    ['colons later in the prompt', '| ratio: 16:9 frame @A', { id: 'ratio', prompt: '16:9 frame' }],
    ['a colon after a space is prompt', '| a man: portrait @A', { prompt: 'a man: portrait' }],
    ['commas in the prompt', '| a, b, c @A', { prompt: 'a, b, c' }],
    ['trailing comma', '| x: a knight @A,', { prompt: 'a knight', provider: 'A' }],
    ['trailing full-width comma', '| x: a knight @A，', { provider: 'A' }],
    ['trailing comma after spaces', '| x: a knight @A ,  ', { provider: 'A' }],
    ['alias touching the prompt', '| x: prompts@A', { prompt: 'prompts', provider: 'A' }],
    ['the last @ is the alias', '| x: mail me@home @A', { prompt: 'mail me@home', provider: 'A' }],
    ['last @ even when touching', '| x: a@b@C', { prompt: 'a@b', provider: 'C' }],
    ['alias with _ and -', '| x: y @my_model-2', { provider: 'my_model-2' }],
    ['alias in any script', '| x: y @模型', { provider: '模型' }],
    ['\\@ is a literal @', '| x: a \\@b @C', { prompt: 'a @b', provider: 'C' }],
    ['escaped # in a prompt', '| x: fan \\#1 @A', { prompt: 'fan #1' }],
    ['\\\\ is a backslash', '| x: a \\\\ b @A', { prompt: 'a \\ b' }],
    ['\\ before a letter stays', '| x: C:\\Users @A', { prompt: 'C:\\Users' }],
    ['escaped braces', '| x: \\{a\\} @A', { prompt: '{a}' }],
    [
      'braces elsewhere are prompt text',
      '| x: {{masterpiece}} girl @A',
      { prompt: '{{masterpiece}} girl' },
    ],
    ['escaped trailing space is kept', '| x: a\\  @A', { prompt: 'a ' }],
    ['escaped leading space is kept', '| x: \\ a @A', { prompt: ' a' }],
    ['$$ is a literal $', '| x: 100$$ @A', { prompt: '100$' }],
    ['a lone $ is literal', '| x: $ and $. @A', { prompt: '$ and $.' }],
    ['a comment after the alias', '| x: a @A # note', { prompt: 'a', provider: 'A' }],
    ['a comment after the block', '| x: a @A {seed: 1} # note', { seed: 1 }],
    ['U+3000 around the line', '\u3000｜x: a @A\u3000', { prompt: 'a' }],
    ['tabs', '\t|\tx:\ta\t@A\t', { prompt: 'a' }],
  ])('%s', (_name, line, expected) => {
    expect(layerOf(line)).toMatchObject(expected);
  });

  it('ignores ellipsis placeholder lines', () => {
    for (const placeholder of ['…', '……', '...', '.....', '。。。', '…… # more later']) {
      const composition = parseLayerNotation(`| a: x @A\n｜${placeholder}\n| y @B`);
      expect(composition.layers.map((layer) => layer.id)).toEqual(['a', 'layer2']);
    }
  });

  it('numbers unnamed layers by position, placeholders and other lines not counted', () => {
    const composition = parseLayerNotation('# title\n| a @A\n|…\nsize 10x10\n| b @B\n| c: c @C');
    expect(composition.layers.map((layer) => layer.id)).toEqual(['layer1', 'layer2', 'c']);
  });

  it('keeps the top-first order of the text', () => {
    const composition = parseLayerNotation('｜layer1: 人物 @A\n｜layer2: 场景 @B');
    expect(composition.layers.map((layer) => layer.prompt)).toEqual(['人物', '场景']);
  });
});

describe('parseLayerNotation: attribute blocks', () => {
  const canvas = 'size 1000x500\n';
  it.each<[string, string, Partial<Layer>]>([
    [
      'pixels',
      '{x: 10, y: -20, w: 300, h: 200}',
      { placement: { x: 10, y: -20, width: 300, height: 200 } },
    ],
    ['px suffix and decimals', '{x: 10px, y: 2.5}', { placement: { x: 10, y: 2.5 } }],
    ['long keys', '{width: 300, height: 200}', { placement: { width: 300, height: 200 } }],
    [
      'percent of the canvas',
      '{x: 10%, y: 50%, w: 50%, h: 100%}',
      { placement: { x: 100, y: 250, width: 500, height: 500 } },
    ],
    [
      'percent rounds to whole pixels',
      '{x: 33.33%, w: 0.15%}',
      { placement: { x: 333, width: 2 } },
    ],
    [
      'fit and anchor',
      '{fit: contain, anchor: bottom-left}',
      { placement: { fit: 'contain', anchor: 'bottom-left' } },
    ],
    ['blend', '{blend: color-dodge}', { blend: 'color-dodge' }],
    ['opacity 0..1', '{opacity: 0.25}', { opacity: 0.25 }],
    ['opacity in percent', '{opacity: 80%}', { opacity: 0.8 }],
    ['seed', '{seed: 42}', { seed: 42 }],
    [
      'negative, quoted with commas',
      '{negative: "blurry, low quality"}',
      { negativePrompt: 'blurry, low quality' },
    ],
    [
      'negative, single quotes',
      "{negative: 'it''s'}".replace("''", "\\'"),
      { negativePrompt: "it's" },
    ],
    ['negative, bare words', '{negative: blurry text}', { negativePrompt: 'blurry text' }],
    ['size', '{size: 512x768}', { size: { width: 512, height: 768 } }],
    ['size with ×', '{size: 512 × 768}', { size: { width: 512, height: 768 } }],
    ['matte none', '{matte: none}', { matte: 'none' }],
    ['matte alpha', '{matte: alpha}', { matte: 'alpha' }],
    ['matte chroma', '{matte: chroma}', { matte: { chromaKey: defaultChromaKey } }],
    ['matte colour', '{matte: #0000ff}', { matte: { chromaKey: '#0000ff' } }],
    ['strength', '{strength: 0.35}', { strength: 0.35 }],
    [
      'opt values are typed',
      '{opt.steps: 30, opt.hd: true, opt.raw: false, opt.style: null, opt.cfg: -1.5e1}',
      { options: { steps: 30, hd: true, raw: false, style: null, cfg: -15 } },
    ],
    [
      'opt strings',
      '{opt.sampler: dpm++ 2m, opt.n: "30", opt.path: a\\,b}',
      { options: { sampler: 'dpm++ 2m', n: '30', path: 'a,b' } },
    ],
    [
      'opt keys that are prototype names',
      '{opt.constructor: 1, opt.toString: 2}',
      { options: { constructor: 1, toString: 2 } },
    ],
    ['; separators', '{x: 1; y: 2}', { placement: { x: 1, y: 2 } }],
    ['full-width separators', '{x：1，y：2；seed：3}', { placement: { x: 1, y: 2 }, seed: 3 }],
    ['trailing separator', '{x: 1, y: 2,}', { placement: { x: 1, y: 2 } }],
    ['empty block', '{}', {}],
    [
      '# inside a block is not a comment',
      '{negative: no #tags} # comment',
      { negativePrompt: 'no #tags' },
    ],
    [
      'escapes in quotes',
      '{negative: "say \\"hi\\" \\\\ ok"}',
      { negativePrompt: 'say "hi" \\ ok' },
    ],
  ])('%s', (_name, block, expected) => {
    expect(layerOf(`${canvas}| hero: a knight @A ${block}`)).toMatchObject(expected);
  });

  it('accepts the block touching the alias, and a comma before or after it', () => {
    for (const line of ['| x: a @A{seed: 1}', '| x: a @A, {seed: 1}', '| x: a @A {seed: 1},']) {
      expect(layerOf(line)).toEqual({ id: 'x', prompt: 'a', provider: 'A', seed: 1 });
    }
  });

  it('resolves % against a size directive written after the layers', () => {
    expect(layerOf('| x: a @A {w: 50%}\nsize 800x600').placement).toEqual({ width: 400 });
  });

  it('resolves % against options.defaultSize when there is no size directive', () => {
    const layer = layerOf('| x: a @A {w: 50%, h: 25%}', {
      defaultSize: { width: 640, height: 480 },
    });
    expect(layer.placement).toEqual({ width: 320, height: 120 });
  });

  it('builds options on a plain object without touching prototypes', () => {
    const layer = layerOf('| x: a @A {opt.hasOwnProperty: 1}');
    expect(Object.getPrototypeOf(layer.options)).toBe(Object.prototype);
    expect(Object.keys(layer.options!)).toEqual(['hasOwnProperty']);
    expect(({} as Record<string, unknown>).hasOwnProperty).toBe(Object.prototype.hasOwnProperty);
  });
});

describe('parseLayerNotation: the style line', () => {
  it.each<[string, Composition['style']]>([
    ['—style prompt @Z', { prompt: 'style prompt', provider: 'Z' }],
    ['— style: watercolour @Z', { prompt: 'watercolour', provider: 'Z' }],
    ['—— style：watercolour @Z', { prompt: 'watercolour', provider: 'Z' }],
    ['― style : ink @Z', { prompt: 'ink', provider: 'Z' }],
    ['– ink @Z', { prompt: 'ink', provider: 'Z' }],
    ['-- ink @Z', { prompt: 'ink', provider: 'Z' }],
    ['----- ink @Z', { prompt: 'ink', provider: 'Z' }],
    ['— styles: ink @Z', { prompt: 'styles: ink', provider: 'Z' }],
    ['— style: style: ink @Z', { prompt: 'style: ink', provider: 'Z' }],
    [
      '— style: ink @Z {strength: 0.35, seed: 7, negative: "photo", opt.steps: 20}',
      {
        prompt: 'ink',
        provider: 'Z',
        strength: 0.35,
        seed: 7,
        negativePrompt: 'photo',
        options: { steps: 20 },
      },
    ],
  ])('%s', (line, style) => {
    expect(parseLayerNotation(`| a @A\n${line}`).style).toEqual(style);
  });

  it('may come before the layers', () => {
    expect(parseLayerNotation('— ink @Z\n| a @A').style).toEqual({ prompt: 'ink', provider: 'Z' });
  });
});

describe('parseLayerNotation: directives', () => {
  it('reads size, background, seed and format, with or without a colon', () => {
    const text = [
      'size 1024x1536',
      'background: #f4efe6   # warm paper',
      'seed：42',
      'format webp',
      '| a @A',
    ].join('\n');
    expect(parseLayerNotation(text)).toEqual({
      width: 1024,
      height: 1536,
      background: '#f4efe6',
      seed: 42,
      output: { format: 'webp' },
      layers: [{ id: 'layer1', prompt: 'a', provider: 'A' }],
    });
  });

  it.each([
    ['background transparent', 'transparent'],
    ['background rgb(10 20 30 / 50%)', 'rgb(10 20 30 / 50%)'],
    ['background hsl(120, 50%, 50%)', 'hsl(120, 50%, 50%)'],
    ['background rebeccapurple', 'rebeccapurple'],
  ])('%s', (line, background) => {
    expect(parseLayerNotation(`${line}\n| a @A`).background).toBe(background);
  });

  it('reads format jpg as jpeg and a quality attribute', () => {
    expect(parseLayerNotation('format jpg\n| a @A').output).toEqual({ format: 'jpeg' });
    expect(parseLayerNotation('format jpeg {quality: 85}\n| a @A').output).toEqual({
      format: 'jpeg',
      quality: 85,
    });
    expect(parseLayerNotation('format png {compression: 9}\n| a @A').output).toEqual({
      format: 'png',
      compressionLevel: 9,
    });
    expect(parseLayerNotation('format avif {quality: 50, lossless: false}\n| a @A').output).toEqual(
      { format: 'avif', quality: 50, lossless: false },
    );
  });

  it(`expands define variables with $NAME and \${NAME} in later prompts`, () => {
    const text = [
      'define hero: a knight in silver armour',
      `define hero-2: \${hero}, older`,
      '| a: $hero, walking @A {negative: "not $hero"}',
      `| b: \${hero-2}s @B`,
      `— \${hero}ish light @Z`,
    ].join('\n');
    const composition = parseLayerNotation(text);
    expect(composition.layers[0]).toMatchObject({
      prompt: 'a knight in silver armour, walking',
      negativePrompt: 'not a knight in silver armour',
    });
    expect(composition.layers[1]!.prompt).toBe('a knight in silver armour, olders');
    expect(composition.style!.prompt).toBe('a knight in silver armourish light');
  });

  it('takes $NAME as the longest run of letters, digits and _', () => {
    expect(layerOf(`define a: X\n| p: $a_b \${a}_b @A`, { variables: { a_b: 'Y' } }).prompt).toBe(
      'Y X_b',
    );
  });

  it('uses options.variables, which a define overrides from its line on', () => {
    const text = '| a: $who @A\ndefine who: the text\n| b: $who @B';
    const composition = parseLayerNotation(text, { variables: { who: 'the option' } });
    expect(composition.layers.map((layer) => layer.prompt)).toEqual(['the option', 'the text']);
  });

  it('keeps variable values literal and does not expand $ in other attributes', () => {
    const layer = layerOf('define v: \\#1 $$\n| a: $v @A {opt.k: "$v", from: a2}\n| a2: b @B');
    expect(layer.prompt).toBe('#1 $');
    expect(layer.options).toEqual({ k: '$v' });
  });
});

describe('parseLayerNotation: text shape', () => {
  it('accepts CRLF, CR and a byte order mark, counting columns after the mark', () => {
    expect(parseLayerNotation('\uFEFF| a @A\r\n| b @B\r| c @C').layers).toHaveLength(3);
    const error = errorOf('\uFEFF| a');
    expect([error.line, error.column]).toEqual([1, 4]);
  });

  it('ignores blank lines and comment lines', () => {
    expect(parseLayerNotation('\n  \n# comment\n\t# indented\n| a @A\n\n').layers).toHaveLength(1);
  });
});

describe('parseLayerNotation: errors', () => {
  it.each<[string, string, number, number, string]>([
    ['no alias', '| a: a knight', 1, 14, 'Expected the layer to end with `@ALIAS`'],
    ['# hides the alias', '| a: fan #1 @A', 1, 9, 'Expected the layer to end with `@ALIAS`'],
    ['escaped @', '| a: knight \\@A', 1, 16, 'Expected the layer to end with `@ALIAS`'],
    ['full-width ＠', '| a: knight ＠A', 1, 15, 'the full-width `＠` is not an alias marker'],
    ['empty prompt', '| a: @A', 1, 6, 'Expected a prompt before `@A`'],
    ['empty layer', '｜', 1, 2, 'Expected a layer'],
    ['colon without name', '| : x @A', 1, 3, 'Expected a layer name before the colon'],
    ['unknown line', 'hello', 1, 1, 'got `hello`'],
    ['misspelt directive', '  sise 10x10', 1, 3, '(did you mean `size`?)'],
    ['single dash', '- ink @Z', 1, 1, 'got a single `-`'],
    ['duplicate name', '| a: x @A\n| a: y @B', 2, 3, '`a` is already used on line 1'],
    ['reserved name style', '| a: x @A\n| style: y @B', 2, 3, 'write the style line with a dash'],
    ['reserved name composite', '| composite: x @A', 1, 3, 'which the blend step uses'],
    ['duplicate implicit name', '| layer2: x @A\n| y @B', 2, 1, 'a layer without a name'],
    ['two style lines', '| a @A\n— x @Z\n-- y @Z', 3, 1, 'at most one style line'],
    ['no layers', 'size 10x10\n', 2, 1, 'Expected at least one layer line'],
    ['empty text', '', 1, 1, 'Expected at least one layer line'],
    [
      'unknown attribute',
      '| a: x @A {opacty: 1}',
      1,
      12,
      'Unknown attribute `opacty` (did you mean `opacity`?)',
    ],
    ['style-only attribute', '| a @A\n— x @Z {x: 1}', 2, 9, 'on the style line'],
    ['repeated attribute', '| a: x @A {w: 1, width: 2}', 1, 18, '`width` repeats `w`'],
    [
      'missing colon in block',
      '| a: x @A {seed 1}',
      1,
      17,
      'Expected `:` and a value after `seed`',
    ],
    ['missing value', '| a: x @A {seed: }', 1, 18, 'Expected a value after `seed:`'],
    [
      'unterminated block',
      '| a: x @A {seed: 1',
      1,
      19,
      'Expected `}` to close the attribute block opened at column 11',
    ],
    ['unterminated quote', '| a: x @A {negative: "a}', 1, 22, 'Expected a closing `"`'],
    [
      'text after the block',
      '| a: x @A {seed: 1} more',
      1,
      21,
      'Expected only a `,` or a `#` comment',
    ],
    [
      'junk after a quoted value',
      '| a: x @A {negative: "a" b}',
      1,
      26,
      'Expected `,` or `}` after the value of `negative`',
    ],
    [
      'bad opacity',
      '| a: x @A {opacity: 3}',
      1,
      21,
      'Expected `opacity` to be a number from 0 to 1',
    ],
    [
      'bad strength',
      '| a: x @A {strength: 50%}',
      1,
      22,
      'Expected `strength` to be a number from 0 to 1',
    ],
    ['bad seed', '| a: x @A {seed: -1}', 1, 18, 'Expected `seed` to be a non-negative integer'],
    ['bad x', '| a: x @A {x: left}', 1, 15, 'Expected `x` to be a number of pixels'],
    ['zero width', '| a: x @A {w: 0}', 1, 15, 'Expected `w` to be a positive number'],
    ['bad fit', '| a: x @A {fit: stretch}', 1, 17, 'Expected `fit` to be one of `cover`'],
    ['bad anchor', '| a: x @A {anchor: middle}', 1, 20, 'Expected `anchor` to be one of'],
    ['bad blend', '| a: x @A {blend: multiple}', 1, 19, '(did you mean `multiply`?)'],
    ['bad size', '| a: x @A {size: 0x10}', 1, 18, 'Expected `size` to be `WxH`'],
    [
      'bad matte',
      '| a: x @A {matte: green}',
      1,
      19,
      'Expected `matte` to be `none`, `alpha`, `auto`, `chroma`',
    ],
    ['bad from', '| a: x @A {from: b}', 1, 18, 'no layer is called `b`'],
    ['from cycle', '| a: x @A {from: b}\n| b: y @B {from: a}', 1, 18, 'is a cycle'],
    ['from itself', '| a: x @A {from: a}', 1, 18, 'is a cycle'],
    ['empty option name', '| a: x @A {opt.: 1}', 1, 16, 'Expected an option name'],
    ['__proto__ option', '| a: x @A {opt.__proto__: 1}', 1, 12, 'other than `__proto__`'],
    ['unknown key char', '| a: x @A {!: 1}', 1, 12, 'Expected an attribute name'],
    ['undefined variable', '| a: a $hero b @A', 1, 8, 'Undefined variable `$hero`'],
    ['undefined braced variable', `| a: \${hero}s @A`, 1, 6, `Undefined variable \`\${hero}\``],
    ['unclosed ${', '| a: ${hero @A', 1, 6, 'Expected `}` to close `${`'],
    [`bad \${} name`, `| a: \${a b} @A`, 1, 8, 'Expected a variable name'],
    ['variable before its define', '| a: $v @A\ndefine v: x', 1, 6, 'Undefined variable `$v`'],
    ['bad size directive', 'size 10 by 10', 1, 6, 'Expected `size` to be the canvas size `WxH`'],
    ['too big canvas', 'size 20000x10\n| a @A', 1, 6, 'from 1 to 16384'],
    [
      'bad background',
      'background not-a-colour',
      1,
      12,
      'Expected `background` to be a CSS colour',
    ],
    ['bad seed directive', 'seed: 1.5', 1, 7, 'Expected `seed` to be a non-negative integer'],
    ['bad format', 'format gif', 1, 8, 'Expected `format` to be `png`, `webp`, `jpeg` or `avif`'],
    ['bad compression', 'format png {compression: 10}', 1, 26, 'an integer from 0 to 9'],
    ['bad lossless', 'format avif {lossless: yes}', 1, 24, '`true` or `false`'],
    ['bad quality', 'format webp {quality: 0}', 1, 23, 'an integer from 1 to 100'],
    ['repeated directive', 'seed 1\nseed 2', 2, 1, '`seed` at most once'],
    ['define without colon', 'define hero a knight', 1, 13, 'Expected `:`'],
    ['define without name', 'define = x', 1, 8, 'Expected a variable name after `define`'],
    ['define twice', 'define a: x\ndefine a: y', 2, 8, 'already defined on line 1'],
    ['prompt too long', `| a: ${'x'.repeat(100_001)} @A`, 1, 6, 'at most 100000 characters'],
    [
      'name too long',
      `| ${'n'.repeat(101)}: x @A`,
      1,
      3,
      'Expected `name` to be a name of at most 100 characters',
    ],
    ['columns in code points', '| 😀😀: x @A {seed: x}', 1, 19, 'Expected `seed`'],
  ])('%s', (_name, text, line, column, message) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(LayerNotationError);
    expect(error.code).toBe('layer_notation_error');
    expect(error.message).toContain(message);
    expect([error.line, error.column]).toEqual([line, column]);
  });

  it('shows the line and a caret in toString()', () => {
    const error = errorOf('size 10x10\n| a: x @A {opacity: 3}');
    expect(error.toString()).toBe(
      [
        'LayerNotationError: Expected `opacity` to be a number from 0 to 1 or a percentage such as `80%`, got `3` (line 2, column 21)',
        '2 | | a: x @A {opacity: 3}',
        '  |                     ^',
      ].join('\n'),
    );
    expect(error.source).toBe('| a: x @A {opacity: 3}');
  });

  it('refuses more than 1,000 layers at the 1,001st', () => {
    const text = Array.from({ length: 1001 }, (_, index) => `| l${index}: x @A`).join('\n');
    const error = errorOf(text);
    expect([error.line, error.column]).toEqual([1001, 1]);
    expect(error.message).toContain('at most 1000 layers');
    expect(parseLayerNotation(text.slice(0, text.lastIndexOf('\n'))).layers).toHaveLength(1000);
  });

  it('refuses more than 1 MiB, counted in UTF-8 bytes', () => {
    const ascii = `| a: x @A\n#${'x'.repeat(maxNotationBytes - 11)}`;
    expect(parseLayerNotation(ascii).layers).toHaveLength(1);
    expect(errorOf(`${ascii}x`).message).toContain('at most 1 MiB');
    const wide = `| a: x @A\n#${'字'.repeat(Math.ceil(maxNotationBytes / 3))}`;
    expect(errorOf(wide).message).toContain('at most 1 MiB');
  });

  it('refuses variables that grow a prompt past the limit', () => {
    const lines = ['define a: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'];
    for (let index = 0; index < 20; index++)
      lines.push(
        `define a${index}: $${index === 0 ? 'a' : `a${index - 1}`}$${index === 0 ? 'a' : `a${index - 1}`}`,
      );
    lines.push('| x: $a19 @A');
    expect(errorOf(lines.join('\n')).message).toContain('to expand to at most 100000 characters');
  });

  it('throws a LayerNotationError for a text that is not a string', () => {
    const error = errorOf(42 as unknown as string);
    expect(error).toBeInstanceOf(LayerNotationError);
    expect(error.message).toContain('Expected the notation to be a string, got `42` (number)');
  });

  it('throws a ValidationError naming the field for malformed options', () => {
    expect(() => parseLayerNotation('| a @A', { variables: { 'a b': 'x' } })).toThrow(
      ValidationError,
    );
    expect(() =>
      parseLayerNotation('| a @A', { variables: { a: 1 } } as unknown as Parameters<
        typeof parseLayerNotation
      >[1]),
    ).toThrow(/options\.variables\.a|variables/);
    expect(() => parseLayerNotation('| a @A', { defaultSize: { width: 0, height: 1 } })).toThrow(
      ValidationError,
    );
  });
});
