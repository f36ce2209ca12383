import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { createLoom } from '../loom/create-loom.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import { createRecordingCompositor } from '../testing/create-recording-compositor.js';
import type { Composition } from '../types/composition.js';

const opaqueOnly = { transparency: false } as const;

function setup() {
  const providers = {
    A: createMockProvider({ id: 'studio', modelId: 'people-v2', costUsd: 0.04 }),
    A2: createMockProvider({ id: 'backup', modelId: 'people-v1', capabilities: opaqueOnly }),
    B: createMockProvider({
      id: 'scenes',
      modelId: 'land-v1',
      capabilities: {
        ...opaqueOnly,
        sizes: [
          { width: 1024, height: 1024 },
          { width: 1536, height: 1024 },
          { width: 1024, height: 1536 },
        ],
      },
      costUsd: (request) => (request.width * request.height) / 1e8,
    }),
    T: createMockProvider({ id: 'text-only', capabilities: { imageInput: false, seed: false } }),
    Z: createMockProvider({
      id: 'styler',
      capabilities: { sizes: { min: 256, max: 1024, multipleOf: 64 } },
    }),
  };
  const loom = createLoom({ providers, compositor: createRecordingCompositor() });
  return { providers, loom };
}

async function planIssues(composition: unknown): Promise<string[]> {
  const { loom } = setup();
  const error = await loom.plan(composition as Composition).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((issue) => issue.message);
}

