import { LayerNotationError, parseLayerNotation, ValidationError } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { editLayerNotation } from './edit-layer-notation.js';

const text = [
  '# A knight in front of a forest.',
  'size 800x600',
  'define knight: a knight in silver armour',
  '',
  '｜hero: $knight, full body @A {h: 70%, y: 30%, anchor: bottom, matte: #00ff00} # the star',
  '｜……',
  '| fog: low fog, "soft" @B,',
  '| a man: portrait\\@home @C {negative: "people, text"; opacity: 50%}',
  '— style: watercolour @Z {strength: 0.35}',
  '',
].join('\n');

describe('editLayerNotation', () => {
  it('changes only the edited line, keeping comments, defines and variables as written', () => {
    const edited = editLayerNotation(text, 'hero', { opacity: 0.25, height: 120 });
    const lines = edited.split('\n');
    expect(lines[4]).toBe(
      '｜hero: $knight, full body @A {h: 120, y: 30%, anchor: bottom, matte: #00ff00, opacity: 0.25} # the star',
    );
    expect(lines.filter((_, index) => index !== 4)).toEqual(
      text.split('\n').filter((_, index) => index !== 4),
    );
    const hero = parseLayerNotation(edited).layers[0]!;
    expect(hero).toMatchObject({ opacity: 0.25, placement: { height: 120, y: 180 } });
  });

  it('adds a block after the alias, before a trailing comma', () => {
    const edited = editLayerNotation(text, 'fog', { blend: 'screen', x: -8 });
    expect(edited.split('\n')[6]).toBe('| fog: low fog, "soft" @B {blend: screen, x: -8},');
  });

  it('replaces a value in a block that uses semicolons and quotes', () => {
    const edited = editLayerNotation(text, 'layer3', { opacity: 1, seed: 9 });
    expect(edited.split('\n')[7]).toBe(
      '| a man: portrait\\@home @C {negative: "people, text", opacity: 1, seed: 9}',
    );
  });

  it('writes a seed on the style line, and nothing else', () => {
    expect(editLayerNotation(text, 'style', { seed: 4 }).split('\n')[8]).toBe(
      '— style: watercolour @Z {strength: 0.35, seed: 4}',
    );
    expect(() => editLayerNotation(text, 'style', { opacity: 0.5 })).toThrow(ValidationError);
  });

  it('names a step that does not exist, and passes notation errors through', () => {
    expect(() => editLayerNotation(text, 'nobody', { opacity: 1 })).toThrow(/no step "nobody"/);
    expect(() => editLayerNotation('| a: x', 'a', { opacity: 1 })).toThrow(LayerNotationError);
  });
});
