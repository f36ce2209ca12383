import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { formatPath } from '../schema/format-issues.js';
import type { Composition } from '../types/composition.js';
import type { Layer } from '../types/layer.js';
import { formatLayerNotation } from './format-layer-notation.js';
import { parseLayerNotation } from './parse-layer-notation.js';

const base = (layer: Partial<Layer> = {}, extra: Partial<Composition> = {}): Composition => ({
  width: 1024,
  height: 1024,
  layers: [{ id: 'hero', prompt: 'a knight', provider: 'A', ...layer }],
  ...extra,
});

/** The ValidationError thrown by formatting `composition`. */
function errorOf(composition: Composition): ValidationError {
  try {
    formatLayerNotation(composition);
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error('expected formatLayerNotation to fail');
}

describe('formatLayerNotation', () => {
  it('writes canonical notation: directives, a blank line, layers top first, the style line', () => {
    const composition: Composition = {
      width: 1024,
      height: 1536,
      background: '#f4efe6',
      seed: 42,
      output: { format: 'webp', quality: 90 },
      layers: [
        {
          id: 'hero',
          prompt: 'a knight in silver armour',
          provider: 'A',
          negativePrompt: 'blurry, "soft"',
          seed: 7,
          size: { width: 512, height: 768 },
          placement: {
            x: 256,
            y: -10.5,
            width: 512,
            height: 768,
            fit: 'contain',
            anchor: 'bottom',
          },
          blend: 'multiply',
          opacity: 0.8,
          matte: { chromaKey: '#00ff00' },
          strength: 0.5,
          from: 'scene',
          options: { steps: 30, hd: true, style: null, sampler: 'dpm++ 2m' },
        },
        { id: 'scene', prompt: 'a misty forest', provider: 'B', matte: 'none' },
      ],
      style: {
        prompt: 'watercolour',
        provider: 'Z',
        strength: 0.35,
        seed: 1,
        negativePrompt: 'photo',
        options: { steps: 20 },
      },
    };
    const text = formatLayerNotation(composition);
    expect(text).toBe(
      [
        'size 1024x1536',
        'background #f4efe6',
        'seed 42',
        'format webp {quality: 90}',
        '',
        '| hero: a knight in silver armour @A {x: 256, y: -10.5, w: 512, h: 768, fit: contain, anchor: bottom, blend: multiply, opacity: 0.8, seed: 7, negative: "blurry, \\"soft\\"", size: 512x768, matte: #00ff00, from: scene, strength: 0.5, opt.steps: 30, opt.hd: true, opt.style: null, opt.sampler: "dpm++ 2m"}',
        '| scene: a misty forest @B {matte: none}',
        '— style: watercolour @Z {strength: 0.35, seed: 1, negative: "photo", opt.steps: 20}',
        '',
      ].join('\n'),
    );
    expect(parseLayerNotation(text)).toEqual(composition);
  });

  it('always writes the canvas size, so the text does not depend on parse options', () => {
    const composition = parseLayerNotation('| a @A {w: 50%}', {
      defaultSize: { width: 640, height: 480 },
    });
    expect(formatLayerNotation(composition)).toBe('size 640x480\n\n| layer1: a @A {w: 320}\n');
  });

  it.each([
    ['comment sign', 'fan #1', 'fan \\#1'],
    ['at sign', 'mail me@home', 'mail me\\@home'],
    ['dollar', '100$ and $hero', '100$$ and $$hero'],
    ['braces', '{{masterpiece}}', '\\{\\{masterpiece\\}\\}'],
    ['backslash', 'C:\\Users\\', 'C:\\\\Users\\\\'],
    ['leading and trailing space', ' padded ', '\\ padded\\ '],
    ['one space', ' ', '\\ '],
    ['ideographic space at the end', '字\u3000', '字\\\u3000'],
    ['trailing comma', 'a, b,', 'a, b,'],
    ['a colon', 'portrait: 16:9', 'portrait: 16:9'],
    ['an ellipsis', '……', '……'],
    ['a leading label', 'style: ink', 'style: ink'],
    ['dashes and pipes', '—｜|--', '—｜|--'],
    ['emoji and lone surrogates', '😀\uD800x', '😀\uD800x'],
  ])('escapes a prompt with a %s', (_name, prompt, written) => {
    const composition = base({ prompt }, { style: { prompt, provider: 'Z' } });
    const text = formatLayerNotation(composition);
    expect(text).toContain(`| hero: ${written} @A\n`);
    expect(text).toContain(`— style: ${written} @Z\n`);
    expect(parseLayerNotation(text)).toEqual(composition);
  });

  it('quotes negative prompts and option strings, doubling $ only where it expands', () => {
    const composition = base({
      negativePrompt: 'no $5 "deals", \\ or #tags}',
      options: { template: '$x "y" \\', number: '30', flag: 'true', empty: '' },
    });
    const text = formatLayerNotation(composition);
    expect(text).toContain('negative: "no $$5 \\"deals\\", \\\\ or #tags}"');
    expect(text).toContain('opt.template: "$x \\"y\\" \\\\"');
    expect(text).toContain('opt.number: "30", opt.flag: "true", opt.empty: ""');
    expect(parseLayerNotation(text)).toEqual(composition);
  });

  it('keeps numbers exact, including -0 and exponents', () => {
    const composition = base({
      placement: { x: -0, y: 1e-7, width: 0.1 + 0.2 + 1 },
      opacity: 5e-324,
      options: { big: 1.5e300, negative: -0 },
    });
    expect(parseLayerNotation(formatLayerNotation(composition))).toEqual(composition);
  });

  it('leaves out empty placement and options objects', () => {
    expect(formatLayerNotation(base({ placement: {}, options: {} }))).toBe(
      'size 1024x1024\n\n| hero: a knight @A\n',
    );
  });

  it('round-trips notation: parse(format(parse(x))) equals parse(x)', () => {
    const texts = [
      '｜layer1: 人物 prompts @A,\n｜layer2: 场景 prompt @B\n｜……\n｜layerx：prompt @X\n—style prompt @Z\n',
      'size 800x600\ndefine h: a $$5 knight\n| $h, \\#1 @A {x: 10%, h: 50%, opacity: 80%, matte: chroma}\n| b: bg @B {from: layer1}',
      '| a: x @A {negative: "a, b", opt.n: 1e3, opt.s: "1e3", opt.t: text}\n-- ink @Z {strength: .5}',
      'background rgb(0 0 0 / 50%)\nformat jpg\nseed 0\n| a: \\ x\\  @A',
    ];
    for (const text of texts) {
      const composition = parseLayerNotation(text);
      expect(parseLayerNotation(formatLayerNotation(composition))).toEqual(composition);
    }
  });

  it.each<[string, Composition, string]>([
    [
      'a mask',
      base({ mask: { type: 'rect', x: 0, y: 0, width: 10, height: 10 } }),
      'layers[0].mask',
    ],
    ['a fallback provider list', base({ provider: ['A', 'B'] }), 'layers[0].provider'],
    [
      'a style fallback list',
      base({}, { style: { prompt: 'x', provider: ['A', 'B'] } }),
      'style.provider',
    ],
    [
      'a chroma tolerance',
      base({ matte: { chromaKey: '#00ff00', tolerance: 0.2 } }),
      'layers[0].matte',
    ],
    ['a named chroma colour', base({ matte: { chromaKey: 'lime' } }), 'layers[0].matte.chromaKey'],
    ['a line break in a prompt', base({ prompt: 'a\nb' }), 'layers[0].prompt'],
    [
      'a line break in a negative prompt',
      base({ negativePrompt: 'a\rb' }),
      'layers[0].negativePrompt',
    ],
    ['an object option', base({ options: { nested: { a: 1 } } }), 'layers[0].options.nested'],
    ['a non-finite option', base({ options: { n: Number.NaN } }), 'layers[0].options.n'],
    ['an option name with a space', base({ options: { 'a b': 1 } }), 'layers[0].options.a b'],
    ['a padded background', base({}, { background: ' red' }), 'background'],
  ])('refuses %s with a ValidationError naming the field', (_name, composition, field) => {
    const error = errorOf(composition);
    expect(error).toBeInstanceOf(ValidationError);
    expect(formatPath(error.issues[0]!.path)).toBe(field);
  });

  it('validates the composition first', () => {
    const error = errorOf(base({ opacity: 3 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('layers[0].opacity');
  });
});
