// The queue runs core's pipeline stages, so a composition rendered on BullMQ workers gives the
// result an in-process loom gives: the same records, skips, cost and manifest. A field a core
// stage adds to the result reaches queue renders with no change in this package.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCompositor } from '@layerloom/compositor';
import { type Composition, createLoom, type RenderResult } from '@layerloom/core';
import { createMockProvider } from '@layerloom/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQueuePair } from '../test/start-queue-pair.js';
import { redisUnavailableReason, startTestRedis, type TestRedis } from '../test/test-redis.js';

/** Fresh providers (their call counters start at 0): a fallback pair, a painter, a styler. */
const providers = () => ({
  A: createMockProvider({ id: 'people', modelId: 'v2', costUsd: 0.04 }),
  B: createMockProvider({ id: 'scenes', capabilities: { transparency: false }, costUsd: 0.01 }),
  broken: createMockProvider({ id: 'flaky', afterScript: { status: 400, message: 'refused' } }),
});

const composition: Composition = {
  width: 48,
  height: 32,
  seed: 11,
  layers: [
    { id: 'hat', prompt: 'a red hat', provider: 'A', from: 'hero', strength: 0.5 },
    {
      id: 'hero',
      prompt: 'a knight',
      provider: ['broken', 'A'],
      placement: { x: 4, y: 2, width: 24, height: 24 },
    },
    { id: 'ghost', prompt: 'a ghost', provider: 'broken', opacity: 0.5 },
    { id: 'scene', prompt: 'a castle', provider: 'B' },
  ],
  style: { prompt: 'ink', provider: 'B', strength: 0.3 },
};

/** What must be equal between two renders of the same composition (times and ids aside). */
function comparable(result: RenderResult) {
  const step = <T extends { ms: number; requestId?: string }>({
    ms: _ms,
    requestId: _id,
    ...rest
  }: T) => rest;
  return {
    image: result.image,
    layers: result.layers.map(step),
    style: result.style === undefined ? undefined : step(result.style),
    skipped: result.skipped.map((skip) => ({ ...skip, error: skip.error.code })),
    costUsd: result.costUsd,
    manifest: { ...result.manifest, createdAt: 'any' },
  };
}

describe.skipIf(redisUnavailableReason() !== undefined)(
  'queue renders and in-process renders',
  () => {
    let redis: TestRedis;
    let directory: string;
    beforeAll(async () => {
      redis = await startTestRedis();
      directory = await mkdtemp(join(tmpdir(), 'layerloom-parity-'));
    });
    afterAll(async () => {
      await redis.stop();
      await rm(directory, { recursive: true, force: true });
    });

    it('give the same result and manifest for one composition (fallback, skip, chain, style)', async () => {
      const loom = createLoom({
        providers: providers(),
        compositor: createCompositor(),
        onLayerError: 'skip',
        retry: { baseDelayMs: 1, maxDelayMs: 1 },
      });
      const local = await loom.render(composition);
      const pair = await startQueuePair({
        redisUrl: redis.url,
        directory,
        prefix: `parity${process.pid}`,
        providers: providers(),
        maxRetries: 2,
        runnerOptions: { onLayerError: 'skip' },
      });
      try {
        const queued = await pair.runner.render(composition);
        // The render exercised what it should: a fallback, a skip, a chain and the style pass.
        expect(local.skipped.map((skip) => skip.id)).toEqual(['ghost']);
        expect(local.layers.find((layer) => layer.id === 'hero')?.provider).toBe('A');
        expect(local.manifest.steps.map((step) => step.id)).toEqual([
          'scene',
          'hero',
          'hat',
          'style',
        ]);
        expect(comparable(queued)).toEqual(comparable(local));
      } finally {
        await pair.close();
      }
    });

    it('give the same result for a composition that uses a world pack, its reference images and bindings reaching the worker', async () => {
      const pack = resolve(import.meta.dirname, '../../../examples/world-pack/ember-world');
      const text = [
        'size 48x32',
        'seed 5',
        `use ${pack} as w`,
        '｜hero: $w.knight with a torch @A',
        '｜scene: $w.valley @B',
      ].join('\n');
      const packProviders = () => ({
        A: createMockProvider({ id: 'people', capabilities: { maxReferenceImages: 2 } }),
        B: createMockProvider({ id: 'a1111', capabilities: { transparency: false } }),
      });
      const local = await createLoom({
        providers: packProviders(),
        compositor: createCompositor(),
      }).render(text);
      const workers = packProviders();
      const pair = await startQueuePair({
        redisUrl: redis.url,
        directory,
        prefix: `packs${process.pid}`,
        providers: workers,
        maxRetries: 0,
      });
      try {
        const queued = await pair.runner.render(text);
        expect(comparable(queued)).toEqual(comparable(local));
        expect(queued.manifest.composition.packs).toEqual([
          expect.objectContaining({ alias: 'w', version: '1.2.0' }),
        ]);
        const [hero] = workers.A.requests;
        const knight = await readFile(join(pack, 'refs/knight.png'));
        expect(hero?.referenceImages?.map((image) => Buffer.from(image.bytes))).toEqual([knight]);
        expect(hero?.binding?.subject).toMatchObject({ kind: 'entity', id: 'knight' });
        const [scene] = workers.B.requests;
        expect(scene?.binding).toMatchObject({ checkpoint: 'emberLandscape_v1.safetensors' });
      } finally {
        await pair.close();
      }
    });
  },
);
