import { describe, expect, it } from 'vitest';
import { LayerNotationError } from '../errors/layer-notation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Composition } from '../types/composition.js';
import { formatLayerNotation } from './format-layer-notation.js';
import { parseLayerNotation } from './parse-layer-notation.js';

const text = `size 512x512

| hero: a knight @A {matte: auto, harmonize: scene amount 0.6, shadow: angle 120 blur 12 opacity 40%, wrap: amount 0.3 radius 6}
| fox: a fox @A {harmonize: #c08040 #203040 mode white-balance, shadow: on, wrap: on}
| scene: a forest @B
`;

describe('harmony in layer notation', () => {
  it('reads harmonize, shadow, wrap and matte auto', () => {
    const composition = parseLayerNotation(text);
    expect(composition.layers[0]).toMatchObject({
      matte: 'auto',
      harmonize: { to: 'scene', amount: 0.6 },
      shadow: { angle: 120, blur: 12, opacity: 0.4 },
      lightWrap: { amount: 0.3, radius: 6 },
    });
    expect(composition.layers[1]).toMatchObject({
      harmonize: { to: { palette: ['#c08040', '#203040'] }, mode: 'white-balance' },
      shadow: {},
      lightWrap: {},
    });
  });

  it('round-trips through formatLayerNotation', () => {
    const composition = parseLayerNotation(text);
    const written = formatLayerNotation(composition);
    expect(written).toContain(
      '{matte: auto, harmonize: scene amount 0.6, shadow: angle 120 blur 12 opacity 0.4, wrap: amount 0.3 radius 6}',
    );
    expect(written).toContain(
      '{harmonize: #c08040 #203040 mode white-balance, shadow: on, wrap: on}',
    );
    expect(parseLayerNotation(written)).toEqual(composition);
  });

  it('says what is wrong, at the value', () => {
    const error = (attributes: string) => {
      try {
        parseLayerNotation(`| hero: a knight @A {${attributes}}\n| scene: a forest @B`);
      } catch (caught) {
        expect(caught).toBeInstanceOf(LayerNotationError);
        return (caught as LayerNotationError).message;
      }
      throw new Error('expected a LayerNotationError');
    };
    expect(error('harmonize: scene amount 3')).toContain(
      'Expected `amount` in `harmonize` to be a number from 0 to 1 or a percentage such as `40%`, got `3`',
    );
    expect(error('harmonize: scene mode sepia')).toContain(
      'Expected `mode` in `harmonize` to be `full` or `white-balance`, got `sepia`',
    );
    expect(error('shadow: angle')).toContain('Expected a value after `angle` in `shadow`');
    expect(error('shadow: spread 4')).toContain(
      'Expected `shadow` to hold `NAME VALUE` pairs with NAME one of `angle`, `distance`, `blur`, `opacity`, `color`, got `spread`',
    );
    expect(error('wrap: radius 0')).toContain(
      'Expected `radius` in `wrap` to be a number from 1 to 1000, got `0`',
    );
    expect(error('harmonize: sky')).toContain(
      'layer "hero" is matched to "sky", but no layer has that id',
    );
  });

  it('refuses to write what the notation cannot hold', () => {
    const composition: Composition = {
      width: 64,
      height: 64,
      layers: [
        { id: 'hero', prompt: 'a knight', provider: 'A', harmonize: { to: { palette: ['red'] } } },
      ],
    };
    expect(() => formatLayerNotation(composition)).toThrow(ValidationError);
    expect(() => formatLayerNotation(composition)).toThrow('got "red"');
    const stack: Composition = {
      width: 64,
      height: 64,
      harmonize: { to: 'scene' },
      layers: [
        { id: 'hero', prompt: 'a knight', provider: 'A' },
        { id: 'scene', prompt: 'a field', provider: 'A' },
      ],
    };
    expect(() => formatLayerNotation(stack)).toThrow('Expected no stack-wide `harmonize`');
  });
});
