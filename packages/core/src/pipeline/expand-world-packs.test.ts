import { describe, expect, it } from 'vitest';
import { loadWorldPack } from '../packs/load-world-pack.js';
import { WorldPackError } from '../packs/world-pack-error.js';
import { testManifest, writeTestPack } from '../packs/write-test-pack.js';
import { thrownBy } from '../testing/thrown-by.js';
import type { Composition } from '../types/composition.js';
import { expandWorldPacks } from './expand-world-packs.js';

async function packs() {
  const manifest = testManifest({ variables: { metal: 'blackened steel' } });
  const entities = manifest.entities as Record<string, Record<string, unknown>>;
  entities.knight!.prompt = 'a knight in $metal, costs $$5';
  entities.knight!.defaults = {
    placement: { x: 0.1, y: 0.3, width: 0.4, height: 0.7, anchor: 'bottom' },
    blend: 'multiply',
    opacity: 0.8,
    matte: 'alpha',
    size: { width: 512, height: 768 },
  };
  entities.wolf!.negativePrompt = 'cartoon';
  return new Map([['w', await loadWorldPack(await writeTestPack(manifest))]]);
}

function base(layer: Record<string, unknown>, style?: Record<string, unknown>): Composition {
  const composition: unknown = {
    width: 1000,
    height: 500,
    packs: [{ alias: 'w', source: './ember' }],
    layers: [{ id: 'hero', provider: 'A', ...layer }],
    ...(style === undefined ? {} : { style: { provider: 'Z', ...style } }),
  };
  return composition as Composition;
}

describe('expandWorldPacks precedence', () => {
  it("applies the subject's defaults where the layer sets nothing", async () => {
    const expanded = expandWorldPacks(base({ prompt: '$w.knight on $w.wolf' }), await packs());
    expect(expanded.composition.packs).toBeUndefined();
    expect(expanded.composition.layers[0]).toEqual({
      id: 'hero',
      provider: 'A',
      prompt: 'a knight in blackened steel, costs $5 on a grey dire wolf with glowing eyes',
      placement: { x: 100, y: 150, width: 400, height: 350, anchor: 'bottom' },
      blend: 'multiply',
      opacity: 0.8,
      matte: 'alpha',
      size: { width: 512, height: 768 },
      negativePrompt: 'modern clothes, cartoon',
    });
    expect(expanded.steps.get('hero')?.subject?.id).toBe('knight');
  });

  it("keeps the layer's own values, placement field by field", async () => {
    const expanded = expandWorldPacks(
      base({
        prompt: 'a banner, then $w.knight',
        placement: { x: 5, height: 100 },
        blend: 'normal',
        opacity: 1,
        matte: 'none',
        negativePrompt: 'blur',
      }),
      await packs(),
    );
    expect(expanded.composition.layers[0]).toMatchObject({
      placement: { x: 5, y: 150, width: 400, height: 100, anchor: 'bottom' },
      blend: 'normal',
      opacity: 1,
      matte: 'none',
      negativePrompt: 'blur',
    });
  });

  it('takes the first entity as the subject, and the style strength unless the style line sets one', async () => {
    const loaded = await packs();
    const expanded = expandWorldPacks(
      base({ prompt: '$w.wolf beside $w.knight' }, { prompt: '$w.styles.ink, soft' }),
      loaded,
    );
    expect(expanded.steps.get('hero')?.subject?.id).toBe('wolf');
    expect(expanded.composition.layers[0]!.placement).toBeUndefined();
    expect(expanded.composition.style).toMatchObject({
      prompt: 'ink wash, sepia, soft',
      strength: 0.4,
    });
    const own = expandWorldPacks(
      base({ prompt: 'x' }, { prompt: '$w.styles.ink', strength: 0.9 }),
      loaded,
    );
    expect(own.composition.style?.strength).toBe(0.9);
    expect(own.steps.has('hero')).toBe(false);
  });

  it('refuses a use that was not resolved', async () => {
    const error = thrownBy(
      () => expandWorldPacks(base({ prompt: '$w.knight' }), new Map()),
      WorldPackError,
    );
    expect(error.code).toBe('pack_alias');
  });
});
