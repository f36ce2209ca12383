import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Composition, isLayerloomError, type RenderEvent } from '@layerloom/core';
import { createMockProvider, createRecordingCompositor } from '@layerloom/core/testing';
import { createQueueRunner, type startWorker } from '@layerloom/queue-bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQueuePair } from '../test/start-queue-pair.js';
import { redisUnavailableReason, startTestRedis, type TestRedis } from '../test/test-redis.js';

const composition: Composition = {
  width: 64,
  height: 64,
  seed: 7,
  layers: [
    { id: 'hero', prompt: 'a knight', provider: 'A' },
    { id: 'cat', prompt: 'a cat', provider: 'B' },
    { id: 'scene', prompt: 'a castle', provider: 'A' },
  ],
  style: { prompt: 'oil painting', provider: 'B', strength: 0.4 },
};

describe.skipIf(redisUnavailableReason() !== undefined)('createQueueRunner on BullMQ', () => {
  let redis: TestRedis;
  let directory: string;
  let run = 0;
  beforeAll(async () => {
    redis = await startTestRedis();
    directory = await mkdtemp(join(tmpdir(), 'layerloom-queue-'));
  });
  afterAll(async () => {
    await redis.stop();
    await rm(directory, { recursive: true, force: true });
  });

  /** A runner and an in-process worker on a fresh prefix. */
  function setup(
    providers: Parameters<typeof startWorker>[0]['providers'],
    extra: { maxRetries?: number } = {},
  ) {
    run += 1;
    return startQueuePair({
      redisUrl: redis.url,
      directory,
      prefix: `t${process.pid}r${run}`,
      providers,
      maxRetries: extra.maxRetries ?? 2,
    });
  }

  it('renders 3 layers on 2 providers plus a style pass, relaying the events', async () => {
    const A = createMockProvider({ id: 'mock-a', latencyMs: 20 });
    const B = createMockProvider({ id: 'mock-b', latencyMs: 20 });
    const { prefix, runner, worker, close } = await setup({ A, B });
    try {
      const events: RenderEvent[] = [];
      const result = await runner.render(composition, { onEvent: (event) => events.push(event) });
      expect(result.layers.map((layer) => layer.id)).toEqual(['hero', 'cat', 'scene']);
      expect(result.style?.provider).toBe('B');
      expect(A.calls).toBe(2);
      expect(B.calls).toBe(2);
      // Each call is told which step it paints, on the worker too.
      expect([...A.requests, ...B.requests].map((request) => request.stepId).sort()).toEqual([
        'cat',
        'hero',
        'scene',
        'style',
      ]);
      // …and its place in the stack, as in process (the preview provider lays its labels out by it).
      expect(
        [...A.requests, ...B.requests]
          .map((request) => `${request.stepId}:${request.layerIndex ?? '-'}`)
          .sort(),
      ).toEqual(['cat:1', 'hero:0', 'scene:2', 'style:-']);
      // The runner has no compositor: the worker composited.
      expect(worker.composites).toBe(1);
      const types = events.map((event) => event.type);
      expect(types[0]).toBe('plan');
      expect(types.at(-1)).toBe('done');
      for (const type of [
        'layer:queued',
        'layer:start',
        'layer:done',
        'composite:done',
        'style:done',
      ]) {
        expect(types).toContain(type);
      }
      const client = new Redis(redis.url);
      try {
        const keys = await client.keys(`${prefix}:*`);
        // Completed jobs are removed: no job hash is left behind.
        expect(keys.filter((key) => /:(layers-[AB]|compose):[0-9a-f]{40}\./.test(key))).toEqual([]);
      } finally {
        client.disconnect();
      }
    } finally {
      await close();
    }
  });

  it('retries a retryable failure with the core policy and reports layer:retry', async () => {
    const A = createMockProvider({ id: 'mock-a', script: [{ status: 503 }, 'ok'] });
    const B = createMockProvider({
      id: 'mock-b',
      script: [{ status: 429, retryAfterMs: 30 }, 'ok'],
    });
    const { runner, close } = await setup({ A, B });
    try {
      const events: RenderEvent[] = [];
      const result = await runner.render(
        {
          width: 32,
          height: 32,
          seed: 1,
          layers: [
            { id: 'top', prompt: 'x', provider: 'B' },
            { id: 'bottom', prompt: 'y', provider: 'A' },
          ],
        },
        { onEvent: (event) => events.push(event) },
      );
      const retries = events.filter((event) => event.type === 'layer:retry');
      expect(retries).toHaveLength(2);
      const fromB = retries.find((event) => event.provider === 'B');
      expect(fromB && 'delayMs' in fromB ? fromB.delayMs : undefined).toBe(30);
      expect(result.layers.map((layer) => layer.attempts)).toEqual([2, 2]);
    } finally {
      await close();
    }
  });

  it('fails at once on a non-retryable error (UnrecoverableError), without further calls', async () => {
    const A = createMockProvider({
      id: 'mock-a',
      script: [{ status: 400, message: 'bad prompt' }],
    });
    const B = createMockProvider({ id: 'mock-b' });
    const { runner, close } = await setup({ A, B });
    try {
      const error = await runner
        .render({
          width: 32,
          height: 32,
          seed: 2,
          layers: [{ id: 'only', prompt: 'x', provider: 'A' }],
        })
        .catch((caught: unknown) => caught);
      expect(isLayerloomError(error)).toBe(true);
      expect((error as { status?: number }).status).toBe(400);
      expect(A.calls).toBe(1);
    } finally {
      await close();
    }
  });

  it('cancels: the running call is aborted on the worker and the render rejects with AbortError', async () => {
    const A = createMockProvider({ id: 'mock-a', script: () => 'hang' });
    const B = createMockProvider({ id: 'mock-b' });
    const { runner, close } = await setup({ A, B });
    try {
      const controller = new AbortController();
      const started = new Promise<void>((resolve) => {
        const pending = runner.render(
          {
            width: 32,
            height: 32,
            seed: 3,
            layers: [
              { id: 'one', prompt: 'x', provider: 'A' },
              { id: 'two', prompt: 'y', provider: 'A' },
            ],
          },
          {
            signal: controller.signal,
            onEvent: (event) => {
              if (event.type === 'layer:start') resolve();
            },
          },
        );
        pending.catch(() => {});
        void pending.catch((error: unknown) => {
          expect(isLayerloomError(error) && error.code).toBe('aborted');
        });
      });
      await started;
      await expect.poll(() => A.inFlight, { timeout: 3000 }).toBeGreaterThan(0);
      controller.abort();
      await expect.poll(() => A.inFlight, { timeout: 3000 }).toBe(0);
    } finally {
      await close();
    }
  });

  it('validates options with a ValidationError naming the field', () => {
    expect(() =>
      createQueueRunner({
        connection: 'http://localhost',
        providers: {},
        compositor: createRecordingCompositor(),
      }),
    ).toThrow(/connection/);
    expect(() =>
      createQueueRunner({
        connection: 'redis://x',
        prefix: 3 as unknown as string,
        providers: {},
        compositor: createRecordingCompositor(),
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'validation_error',
        message: expect.stringMatching(/prefix/),
      }),
    );
  });
});
