import { describe, expect, it } from 'vitest';
import { LayerNotationError } from '../errors/layer-notation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { thrownBy } from '../testing/thrown-by.js';
import type { Composition } from '../types/composition.js';
import { formatLayerNotation } from './format-layer-notation.js';
import { findPackReferences } from './pack-reference.js';
import { parseLayerNotation } from './parse-layer-notation.js';

const header = 'use @studio/ember-world@^1.2 as w\nuse ./packs/moss as moss\n';

function notationError(text: string): LayerNotationError {
  return thrownBy(() => parseLayerNotation(text), LayerNotationError);
}

describe('use lines and pack references', () => {
  it('reads `use` lines into `packs` and keeps references in prompts', () => {
    const composition = parseLayerNotation(
      `${header}｜hero: $w.knight riding \${w.wolf}, moss $moss.fern @A\n— \${w.styles.ink} @Z`,
    );
    expect(composition.packs).toEqual([
      { alias: 'w', source: '@studio/ember-world@^1.2' },
      { alias: 'moss', source: './packs/moss' },
    ]);
    expect(composition.layers[0]!.prompt).toBe(`$w.knight riding \${w.wolf}, moss $moss.fern`);
    expect(composition.style!.prompt).toBe(`\${w.styles.ink}`);
    const isAlias = (name: string) => name === 'w' || name === 'moss';
    expect(
      findPackReferences(composition.layers[0]!.prompt, isAlias).map((r) => [
        r.alias,
        r.kind,
        r.id,
      ]),
    ).toEqual([
      ['w', 'entity', 'knight'],
      ['w', 'entity', 'wolf'],
      ['moss', 'entity', 'fern'],
    ]);
    expect(findPackReferences(composition.style!.prompt, isAlias)[0]).toMatchObject({
      kind: 'style',
      id: 'ink',
    });
  });

  it('leaves `$` alone in compositions without `use` lines', () => {
    expect(parseLayerNotation('| a: costs $$5 and $$w.knight @A').layers[0]!.prompt).toBe(
      'costs $5 and $w.knight',
    );
  });

  it('ends an id before a trailing `-` or `.`, and stores defines in braces', () => {
    const composition = parseLayerNotation(
      `${header}define pair: $w.knight and $w.wolf\n| a: $w.knight-, $w.wolf. \${pair}s @A`,
    );
    expect(composition.layers[0]!.prompt).toBe(`$w.knight-, $w.wolf. \${w.knight} and \${w.wolf}s`);
    expect(
      findPackReferences(composition.layers[0]!.prompt, (name) => name === 'w').map((r) => r.id),
    ).toEqual(['knight', 'wolf', 'knight', 'wolf']);
  });

  it('round-trips use lines and references through formatLayerNotation', () => {
    const text = `${header}| hero: costs $$5, $w.knight\\#1 @A {h: 50%}\n— \${w.styles.ink} \\@home @Z`;
    const composition = parseLayerNotation(text);
    expect(composition.layers[0]!.prompt).toBe('costs $5, $w.knight#1');
    const written = formatLayerNotation(composition);
    expect(written).toContain('use @studio/ember-world@^1.2 as w\nuse ./packs/moss as moss\n');
    expect(written).toContain('| hero: costs $$5, $w.knight\\#1 @A');
    expect(parseLayerNotation(written)).toEqual(composition);
  });

  it('formats an object composition whose prompts hold references and literal dollars', () => {
    const composition: Composition = {
      width: 64,
      height: 64,
      packs: [{ alias: 'w', source: './ember' }],
      layers: [{ id: 'a', prompt: `$$w.knight \${w.styles.ink} $5 \${w}`, provider: 'A' }],
    };
    const written = formatLayerNotation(composition);
    expect(written).toContain(`| a: $$$w.knight \${w.styles.ink} $$5 $$\\{w\\} @A`);
    expect(parseLayerNotation(written)).toEqual(composition);
  });

  it('refuses what it cannot write back', () => {
    const error = thrownBy(
      () =>
        formatLayerNotation({
          width: 8,
          height: 8,
          packs: [{ alias: 'w', source: './ember' }],
          layers: [{ id: 'a', prompt: 'x', negativePrompt: 'no $w.knight', provider: 'A' }],
        }),
      ValidationError,
    );
    expect(error.issues[0]!.path).toEqual(['layers', 0, 'negativePrompt']);
  });

  it.each([
    ['use ./a as w\nuse ./b as w\n| a: x @A', 2, 'already used on line 1'],
    ['use ./a\n| a: x @A', 1, 'Expected `use SOURCE as ALIAS`'],
    ['use Not A Pack as w\n| a: x @A', 1, 'Expected `use SOURCE as ALIAS`'],
    ['use ember@banana as w\n| a: x @A', 1, 'pack source'],
    ['use ./a as 1w\n| a: x @A', 1, 'pack alias'],
    ['define w: x\nuse ./a as w\n| a: x @A', 2, 'defined on line 1'],
    ['use ./a as w\ndefine w: x\n| a: x @A', 2, 'alias of the `use` on line 1'],
    ['use ./a as w\n| a: x @A {negative: "no $w.knight"}', 2, 'prompts and `define` values only'],
    ['use ./a as w\n| a: $$w.knight @A', 2, 'would read as a pack reference'],
    ['use ./a as w\n| a: \\$w.knight @A', 2, 'would read as a pack reference'],
    ['use ./a as w\n| a: $w.knight\\-x @A', 2, 'write it in braces, as `$' + '{w.knight}'],
    ['| a: $w.knight @A\nuse ./a as w', 1, 'Undefined variable `$w`'],
  ])('refuses %j at line %i', (text, line, message) => {
    const error = notationError(text);
    expect(error.line).toBe(line);
    expect(error.message).toContain(message);
  });
});
