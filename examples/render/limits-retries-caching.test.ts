import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { limitsRetriesCaching } from './limits-retries-caching.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('limits, retries and caching example (docs/limits-retries-caching.md)', () => {
  it('retries, keeps the limit and re-paints only the changed layer', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-limits-'));
    const observed = await limitsRetriesCaching(directory);
    expect(observed.retries).toHaveLength(2);
    expect(observed.retries[0]).toBe('title: provider_error: Mock 429, after 50 ms');
    expect(observed.retries[1]).toMatch(/^title: provider_error: Mock 503, after \d+ ms$/);
    expect(observed.maxInFlightOfSlowProvider).toBe(1);
    expect(observed.calls).toEqual([
      { flaky: 3, pets: 1, slow: 3 },
      { flaky: 3, pets: 2, slow: 3 },
    ]);
    expect(observed.cachedOnRerender).toEqual(['title', 'tree1', 'tree2', 'scene']);
  });
});
