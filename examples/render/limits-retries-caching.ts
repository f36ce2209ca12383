/**
 * Limits, retries and caching, offline: a provider that answers 429 with `Retry-After` and then
 * 503 is retried by the loom (never by the adapter); a provider limited to one call at a time
 * never sees two; a re-render with one layer changed calls only that layer's provider.
 *
 * Run: `npx tsx examples/render/limits-retries-caching.ts`. See
 * docs/limits-retries-caching.md.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Composition, createLoom, fileCache, type RenderEvent } from '@layerloom/core';
import { createMockProvider, createRecordingCompositor } from '@layerloom/core/testing';

/** What {@link limitsRetriesCaching} observed. */
export interface Observations {
  /** Every retry, as `layer: reason, delay`. */
  readonly retries: readonly string[];
  /** Most calls the one-at-a-time provider saw at once. */
  readonly maxInFlightOfSlowProvider: number;
  /** Calls per provider after the first render and after the re-render. */
  readonly calls: readonly [Record<string, number>, Record<string, number>];
  /** Which layers the re-render took from the cache. */
  readonly cachedOnRerender: readonly string[];
}

const poster = (dogPrompt: string): Composition => ({
  width: 128,
  height: 128,
  seed: 7,
  layers: [
    { id: 'title', prompt: 'the word FOREST in gold letters', provider: 'flaky' },
    { id: 'dog', prompt: dogPrompt, provider: 'pets' },
    { id: 'tree1', prompt: 'an oak', provider: 'slow' },
    { id: 'tree2', prompt: 'a birch', provider: 'slow' },
    { id: 'scene', prompt: 'a clearing', provider: 'slow' },
  ],
});

/**
 * Renders the poster, then re-renders it with another dog.
 *
 * @param cacheDirectory - where the file cache lives.
 */
export async function limitsRetriesCaching(cacheDirectory: string): Promise<Observations> {
  const providers = {
    // Answers 429 (retry after 50 ms), then 503, then paints.
    flaky: createMockProvider({
      id: 'flaky',
      script: [{ status: 429, retryAfterMs: 50 }, { status: 503 }, 'ok'],
    }),
    pets: createMockProvider({ id: 'pets', latencyMs: 20 }),
    slow: createMockProvider({ id: 'slow', latencyMs: 30 }),
  };
  const loom = createLoom({
    providers,
    compositor: createRecordingCompositor(),
    limits: {
      slow: { concurrency: 1, requestsPerMinute: 60, timeoutMs: 10_000 },
      flaky: { maxRetries: 3 },
    },
    retry: { baseDelayMs: 100, maxDelayMs: 2_000, budget: { capacity: 5, refillPerSecond: 0.5 } },
    cache: fileCache(cacheDirectory),
  });
  const retries: string[] = [];
  const onEvent = (event: RenderEvent) => {
    if (event.type === 'layer:retry') {
      retries.push(`${event.layerId}: ${event.reason}, after ${event.delayMs} ms`);
    }
  };
  const count = () =>
    Object.fromEntries(
      Object.entries(providers).map(([alias, provider]) => [alias, provider.calls]),
    );

  await loom.render(poster('a corgi'), { onEvent });
  const first = count();
  const again = await loom.render(poster('a beagle'), { onEvent });
  return {
    retries,
    maxInFlightOfSlowProvider: providers.slow.maxInFlight,
    calls: [first, count()],
    cachedOnRerender: again.layers.filter((layer) => layer.cached).map((layer) => layer.id),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const observed = await limitsRetriesCaching(join('out', 'cache'));
  console.log(JSON.stringify(observed, null, 2));
}