describe('loom.plan', () => {
  it('plans without calling any provider, bottom layer first, style last', async () => {
    const { loom, providers } = setup();
    const plan = await loom.plan({
      width: 1200,
      height: 800,
      seed: 42,
      layers: [
        {
          id: 'hero',
          prompt: 'a knight',
          provider: 'A',
          placement: { x: 100, y: 50, width: 400, height: 700 },
        },
        { id: 'scene', prompt: 'a forest', provider: 'B' },
      ],
      style: { prompt: 'watercolour', provider: 'Z', strength: 0.35 },
    });
    expect(Object.values(providers).map((provider) => provider.calls)).toEqual([0, 0, 0, 0, 0]);
    expect(plan.steps.map((step) => step.id)).toEqual(['scene', 'hero', 'style']);
    const [scene, hero, style] = plan.steps;
    expect(hero).toMatchObject({
      kind: 'layer',
      providers: ['A'],
      providerId: 'studio',
      modelId: 'people-v2',
      matte: 'alpha',
      composited: true,
      placement: { x: 100, y: 50, width: 400, height: 700 },
      request: { prompt: 'a knight', width: 400, height: 700, seed: 42, transparent: true },
    });
    // The bottom layer is opaque; its size is the canvas, snapped to the nearest listed size.
    expect(scene).toMatchObject({
      matte: 'none',
      request: { prompt: 'a forest', width: 1536, height: 1024, seed: 42 },
      warnings: [
        'size 1200x800 snapped to 1536x1024, the nearest size "B" (scenes/land-v1) supports',
      ],
    });
    expect(scene!.request.transparent).toBeUndefined();
    expect(style).toMatchObject({
      kind: 'style',
      dependsOn: 'composite',
      composited: false,
      request: { prompt: 'watercolour', width: 1024, height: 704, strength: 0.35, seed: 42 },
    });
    expect(style!.cacheKey).toBeUndefined();
    expect(hero!.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.warnings).toEqual([
      'scene: size 1200x800 snapped to 1536x1024, the nearest size "B" (scenes/land-v1) supports',
      'style: size 1200x800 snapped to 1024x704, the nearest size "Z" (styler/mock-v1) supports',
    ]);
  });

  it('estimates the cost from providers that declare prices', async () => {
    const { loom } = setup();
    const priced = await loom.plan({
      width: 1024,
      height: 1024,
      layers: [
        { id: 'hero', prompt: 'a knight', provider: 'A' },
        { id: 'scene', prompt: 'a forest', provider: 'B' },
      ],
    });
    expect(priced.steps.map((step) => step.estimatedCostUsd)).toEqual([(1024 * 1024) / 1e8, 0.04]);
    expect(priced.estimatedCostUsd).toBeCloseTo(0.04 + 0.01048576, 10);
    expect(priced.costComplete).toBe(true);
    const partial = await loom.plan({
      width: 64,
      height: 64,
      layers: [{ id: 'hero', prompt: 'a knight', provider: 'A' }],
      style: { prompt: 'ink', provider: 'Z' },
    });
    expect(partial).toMatchObject({ estimatedCostUsd: 0.04, costComplete: false });
  });

  it('keys out layers of providers without transparency with a chroma key and a prompt suffix', async () => {
    const { loom } = setup();
    const plan = await loom.plan({
      width: 512,
      height: 512,
      layers: [
        { id: 'cat', prompt: 'a cat', provider: 'A2' },
        { id: 'dog', prompt: 'a dog', provider: 'A', matte: { chromaKey: 'blue', tolerance: 0.2 } },
        { id: 'sign', prompt: 'a sign', provider: 'A', matte: 'none' },
        { id: 'scene', prompt: 'a field', provider: 'B', size: { width: 1024, height: 1024 } },
      ],
    });
    const byId = new Map(plan.steps.map((step) => [step.id, step]));
    expect(byId.get('cat')).toMatchObject({
      matte: { chromaKey: '#00ff00' },
      request: {
        prompt:
          'a cat. Isolated subject on a plain, flat, uniform pure green (#00ff00) background, with no shadows, gradients or other objects on it.',
      },
      warnings: [
        '"A2" (backup/people-v1) cannot paint transparency; the layer is painted on #00ff00 and keyed out',
      ],
    });
    expect(byId.get('cat')!.request.transparent).toBeUndefined();
    // An explicit chroma key is kept even where transparency is native.
    expect(byId.get('dog')!.matte).toEqual({ chromaKey: 'blue', tolerance: 0.2 });
    expect(byId.get('dog')!.request.prompt).toContain('pure blue (#0000ff) background');
    expect(byId.get('dog')!.request.transparent).toBeUndefined();
    // `matte: 'none'` opts out of the cut-out.
    expect(byId.get('sign')).toMatchObject({ matte: 'none', request: { prompt: 'a sign' } });
    expect(byId.get('sign')!.request.transparent).toBeUndefined();
    expect(byId.get('scene')!.request).toMatchObject({ width: 1024, height: 1024 });
  });

  it('makes the bottom layer a cut-out only when it says so', async () => {
    const { loom } = setup();
    const plan = await loom.plan({
      width: 64,
      height: 64,
      background: '#ffffff',
      layers: [{ id: 'logo', prompt: 'a logo', provider: 'A', matte: 'alpha' }],
    });
    expect(plan.steps[0]).toMatchObject({ matte: 'alpha', request: { transparent: true } });
  });

  it('orders `from` chains after their input and inherits its placement and size', async () => {
    const { loom } = setup();
    const plan = await loom.plan({
      width: 1024,
      height: 1024,
      layers: [
        { id: 'hat', prompt: 'add a red hat', provider: 'A', from: 'hero', strength: 0.6 },
        {
          id: 'hero',
          prompt: 'a knight',
          provider: 'A',
          placement: { x: 10, y: 20, width: 300, height: 600 },
        },
        { id: 'scene', prompt: 'a forest', provider: 'B' },
      ],
    });
    expect(plan.steps.map((step) => [step.id, step.dependsOn, step.composited])).toEqual([
      ['scene', undefined, true],
      ['hero', undefined, false],
      ['hat', 'hero', true],
    ]);
    const hat = plan.steps[2]!;
    expect(hat.placement).toEqual({ x: 10, y: 20, width: 300, height: 600 });
    expect(hat.request).toMatchObject({
      width: 300,
      height: 600,
      strength: 0.6,
      transparent: true,
    });
    // The input image is not known yet, so neither is the cache key.
    expect(hat.cacheKey).toBeUndefined();
    // The intermediate is a cut-out too: it is not part of the bottom chain.
    expect(plan.steps[1]!.request.transparent).toBe(true);
  });

  it('keeps the chain feeding the bottom layer opaque', async () => {
    const { loom } = setup();
    const plan = await loom.plan({
      width: 256,
      height: 256,
      layers: [
        { id: 'hero', prompt: 'a knight', provider: 'A' },
        { id: 'lit', prompt: 'evening light', provider: 'A', from: 'sky' },
        { id: 'sky', prompt: 'a sky', provider: 'A' },
      ],
    });
    const byId = new Map(plan.steps.map((step) => [step.id, step]));
    expect(byId.get('lit')).toMatchObject({ matte: 'none', composited: true });
    expect(byId.get('sky')).toMatchObject({ matte: 'none', composited: false });
    expect(byId.get('hero')).toMatchObject({ matte: 'alpha' });
  });

  it('sends seeds only where honoured and warns about the rest', async () => {
    const { loom } = setup();
    const plan = await loom.plan({
      width: 64,
      height: 64,
      seed: 9,
      layers: [
        { id: 'note', prompt: 'a note', provider: 'T', strength: 0.5 },
        { id: 'scene', prompt: 'a field', provider: 'A', seed: 3 },
      ],
    });
    const byId = new Map(plan.steps.map((step) => [step.id, step]));
    expect(byId.get('scene')!.request.seed).toBe(3);
    expect(byId.get('note')!.request.seed).toBeUndefined();
    expect(byId.get('note')!.request.strength).toBeUndefined();
    expect(byId.get('note')!.warnings).toEqual([
      '`strength` applies only to a layer with `from`; it is not sent',
      '"T" (text-only/mock-v1) takes no seed; seed 9 is not sent, so the image cannot be replayed',
    ]);
  });

  it('plans every fallback of a layer with its own adapted request', async () => {
    const { loom } = setup();
    const plan = await loom.plan({
      width: 64,
      height: 64,
      layers: [
        { id: 'hero', prompt: 'a knight', provider: ['A', 'A2'] },
        { id: 'scene', prompt: 'a field', provider: 'B' },
      ],
    });
    const hero = plan.steps.find((step) => step.id === 'hero')!;
    expect(hero.providers).toEqual(['A', 'A2']);
    expect(
      hero.candidates.map((candidate) => [candidate.alias, candidate.providerId, candidate.matte]),
    ).toEqual([
      ['A', 'studio', 'alpha'],
      ['A2', 'backup', { chromaKey: '#00ff00' }],
    ]);
    expect(hero.candidates[0]!.cacheKey).not.toBe(hero.candidates[1]!.cacheKey);
  });

  it('names the nearest configured alias for an unknown one, before any call', async () => {
    expect(
      await planIssues({
        width: 64,
        height: 64,
        layers: [
          { id: 'hero', prompt: 'a knight', provider: 'a2' },
          { id: 'scene', prompt: 'a field', provider: ['B', 'Bee'] },
        ],
        style: { prompt: 'ink', provider: 'Zed' },
      }),
    ).toEqual([
      '`layers[0].provider`: unknown provider alias "a2"; the nearest configured alias is "A2" (configured: "A", "A2", "B", "T", "Z")',
      '`layers[1].provider[1]`: unknown provider alias "Bee"; the nearest configured alias is "B" (configured: "A", "A2", "B", "T", "Z")',
      '`style.provider`: unknown provider alias "Zed"; the nearest configured alias is "Z" (configured: "A", "A2", "B", "T", "Z")',
    ]);
  });

  it('refuses a chain or a style pass through a provider without image input', async () => {
    expect(
      await planIssues({
        width: 64,
        height: 64,
        layers: [
          { id: 'hat', prompt: 'a hat', provider: 'T', from: 'hero' },
          { id: 'hero', prompt: 'a knight', provider: 'A' },
        ],
        style: { prompt: 'ink', provider: 'T' },
      }),
    ).toEqual([
      '`layers[0].provider`: "T" (text-only/mock-v1) cannot take an input image, which `from: "hero"` needs',
      '`style.provider`: "T" (text-only/mock-v1) cannot take an input image, which the style pass needs',
    ]);
    const { loom } = setup();
    const plan = await loom.plan({
      width: 64,
      height: 64,
      layers: [
        { id: 'hat', prompt: 'a hat', provider: ['T', 'A'], from: 'hero' },
        { id: 'hero', prompt: 'a knight', provider: 'A' },
      ],
    });
    expect(plan.steps[1]).toMatchObject({
      providers: ['A'],
      warnings: [
        '"T" (text-only/mock-v1) cannot take an input image, which `from: "hero"` needs; not tried',
      ],
    });
  });

  it('refuses bad compositions with every problem named', async () => {
    expect(await planIssues({ width: 0, height: 64, layers: [] })).toEqual([
      'Expected `width` to be an integer from 1 to 16384, got `0` (number)',
      'Expected `layers` to be an array of at least one layer, got an array of 0',
    ]);
    expect(
      await planIssues({
        width: 64,
        height: 64,
        layers: [{ id: 'hero', prompt: 'x', provider: 'A', from: 'ghost' }],
      }),
    ).toEqual(['`layers[0].from`: no layer has the id "ghost"; expected one of "hero"']);
  });

  it('plans notation text with variables', async () => {
    const { loom } = setup();
    const plan = await loom.plan('size 64x64\n| hero: a $colour knight @A\n| scene: a field @B', {
      variables: { colour: 'silver' },
    });
    expect(plan.composition.layers[0]!.prompt).toBe('a silver knight');
    expect(plan.steps.map((step) => step.id)).toEqual(['scene', 'hero']);
  });

  it('refuses bad plan options', async () => {
    const { loom } = setup();
    await expect(loom.plan('size 64x64\n| a: b @A', { variables: 3 } as never)).rejects.toThrow(
      'Expected `variables` to be an object of strings',
    );
  });
});
