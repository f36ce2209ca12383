import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cache } from '../cache/cache.js';
import { fileCache } from '../cache/file-cache.js';
import { memoryCache } from '../cache/memory-cache.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import { createRecordingCompositor } from '../testing/create-recording-compositor.js';
import type { Composition } from '../types/composition.js';
import { createLoom } from './create-loom.js';

function setup(cache: Cache = memoryCache()) {
  const providers = {
    A: createMockProvider({ id: 'people', costUsd: 0.04 }),
    B: createMockProvider({ id: 'scenes', costUsd: 0.02 }),
    C: createMockProvider({ id: 'pets' }),
  };
  const loom = createLoom({ providers, compositor: createRecordingCompositor(), cache });
  const calls = () =>
    Object.fromEntries(
      Object.entries(providers).map(([alias, provider]) => [alias, provider.calls]),
    );
  return { providers, loom, calls };
}

const composition: Composition = {
  width: 32,
  height: 32,
  seed: 11,
  layers: [
    { id: 'hero', prompt: 'a knight', provider: 'A' },
    { id: 'dog', prompt: 'a corgi', provider: 'C' },
    { id: 'scene', prompt: 'a field', provider: 'B' },
  ],
};

describe('render cache', () => {
  it('re-renders with one layer changed by calling only that layer’s provider', async () => {
    const { loom, calls } = setup();
    const first = await loom.render(composition);
    expect(calls()).toEqual({ A: 1, B: 1, C: 1 });
    expect(first.costUsd).toBeCloseTo(0.06, 10);

    const changed: Composition = {
      ...composition,
      layers: composition.layers.map((layer) =>
        layer.id === 'dog' ? { ...layer, prompt: 'a beagle' } : layer,
      ),
    };
    const second = await loom.render(changed);
    expect(calls()).toEqual({ A: 1, B: 1, C: 2 });
    expect(second.layers.map((layer) => [layer.id, layer.cached, layer.attempts])).toEqual([
      ['hero', true, 0],
      ['dog', false, 1],
      ['scene', true, 0],
    ]);
    expect(second.costUsd).toBe(0);
    expect(second.layers[0]!.image.bytes).toEqual(first.layers[0]!.image.bytes);
    expect(second.layers[0]).toMatchObject({
      seed: 11,
      costUsd: 0,
      requestId: first.layers[0]!.requestId,
    });
    expect(second.manifest.steps.map((step) => step.cached)).toEqual([true, false, true]);
    expect(second.manifest.steps[0]!.cacheKey).toBe(first.manifest.steps[0]!.cacheKey);
  });

  it('re-paints the chain above a changed input, and the style pass over a changed composite', async () => {
    const providers = { A: createMockProvider(), B: createMockProvider(), Z: createMockProvider() };
    const loom = createLoom({
      providers,
      compositor: createRecordingCompositor(),
      cache: memoryCache(),
    });
    const chained = (heroPrompt: string): Composition => ({
      width: 16,
      height: 16,
      seed: 3,
      layers: [
        { id: 'hat', prompt: 'add a hat', provider: 'B', from: 'hero' },
        { id: 'hero', prompt: heroPrompt, provider: 'A' },
        { id: 'scene', prompt: 'a field', provider: 'B' },
      ],
      style: { prompt: 'ink', provider: 'Z' },
    });
    await loom.render(chained('a knight'));
    const again = await loom.render(chained('a knight'));
    expect(again.layers.every((layer) => layer.cached)).toBe(true);
    expect(again.style!.cached).toBe(true);
    expect([providers.A.calls, providers.B.calls, providers.Z.calls]).toEqual([1, 2, 1]);
    await loom.render(chained('a wizard'));
    // hero changed: hero, the hat painted over it and the style pass run again; scene does not.
    expect([providers.A.calls, providers.B.calls, providers.Z.calls]).toEqual([2, 3, 2]);
  });

  it('caches a layer without a seed only under the `always` policy', async () => {
    const { loom, calls } = setup();
    const unseeded: Composition = {
      ...composition,
      seed: undefined,
      layers: [{ ...composition.layers[0]!, seed: 5 }, composition.layers[2]!],
    };
    await loom.render(unseeded);
    await loom.render(unseeded);
    // hero has a seed and is cached; scene has none and is painted each time.
    expect(calls()).toEqual({ A: 1, B: 2, C: 0 });
    await loom.render(unseeded, { cache: 'always' });
    await loom.render(unseeded, { cache: 'always' });
    expect(calls()).toEqual({ A: 1, B: 3, C: 0 });
    await loom.render(unseeded, { cache: 'off' });
    expect(calls()).toEqual({ A: 2, B: 4, C: 0 });
  });

  it('turns cache failures into warnings, never into failed renders', async () => {
    const broken: Cache = {
      get: async () => {
        throw new Error('disk on fire');
      },
      set: async () => {
        throw new Error('disk on fire');
      },
      delete: async () => {},
    };
    const { loom } = setup(broken);
    const result = await loom.render(composition);
    expect(result.layers[0]!.warnings).toEqual([
      'the cache could not be read (Error); painted anew',
      'the cache could not be written (Error)',
    ]);
  });

  it('works with the file cache across looms', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'layerloom-render-cache-'));
    try {
      const first = setup(fileCache(directory, { fsync: false }));
      await first.loom.render(composition);
      const second = setup(fileCache(directory, { fsync: false }));
      const result = await second.loom.render(composition);
      expect(second.calls()).toEqual({ A: 0, B: 0, C: 0 });
      expect(result.layers.every((layer) => layer.cached)).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('does not serve an entry painted by another provider under the same key', async () => {
    const cache = memoryCache();
    const { loom } = setup(cache);
    const first = await loom.render(composition);
    const key = first.layers[0]!.cacheKey!;
    const original = (await cache.get(key))!;
    await cache.set(key, { ...original, providerId: 'impostor' });
    const second = await loom.render(composition);
    expect(second.layers[0]!.cached).toBe(false);
  });
});
