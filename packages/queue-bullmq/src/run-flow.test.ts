import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Cache,
  type Composition,
  encodePng,
  memoryCache,
  type RenderEvent,
} from '@layerloom/core';
import { createMockProvider } from '@layerloom/core/testing';
import { type startWorker, toRedisOptions } from '@layerloom/queue-bullmq';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQueuePair } from '../test/start-queue-pair.js';
import { redisUnavailableReason, startTestRedis, type TestRedis } from '../test/test-redis.js';
import { unfinishedJobs } from '../test/unfinished-jobs.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(redisUnavailableReason() !== undefined)('a composition as a BullMQ flow', () => {
  let redis: TestRedis;
  let directory: string;
  let run = 0;
  beforeAll(async () => {
    redis = await startTestRedis();
    directory = await mkdtemp(join(tmpdir(), 'layerloom-flow-'));
  });
  afterAll(async () => {
    await redis.stop();
    await rm(directory, { recursive: true, force: true });
  });

  /** An in-process worker and a runner (without a compositor) on a fresh prefix. */
  function setup(
    providers: Parameters<typeof startWorker>[0]['providers'],
    runnerOptions: { keepCompleted?: boolean; cache?: Cache } = {},
  ) {
    run += 1;
    return startQueuePair({
      redisUrl: redis.url,
      directory,
      prefix: `f${process.pid}r${run}`,
      providers,
      maxRetries: 0,
      runnerOptions: {
        ...(runnerOptions.cache === undefined ? {} : { cache: runnerOptions.cache }),
        ...(runnerOptions.keepCompleted === true
          ? { retention: { removeOnComplete: { age: 3600 } } }
          : {}),
      },
    });
  }

  it('runs `from` chains as nested children; a source of two layers is painted once', async () => {
    const A = createMockProvider({ id: 'mock-a', latencyMs: 30 });
    const B = createMockProvider({ id: 'mock-b', latencyMs: 30 });
    const { prefix, runner, worker, close } = await setup({ A, B }, { keepCompleted: true });
    const composition: Composition = {
      width: 48,
      height: 48,
      seed: 11,
      layers: [
        // `base` feeds `left` and `right`; `right` feeds `top` (a chain of three).
        { id: 'top', prompt: 'a hat', provider: 'A', from: 'right' },
        { id: 'left', prompt: 'a fox', provider: 'B', from: 'base' },
        { id: 'right', prompt: 'a owl', provider: 'A', from: 'base' },
        { id: 'base', prompt: 'a meadow', provider: 'B' },
        { id: 'sky', prompt: 'a sky', provider: 'A' },
      ],
      style: { prompt: 'ink', provider: 'B' },
    };
    const queues = ['layers-A', 'layers-B', 'compose'].map(
      (name) => new Queue(name, { connection: toRedisOptions(redis.url), prefix }),
    );
    try {
      const events: RenderEvent[] = [];
      const result = await runner.render(composition, { onEvent: (event) => events.push(event) });
      // Every step painted exactly once: 5 layers + the style pass.
      expect(A.calls + B.calls).toBe(6);
      expect(result.layers.map((layer) => [layer.id, layer.composited])).toEqual([
        ['top', true],
        ['left', true],
        ['right', false],
        ['base', false],
        ['sky', true],
      ]);
      const byId = new Map(result.layers.map((layer) => [layer.id, layer]));
      const inputOf = (id: string) =>
        result.manifest.steps.find((step) => step.id === id)?.inputSha256;
      expect(inputOf('left')).toBe(sha256(byId.get('base')!.image.bytes));
      expect(inputOf('right')).toBe(sha256(byId.get('base')!.image.bytes));
      expect(inputOf('top')).toBe(sha256(byId.get('right')!.image.bytes));
      // Waiting for an input (re-delayed jobs) spends no attempt.
      expect(result.layers.map((layer) => layer.attempts)).toEqual([1, 1, 1, 1, 1]);
      // The style pass painted over the composite made on the worker.
      expect(worker.composites).toBe(1);
      expect(inputOf('style')).toBe(result.manifest.compositeSha256);
      expect(events.filter((event) => event.type === 'layer:done')).toHaveLength(5);
      expect(events.filter((event) => event.type === 'composite:done')).toHaveLength(1);

      // The flow's shape, read back from Redis (completed jobs kept for this test).
      const jobs = new Map<string, Job>();
      const client = new Redis(redis.url);
      const keys = await client.keys(`${prefix}:*:*.*`).finally(() => client.disconnect());
      for (const key of keys) {
        const [, queueName, id] = key.split(':');
        if (id === undefined || !/\.(C|S\.\d+|L\.[A-Za-z0-9_-]+\.\d+)$/.test(id)) continue;
        const queue = queues.find((item) => item.name === queueName)!;
        const job = await queue.getJob(id);
        if (job !== undefined) jobs.set(id.replace(/^[0-9a-f]+\./, ''), job);
      }
      const parentOf = (id: string) => jobs.get(id)?.parent?.id?.replace(/^[0-9a-f]+\./, '');
      expect(parentOf('C')).toBe('S.0');
      expect(parentOf('L.top.0')).toBe('C');
      expect(parentOf('L.left.0')).toBe('C');
      expect(parentOf('L.sky.0')).toBe('C');
      expect(parentOf('L.right.0')).toBe('L.top.0');
      // `base` is nested under its first user in plan order (bottom-up: `right`); its other
      // user, `left`, waited for its record in the blob store.
      expect(parentOf('L.base.0')).toBe('L.right.0');
      expect(jobs.get('L.left.0')?.parent?.id).toBeDefined();
      expect(jobs.get('S.0')?.parent).toBeUndefined();
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      await close();
    }
  });

  it('falls back to the next provider on a queue of its own, and skips a chain whose input failed', async () => {
    const A = createMockProvider({
      id: 'mock-a',
      script: (request) => (request.prompt.startsWith('fail') ? { status: 400 } : 'ok'),
    });
    const B = createMockProvider({ id: 'mock-b' });
    const { runner, close } = await setup({ A, B });
    try {
      const events: RenderEvent[] = [];
      const result = await runner.render(
        {
          width: 32,
          height: 32,
          seed: 5,
          layers: [
            { id: 'hero', prompt: 'fail then B', provider: ['A', 'B'] },
            { id: 'over', prompt: 'on top', provider: 'A', from: 'broken' },
            { id: 'broken', prompt: 'fail always', provider: 'A' },
            { id: 'ground', prompt: 'grass', provider: 'A' },
          ],
        },
        { onEvent: (event) => events.push(event), onLayerError: 'skip' },
      );
      const hero = result.layers.find((layer) => layer.id === 'hero')!;
      expect(hero.provider).toBe('B');
      expect(hero.attempts).toBe(2);
      expect(hero.warnings.some((warning) => warning.includes('the next provider was tried'))).toBe(
        true,
      );
      expect(result.skipped.map((step) => [step.id, step.error.code])).toEqual([
        ['broken', 'provider_error'],
        ['over', 'input_skipped'],
      ]);
      const errors = events.flatMap((event) =>
        event.type === 'layer:error' ? [[event.layerId, event.outcome]] : [],
      );
      expect(errors).toContainEqual(['hero', 'fallback']);
      expect(errors).toContainEqual(['broken', 'skip']);
      expect(errors).toContainEqual(['over', 'skip']);
    } finally {
      await close();
    }
  });

  it('fails the whole flow when a source fails: the render rejects and no job is left waiting', async () => {
    const A = createMockProvider({ id: 'mock-a' });
    const B = createMockProvider({
      id: 'mock-b',
      latencyMs: 50,
      script: (request) => (request.prompt === 'bad' ? { status: 400 } : 'ok'),
    });
    const { prefix, runner, close } = await setup({ A, B });
    const queues = ['layers-A', 'layers-B', 'compose'].map(
      (name) => new Queue(name, { connection: toRedisOptions(redis.url), prefix }),
    );
    try {
      const error = await runner
        .render({
          width: 32,
          height: 32,
          seed: 4,
          layers: [
            // `base` is nested under `right`; `left` (nested under `top`) polls for it.
            { id: 'top', prompt: 'w', provider: 'A', from: 'left' },
            { id: 'left', prompt: 'x', provider: 'A', from: 'base' },
            { id: 'right', prompt: 'y', provider: 'A', from: 'base' },
            { id: 'base', prompt: 'bad', provider: 'B' },
          ],
          style: { prompt: 'z', provider: 'A' },
        })
        .catch((caught: unknown) => caught);
      expect((error as { status?: number }).status).toBe(400);
      expect(A.calls).toBe(0);
      await expect.poll(() => unfinishedJobs(queues), { timeout: 5000, interval: 100 }).toBe(0);
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      await close();
    }
  });

  it('falls back for the style pass too: the next candidate becomes the root the runner waits for', async () => {
    const A = createMockProvider({ id: 'mock-a', script: [{ status: 400 }], afterScript: 'ok' });
    const B = createMockProvider({ id: 'mock-b' });
    const { runner, close } = await setup({ A, B });
    try {
      const types: string[] = [];
      const stream = runner.stream(
        {
          width: 32,
          height: 32,
          seed: 8,
          layers: [{ id: 'only', prompt: 'a pond', provider: 'B' }],
          style: { prompt: 'pastel', provider: ['A', 'B'] },
        },
        { onEvent: (event) => types.push(event.type) },
      );
      let result: RenderEvent | undefined;
      for await (const event of stream) result = event;
      expect(result?.type).toBe('done');
      const style = result?.type === 'done' ? result.result.style : undefined;
      expect(style?.provider).toBe('B');
      expect(style?.attempts).toBe(2);
      expect(types).toEqual([
        'plan',
        'layer:queued',
        'layer:start',
        'layer:done',
        'composite:done',
        'style:start',
        'style:error',
        'style:done',
        'done',
      ]);
    } finally {
      await close();
    }
  });

  it('answers from the submitter’s cache before queueing, and fills it after', async () => {
    const A = createMockProvider({ id: 'mock-a' });
    const B = createMockProvider({ id: 'mock-b' });
    const cache = memoryCache();
    const { runner, close } = await setup({ A, B }, { cache });
    const composition: Composition = {
      width: 32,
      height: 32,
      seed: 21,
      layers: [
        { id: 'front', prompt: 'a kite', provider: 'A' },
        { id: 'back', prompt: 'a beach', provider: 'B' },
      ],
    };
    try {
      await runner.render(composition);
      expect(A.calls + B.calls).toBe(2);
      const events: string[] = [];
      const again = await runner.render(composition, {
        onEvent: (event) => events.push(event.type),
      });
      expect(A.calls + B.calls).toBe(2);
      expect(again.layers.every((layer) => layer.cached)).toBe(true);
      // Nothing of the second render was queued as a paid call.
      expect(events).not.toContain('layer:queued');
      expect(events.filter((type) => type === 'layer:done')).toHaveLength(2);
    } finally {
      await close();
    }
  });

  it('composites image masks on the worker from the blob store', async () => {
    const A = createMockProvider({ id: 'mock-a' });
    const B = createMockProvider({ id: 'mock-b' });
    const { runner, worker, close } = await setup({ A, B });
    const mask = encodePng({ width: 2, height: 2, data: new Uint8Array(16).fill(255) });
    try {
      const result = await runner.render({
        width: 24,
        height: 24,
        seed: 3,
        layers: [
          {
            id: 'masked',
            prompt: 'a star',
            provider: 'A',
            mask: { type: 'image', image: { bytes: mask, mediaType: 'image/png' } },
          },
          { id: 'ground', prompt: 'a field', provider: 'B' },
        ],
      });
      expect(worker.composites).toBe(1);
      expect(result.image).toMatchObject({ width: 24, height: 24, mediaType: 'image/png' });
      expect(result.manifest.composition.layers[0]?.mask).toMatchObject({
        image: { sha256: sha256(mask) },
      });
    } finally {
      await close();
    }
  });

  it('shares seeded checkpoints through the blob store: a second render makes no paid call', async () => {
    const A = createMockProvider({ id: 'mock-a' });
    const B = createMockProvider({ id: 'mock-b' });
    const { prefix, runner, close } = await setup({ A, B });
    const composition: Composition = {
      width: 32,
      height: 32,
      seed: 9,
      layers: [
        { id: 'front', prompt: 'a cup', provider: 'A' },
        { id: 'back', prompt: 'a table', provider: 'B' },
      ],
    };
    try {
      const first = await runner.render(composition);
      expect(A.calls + B.calls).toBe(2);
      const second = await runner.render(composition);
      expect(A.calls + B.calls).toBe(2);
      expect(second.layers.map((layer) => [layer.cached, layer.attempts, layer.costUsd])).toEqual([
        [true, 0, 0],
        [true, 0, 0],
      ]);
      expect(second.manifest.outputSha256).toBe(first.manifest.outputSha256);
      // Images expired from the store: the checkpoints are ignored, the layers painted anew.
      await rm(join(directory, prefix, 'images'), { recursive: true, force: true });
      const third = await runner.render(composition);
      expect(A.calls + B.calls).toBe(4);
      expect(third.layers.map((layer) => layer.cached)).toEqual([false, false]);
    } finally {
      await close();
    }
  });
});
