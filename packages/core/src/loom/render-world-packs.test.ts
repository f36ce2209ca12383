import { describe, expect, it } from 'vitest';
import { memoryCache } from '../cache/memory-cache.js';
import { WorldPackError } from '../packs/world-pack-error.js';
import { testManifest, tinyPng, writeTestPack } from '../packs/write-test-pack.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import { createRecordingCompositor } from '../testing/create-recording-compositor.js';
import { rejectionOf } from '../testing/thrown-by.js';
import type { Composition } from '../types/composition.js';
import type { RenderManifest } from '../types/render-result.js';
import { createLoom } from './create-loom.js';

const text = (directory: string) => `size 200x100
seed 7
use ${directory} as w
｜hero: $w.knight riding $w.wolf @A {opacity: 0.9}
｜scene: a burnt valley @B
— \${w.styles.ink} @Z
`;

function setup(options: { maxReferenceImages?: number } = {}) {
  const providers = {
    A: createMockProvider({
      id: 'a1111',
      modelId: 'sdxl',
      capabilities: { maxReferenceImages: options.maxReferenceImages ?? 0 },
    }),
    B: createMockProvider({ id: 'openai', modelId: 'gpt-image-1' }),
    Z: createMockProvider({ id: 'a1111', modelId: 'sdxl', capabilities: { imageInput: true } }),
  };
  const cache = memoryCache();
  const loom = createLoom({ providers, compositor: createRecordingCompositor(), cache });
  return { providers, loom, cache };
}

