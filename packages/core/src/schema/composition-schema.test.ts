import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import type { Composition } from '../types/composition.js';
import { compositionSchema } from './composition-schema.js';
import { defineComposition, validateComposition } from './define-composition.js';

const base = {
  width: 1024,
  height: 1024,
  layers: [
    { id: 'hero', prompt: 'a knight in silver armour', provider: 'A' },
    { id: 'scene', prompt: 'misty forest at dawn', provider: 'B' },
  ],
} satisfies Composition;

function problems(value: unknown): string[] {
  try {
    validateComposition(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => issue.message);
  }
  throw new Error('expected a ValidationError');
}

describe('compositionSchema', () => {
  it('accepts a full composition and returns it unchanged', () => {
    const full: Composition = {
      ...base,
      background: '#f4efe6',
      seed: 42,
      output: { format: 'webp', quality: 90 },
      layers: [
        {
          id: 'hero',
          prompt: 'a knight',
          provider: ['A', 'A2'],
          negativePrompt: 'blurry',
          seed: 7,
          size: { width: 1024, height: 1536 },
          placement: { x: -10, y: 20, width: 500, height: 700, fit: 'contain', anchor: 'bottom' },
          blend: 'multiply',
          opacity: 0.7,
          mask: { type: 'ellipse', x: 0, y: 0, width: 500, height: 700, feather: 12 },
          matte: { chromaKey: '#00ff00', tolerance: 0.2, softness: 0.1 },
          strength: 0.4,
          from: 'scene',
          options: { quality: 'high' },
        },
        { id: 'scene', prompt: 'forest', provider: 'B', matte: 'none' },
      ],
      style: { prompt: 'watercolour', provider: 'Z', strength: 0.35, seed: 7 },
    };
    expect(compositionSchema.parse(full)).toEqual(full);
    expect(defineComposition(full)).toBe(full);
  });

  it('names the field, what was expected and what was received', () => {
    expect(problems({ ...base, width: 0 })).toEqual([
      'Expected `width` to be an integer from 1 to 16384, got `0` (number)',
    ]);
    expect(
      problems({ ...base, layers: [{ ...base.layers[0], opacity: 3 }, base.layers[1]] }),
    ).toEqual(['Expected `layers[0].opacity` to be a number from 0 to 1, got `3` (number)']);
    expect(problems({ ...base, layers: [{ ...base.layers[0], blend: 'burn' }] })[0]).toMatch(
      /^Expected `layers\[0\]\.blend` to be a W3C blend mode \(normal, multiply, .*\), got "burn" \(string\)$/,
    );
    expect(problems({ ...base, background: 'blurple' })).toEqual([
      'Expected `background` to be a CSS colour, got "blurple" (string)',
    ]);
    expect(problems({ ...base, layers: [] })).toEqual([
      'Expected `layers` to be an array of at least one layer, got an array of 0',
    ]);
    expect(problems({ ...base, layers: [{ id: 'x', provider: 'A' }] })).toEqual([
      'Expected `layers[0].prompt` to be a string, got nothing',
    ]);
    expect(problems({ ...base, layers: [{ ...base.layers[0], opactiy: 1 }] })).toEqual([
      'Unknown key `opactiy` in `layers[0]`',
    ]);
    expect(problems('nope')).toEqual([
      'Expected `composition` to be a composition object, got "nope" (string)',
    ]);
  });

  it('reports every problem at once', () => {
    expect(
      problems({ width: -1, height: 1.5, layers: [{ id: 'bad id!', prompt: '', provider: '' }] }),
    ).toHaveLength(5);
  });

  it('checks ids and `from` chains across layers', () => {
    expect(
      problems({ ...base, layers: [base.layers[0], { ...base.layers[1], id: 'hero' }] }),
    ).toEqual(['`layers[1].id`: duplicate layer id "hero" (already used by layers[0])']);
    expect(
      problems({ ...base, layers: [base.layers[0], { ...base.layers[1], id: 'style' }] }),
    ).toEqual([
      '`layers[1].id`: layer id "style" is reserved for the style pass; expected another name (e.g. "style-layer")',
    ]);
    expect(problems({ ...base, layers: [{ ...base.layers[0], id: 'composite' }] })).toEqual([
      '`layers[0].id`: layer id "composite" is reserved for the blend step; expected another name (e.g. "composite-layer")',
    ]);
    expect(
      problems({ ...base, layers: [{ ...base.layers[0], from: 'nowhere' }, base.layers[1]] }),
    ).toEqual(['`layers[0].from`: no layer has the id "nowhere"; expected one of "hero", "scene"']);
    const cyclic = problems({
      ...base,
      layers: [
        { ...base.layers[0], from: 'scene' },
        { ...base.layers[1], from: 'hero' },
      ],
    });
    expect(cyclic).toContain('`layers[0].from`: the chain "hero" -> "scene" -> "hero" is a cycle');
    expect(problems({ ...base, layers: [{ ...base.layers[0], from: 'hero' }] })).toEqual([
      '`layers[0].from`: the chain "hero" -> "hero" is a cycle',
    ]);
  });

  it('accepts names in any script and refuses names with spaces', () => {
    expect(() =>
      validateComposition({
        ...base,
        layers: [{ id: '人物-1', prompt: '人物', provider: '模型_A' }],
      }),
    ).not.toThrow();
    expect(
      problems({ ...base, layers: [{ ...base.layers[0], provider: 'my model' }] })[0],
    ).toContain('`layers[0].provider`');
  });
});
