import { describe, expect, it } from 'vitest';
import { memoryCache } from '../cache/memory-cache.js';
import { ValidationError } from '../errors/validation-error.js';
import { createLoom } from '../loom/create-loom.js';
import { systemClock } from '../scheduler/clock.js';
import { validateComposition } from '../schema/define-composition.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import { createRecordingCompositor } from '../testing/create-recording-compositor.js';
import type { Composition } from '../types/composition.js';
import type { ImageRequest, Provider } from '../types/provider.js';
import { compositedLayers, compositeLayers } from './composite-layers.js';
import { planRender } from './plan-render.js';

const composition = (changes: Partial<Composition> = {}): Composition => ({
  width: 32,
  height: 32,
  seed: 11,
  layers: [
    { id: 'hero', prompt: 'a knight', provider: 'A', harmonize: { to: 'scene', amount: 0.3 } },
    { id: 'dog', prompt: 'a corgi', provider: 'A' },
    { id: 'scene', prompt: 'a field', provider: 'A' },
  ],
  ...changes,
});

const messageOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }
  throw new Error('expected a ValidationError');
};

describe('harmony in the composition schema', () => {
  it('names the layer and the field of an unknown reference, a cycle and a bad amount', () => {
    const withHero = (harmonize: object) =>
      composition({
        layers: [
          { id: 'hero', prompt: 'a knight', provider: 'A', harmonize: harmonize as never },
          { id: 'scene', prompt: 'a field', provider: 'A' },
        ],
      });
    expect(messageOf(() => validateComposition(withHero({ to: 'sky' })))).toContain(
      '`layers[0].harmonize.to`: layer "hero" is matched to "sky", but no layer has that id; expected one of "hero", "scene"',
    );
    expect(messageOf(() => validateComposition(withHero({ to: 'hero' })))).toContain(
      '`layers[0].harmonize.to`: layer "hero" is matched to itself',
    );
    expect(messageOf(() => validateComposition(withHero({ to: 'scene', amount: 1.5 })))).toContain(
      '`layers[0].harmonize.amount`: layer "hero" has a harmony amount of `1.5` (number); expected a number from 0 to 1',
    );
    const cycle = composition({
      layers: [
        { id: 'hero', prompt: 'a knight', provider: 'A', harmonize: { to: 'dog' } },
        { id: 'dog', prompt: 'a corgi', provider: 'A', harmonize: { to: 'hero' } },
        { id: 'scene', prompt: 'a field', provider: 'A' },
      ],
    });
    expect(messageOf(() => validateComposition(cycle))).toContain(
      'layer "hero" is in the harmony cycle "hero" -> "dog" -> "hero"',
    );
    const chainInput = composition({
      layers: [
        { id: 'hat', prompt: 'a hat', provider: 'A', from: 'hero', harmonize: { to: 'hero' } },
        { id: 'hero', prompt: 'a knight', provider: 'A' },
      ],
    });
    expect(messageOf(() => validateComposition(chainInput))).toContain(
      'layer "hat" is matched to "hero", a chain input that is not composited',
    );
    expect(
      messageOf(() => validateComposition(composition({ harmonize: { to: 'moon' } }))),
    ).toContain('`harmonize.to`: the stack is matched to "moon", but no layer has that id');
    expect(
      messageOf(() =>
        validateComposition(withHero({ to: { palette: ['#c08040', 'warmish'] }, mode: 'sepia' })),
      ),
    ).toContain('Expected `layers[0].harmonize.to.palette[1]` to be a CSS colour');
  });
});