describe('rendering with world packs', () => {
  it('expands references, applies entity defaults and sends the binding', async () => {
    const directory = await writeTestPack();
    const { loom, providers } = setup();
    const plan = await loom.plan(text(directory));
    const hero = plan.steps.find((step) => step.id === 'hero')!;
    expect(hero.request.prompt).toContain(
      'a knight in soot-black armour with an ember crest riding a grey dire wolf with glowing eyes',
    );
    expect(hero.request.negativePrompt).toBe('modern clothes');
    // The knight's placement (fractions of the canvas) in pixels; the layer's own opacity kept.
    expect(hero.placement).toEqual({ x: 20, y: 30, width: 80, height: 70, anchor: 'bottom' });
    expect(plan.composition.layers[0]!.opacity).toBe(0.9);
    expect(hero.request.binding).toMatchObject({
      providerId: 'a1111',
      checkpoint: 'emberXL_v2.safetensors',
      loras: [{ name: 'ember-knight', weight: 0.8 }],
      subject: { pack: '@studio/ember-world', kind: 'entity', id: 'knight', name: 'Ser Ember' },
      packs: [{ name: '@studio/ember-world', version: '1.2.3' }],
    });
    expect(hero.request.referenceImages).toBeUndefined();
    expect(hero.warnings.join('\n')).toContain('takes no reference images');
    const style = plan.steps.find((step) => step.id === 'style')!;
    expect(style.request.prompt).toBe('ink wash, sepia');
    expect(style.request.strength).toBe(0.4);
    expect(style.request.binding).toMatchObject({
      checkpoint: 'inkmix',
      subject: { kind: 'style' },
    });
    expect(plan.packs).toEqual([
      expect.objectContaining({
        alias: 'w',
        name: '@studio/ember-world',
        version: '1.2.3',
        license: 'CC-BY-4.0',
        attribution: 'Ember World by Mira Ash',
        authors: ['Mira Ash'],
      }),
    ]);
    expect(plan.packUsage).toEqual([
      {
        pack: '@studio/ember-world',
        version: '1.2.3',
        kind: 'entity',
        id: 'knight',
        steps: ['hero'],
      },
      {
        pack: '@studio/ember-world',
        version: '1.2.3',
        kind: 'entity',
        id: 'wolf',
        steps: ['hero'],
      },
      { pack: '@studio/ember-world', version: '1.2.3', kind: 'style', id: 'ink', steps: ['style'] },
    ]);
    expect(providers.A.calls).toBe(0);

    const result = await loom.render(text(directory));
    const received = providers.A.requests[0]!;
    expect(received.binding?.checkpoint).toBe('emberXL_v2.safetensors');
    expect(received.prompt).toContain('a knight in soot-black armour');
    expect(result.packUsage).toEqual(plan.packUsage);
    expect(result.manifest.packUsage).toEqual(plan.packUsage);
    expect(result.manifest.packs?.[0]?.attribution).toBe('Ember World by Mira Ash');
    const locked = result.manifest.composition.packs![0]!;
    expect(locked).toEqual({
      alias: 'w',
      source: directory,
      version: '1.2.3',
      contentHash: plan.packs![0]!.contentHash,
    });
    expect(result.manifest.composition.layers[0]!.prompt).toBe('$w.knight riding $w.wolf');
  });

  it('sends the entity reference images to providers that take them', async () => {
    const directory = await writeTestPack();
    const { loom, providers } = setup({ maxReferenceImages: 4 });
    await loom.render(text(directory));
    const images = providers.A.requests[0]!.referenceImages!;
    expect(images).toHaveLength(1);
    expect(images[0]!.mediaType).toBe('image/png');
  });

  it("sends an OpenAI binding's reference images to a provider of id openai that takes them", async () => {
    const manifest = testManifest();
    const knight = (manifest.entities as Record<string, Record<string, unknown>>).knight!;
    knight.referenceImages = [{ path: 'refs/knight.png' }, { path: 'refs/side.png' }];
    knight.bindings = { openai: { referenceImages: ['refs/side.png'] } };
    const directory = await writeTestPack(manifest, {
      'refs/knight.png': tinyPng(),
      'refs/side.png': tinyPng(90),
    });
    const openai = createMockProvider({
      id: 'openai',
      modelId: 'gpt-image-1',
      capabilities: { maxReferenceImages: 4 },
    });
    const loom = createLoom({ providers: { O: openai }, compositor: createRecordingCompositor() });
    await loom.render(`use ${directory} as w\n| hero: $w.knight @O`);
    const sent = openai.requests[0]!;
    expect(sent.referenceImages?.map((image) => Buffer.from(image.bytes))).toEqual([
      Buffer.from(tinyPng(90)),
    ]);
    expect(sent.binding).toMatchObject({ providerId: 'openai', subject: { id: 'knight' } });
  });

  it('misses the cache when the pack content changes', async () => {
    const directory = await writeTestPack();
    const { loom, providers } = setup();
    await loom.render(text(directory));
    await loom.render(text(directory));
    expect(providers.A.calls).toBe(1);
    const manifest = testManifest();
    (manifest.entities as Record<string, Record<string, unknown>>).wolf!.tags = ['changed'];
    await writeTestPack(manifest, undefined, directory);
    await loom.render(text(directory));
    expect(providers.A.calls).toBe(2);
    // The scene names no pack: its cache entry stays valid.
    expect(providers.B.calls).toBe(1);
  });

  it('replays a manifest with the same pack, and refuses another version', async () => {
    const directory = await writeTestPack();
    const { loom } = setup();
    const first = await loom.render(text(directory));
    const saved = JSON.parse(JSON.stringify(first.manifest)) as RenderManifest;
    const replay = await loom.render(saved.composition as Composition);
    expect(replay.manifest.outputSha256).toBe(first.manifest.outputSha256);
    await writeTestPack(testManifest({ version: '1.3.0' }), undefined, directory);
    const error = await rejectionOf(loom.render(saved.composition as Composition), WorldPackError);
    expect(error.code).toBe('pack_replay_mismatch');
    expect(error.expectedVersion).toBe('1.2.3');
    expect(error.message).toContain('@studio/ember-world@1.2.3');
    expect(error.message).toContain('found version 1.3.0');
  });

  it('refuses unknown entities with the closest id, before any provider call', async () => {
    const directory = await writeTestPack();
    const { loom, providers } = setup();
    const error = await rejectionOf(
      loom.render(`use ${directory} as w\n| hero: $w.knigt @A`),
      WorldPackError,
    );
    expect(error.code).toBe('pack_unknown_reference');
    expect(error.suggestion).toBe('knight');
    expect(error.message).toContain('`layers[0].prompt`: `$w.knigt` names no entity');
    expect(error.message).toContain('did you mean `knight`?');
    const style = await rejectionOf(
      loom.render(`use ${directory} as w\n| a: $w.ink @A`),
      WorldPackError,
    );
    expect(style.message).toContain('`ink` is a style: write `$w.styles.ink`');
    expect(providers.A.calls).toBe(0);
  });

  it('resolves relative `use` paths from packDirectory', async () => {
    const directory = await writeTestPack();
    const { loom } = setup();
    const plan = await loom.plan('use ./ as w\n| a: $w.wolf @B', { packDirectory: directory });
    expect(plan.steps[0]!.request.prompt).toBe('a grey dire wolf with glowing eyes');
    expect(plan.steps[0]!.request.binding).toMatchObject({ subject: { id: 'wolf' } });
    expect(plan.steps[0]!.request.binding?.providerId).toBeUndefined();
  });
});
