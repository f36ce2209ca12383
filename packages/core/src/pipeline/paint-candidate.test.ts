import { describe, expect, it } from 'vitest';
import type { Cache } from '../cache/cache.js';
import { memoryCache } from '../cache/memory-cache.js';
import { systemClock } from '../scheduler/clock.js';
import { createScheduler } from '../scheduler/create-scheduler.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import type { Provider } from '../types/provider.js';
import { type CandidateTask, type PaintContext, paintCandidate } from './paint-candidate.js';
import { createSchedulerExecutor } from './step-executor.js';

const request = { prompt: 'a knight', width: 16, height: 16, seed: 3 };

function setup(
  provider: Provider,
  cache?: Cache,
  cachePolicy: PaintContext['cachePolicy'] = 'seeded',
) {
  const context: PaintContext = {
    executor: createSchedulerExecutor(
      createScheduler({ retry: { baseDelayMs: 1, maxDelayMs: 1 } }),
    ),
    cache,
    cachePolicy,
    clock: systemClock,
    priority: 0,
  };
  const task: CandidateTask = {
    kind: 'layer',
    stepId: 'hero',
    candidate: { alias: 'A', request, matte: 'alpha', warnings: ['candidate note'] },
    provider,
    stepWarnings: ['step note'],
    notes: ['"X" failed; the next provider was tried'],
    priorAttempts: 1,
    hooks: { signal: new AbortController().signal },
  };
  return { context, task };
}

describe('paintCandidate', () => {
  it('records the call: seed, cost, attempts after earlier candidates, warnings in order, cache key', async () => {
    const provider = createMockProvider({ id: 'people', costUsd: 0.02 });
    const { context, task } = setup(provider);
    const outcome = await paintCandidate(context, task);
    if (!outcome.ok) throw outcome.failure;
    const { record } = outcome.painted;
    expect(record).toMatchObject({
      id: 'hero',
      provider: 'A',
      providerId: 'people',
      seed: 3,
      cached: false,
      attempts: 2,
      costUsd: 0.02,
    });
    // The key is recorded even with no cache configured (the manifest names every request).
    expect(record.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    expect(record.warnings.slice(0, 3)).toEqual([
      'step note',
      'candidate note',
      '"X" failed; the next provider was tried',
    ]);
    expect(outcome.painted.matte).toBe('alpha');
  });

  it('answers a second identical request from the cache, at no cost and with no call', async () => {
    const provider = createMockProvider({ id: 'people', costUsd: 0.02 });
    const { context, task } = setup(provider, memoryCache());
    const first = await paintCandidate(context, task);
    const second = await paintCandidate(context, task);
    expect(provider.calls).toBe(1);
    if (!first.ok || !second.ok) throw new Error('expected two painted outcomes');
    expect(second.painted.record).toMatchObject({ cached: true, costUsd: 0, attempts: 1 });
    expect(second.painted.record.image.bytes).toEqual(first.painted.record.image.bytes);
  });

  it('does not cache an unseeded request under the seeded policy', async () => {
    const provider = createMockProvider();
    const { context, task } = setup(provider, memoryCache());
    const unseeded = {
      ...task,
      candidate: { ...task.candidate, request: { ...request, seed: undefined } },
    };
    await paintCandidate(context, unseeded);
    await paintCandidate(context, unseeded);
    expect(provider.calls).toBe(2);
  });

  it('paints anew with a warning when the cache cannot be read', async () => {
    const broken: Cache = {
      get: async () => {
        throw new TypeError('disk gone');
      },
      set: async () => {},
      delete: async () => {},
    };
    const provider = createMockProvider();
    const { context, task } = setup(provider, broken);
    const outcome = await paintCandidate(context, task);
    if (!outcome.ok) throw outcome.failure;
    expect(provider.calls).toBe(1);
    expect(outcome.painted.record.warnings).toContainEqual(
      expect.stringMatching(/^the cache could not be read .*; painted anew$/),
    );
  });

  it('returns a failure with the attempts made instead of throwing', async () => {
    const provider = createMockProvider({ afterScript: { status: 400, message: 'no' } });
    const { context, task } = setup(provider);
    const outcome = await paintCandidate(context, task);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ status: 400 });
    expect(outcome.attempts).toBe(2);
  });

  it('turns an answer without an image into provider_bad_response', async () => {
    const provider: Provider = {
      ...createMockProvider(),
      generate: async () => ({
        image: { bytes: new Uint8Array(), mediaType: 'image/png' },
        warnings: [],
      }),
    };
    const { context, task } = setup(provider);
    const outcome = await paintCandidate(context, task);
    expect(outcome.ok ? undefined : outcome.failure.code).toBe('provider_bad_response');
  });

  it('throws the signal reason once aborted', async () => {
    const controller = new AbortController();
    const provider = createMockProvider({ latencyMs: 1000 });
    const { context, task } = setup(provider);
    const painting = paintCandidate(context, { ...task, hooks: { signal: controller.signal } });
    controller.abort(new TypeError('stop'));
    await expect(painting).rejects.toThrow();
  });
});