describe('harmony in the pipeline', () => {
  const providers = { A: createMockProvider() };

  it('gives every other layer the stack’s harmony; a layer’s own wins', () => {
    const plan = planRender(composition({ harmonize: { to: 'scene', amount: 0.8 } }), {
      providers,
    });
    expect(compositedLayers(plan).map(({ layer }) => [layer.id, layer.harmonize])).toEqual([
      ['hero', { to: 'scene', amount: 0.3 }],
      ['dog', { to: 'scene', amount: 0.8 }],
      ['scene', undefined],
    ]);
  });

  it('drops a harmony whose reference layer was skipped', async () => {
    const compositor = createRecordingCompositor();
    const image = { bytes: new Uint8Array([1]), mediaType: 'image/png' };
    await compositeLayers(
      { compositor, clock: systemClock },
      {
        composition: { width: 8, height: 8 },
        layers: [
          {
            layer: { id: 'hero', prompt: 'h', provider: 'A', harmonize: { to: 'scene' } },
            painted: { image, matte: 'alpha' },
          },
          { layer: { id: 'scene', prompt: 's', provider: 'A' } },
        ],
        skipped: [],
      },
      undefined,
    );
    expect(compositor.calls[0]!.layers[0]!.layer.harmonize).toBeUndefined();
  });

  it('re-composites a harmony change from the cache: no provider call, new options', async () => {
    const provider = createMockProvider();
    const compositor = createRecordingCompositor();
    const loom = createLoom({ providers: { A: provider }, compositor, cache: memoryCache() });
    const first = await loom.render(composition());
    expect(provider.calls).toBe(3);
    const changed = composition({
      layers: composition().layers.map((layer) =>
        layer.id === 'hero'
          ? { ...layer, harmonize: { to: 'scene', amount: 0.9 }, shadow: { blur: 4 } }
          : layer,
      ),
    });
    const second = await loom.render(changed);
    expect(provider.calls).toBe(3);
    expect(second.layers.every((layer) => layer.cached)).toBe(true);
    expect(compositor.calls[1]!.layers[0]!.layer).toMatchObject({
      harmonize: { to: 'scene', amount: 0.9 },
      shadow: { blur: 4 },
    });
    expect(first.manifest.steps.map((step) => step.cacheKey)).toEqual(
      second.manifest.steps.map((step) => step.cacheKey),
    );
  });

  it('matte auto: native transparency where the provider has it, else a refined chroma key; the manifest says which', async () => {
    const opaque = createMockProvider({ id: 'opaque', capabilities: { transparency: false } });
    const clear = createMockProvider({ id: 'clear' });
    const plan = planRender(
      {
        width: 32,
        height: 32,
        layers: [
          { id: 'hero', prompt: 'a knight', provider: 'O', matte: 'auto' },
          { id: 'dog', prompt: 'a corgi', provider: 'C', matte: 'auto' },
          { id: 'scene', prompt: 'a field', provider: 'C' },
        ],
      },
      { providers: { O: opaque, C: clear } },
    );
    const hero = plan.steps.find((step) => step.id === 'hero');
    const dog = plan.steps.find((step) => step.id === 'dog');
    expect(hero!.matte).toEqual({ chromaKey: '#00ff00', refineEdges: true });
    expect(hero!.request.prompt).toContain('#00ff00');
    expect(hero!.warnings.at(-1)).toContain('keyed out with refined edges');
    expect(dog!.matte).toBe('alpha');
    expect(dog!.request.transparent).toBe(true);
    const loom = createLoom({
      providers: { O: opaque, C: clear },
      compositor: createRecordingCompositor(),
    });
    const result = await loom.render(plan.composition);
    expect(Object.fromEntries(result.manifest.steps.map((step) => [step.id, step.matte]))).toEqual({
      hero: { chromaKey: '#00ff00', refineEdges: true },
      dog: 'alpha',
      scene: 'none',
    });
  });

  it('matte auto with a background remover configured: paint, then cut out, both cached', async () => {
    const opaque = createMockProvider({ id: 'opaque', capabilities: { transparency: false } });
    const remover = createMockProvider({ id: 'remover' });
    const requests: ImageRequest[] = [];
    const cut: Provider = {
      id: remover.id,
      modelId: remover.modelId,
      capabilities: { ...remover.capabilities, cutsOutSubject: true },
      generate: (request) => {
        requests.push(request);
        return remover.generate(request);
      },
    };
    const providers = { O: opaque, CUT: cut, C: createMockProvider({ id: 'clear' }) };
    const asked: Composition = {
      width: 32,
      height: 32,
      seed: 3,
      layers: [
        {
          id: 'hero',
          prompt: 'a knight',
          provider: 'O',
          matte: 'auto',
          opacity: 0.9,
          harmonize: { to: 'scene' },
        },
        { id: 'scene', prompt: 'a field', provider: 'C' },
      ],
    };
    const plan = planRender(asked, { providers });
    const byId = new Map(plan.steps.map((step) => [step.id, step]));
    expect(byId.get('hero-painted')).toMatchObject({
      providers: ['O'],
      matte: 'none',
      composited: false,
    });
    expect(byId.get('hero')).toMatchObject({
      providers: ['CUT'],
      matte: 'alpha',
      dependsOn: 'hero-painted',
      composited: true,
    });
    expect(byId.get('hero-painted')!.request.prompt).toBe('a knight');
    const compositor = createRecordingCompositor();
    const loom = createLoom({ providers, compositor, cache: memoryCache() });
    const first = await loom.render(asked);
    expect([opaque.calls, requests.length]).toEqual([1, 1]);
    expect(requests[0]!.image?.bytes).toEqual(
      first.layers.find((layer) => layer.id === 'hero-painted')!.image.bytes,
    );
    expect(compositor.calls[0]!.layers.map(({ layer }) => [layer.id, layer.opacity])).toEqual([
      ['hero', 0.9],
      ['scene', undefined],
    ]);
    expect(first.manifest.steps.find((step) => step.id === 'hero')).toMatchObject({
      provider: 'CUT',
      matte: 'alpha',
    });
    await loom.render({
      ...asked,
      layers: asked.layers.map((layer) =>
        layer.id === 'hero' ? { ...layer, harmonize: { to: 'scene', amount: 0.4 } } : layer,
      ),
    });
    expect([opaque.calls, requests.length]).toEqual([1, 1]);
  });
});
