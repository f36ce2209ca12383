import { describe, expect, it } from 'vitest';
import { runStandaloneScheduler } from './standalone-scheduler.js';

describe('standalone scheduler example (docs/limits-retries-caching.md §1)', () => {
  it('keeps each service to its limit, runs the urgent upload first and retries the 429', async () => {
    const report = await runStandaloneScheduler();
    expect(report.maxInFlight).toEqual({ cdn: 2, archive: 1 });
    // a and b take the two cdn slots; urgent (priority 10) goes before c.
    expect(report.started.cdn).toEqual(['a.png', 'b.png', 'urgent.png', 'c.png']);
    expect(report.started.archive).toEqual(['a.png', 'b.png']);
    expect(report.retries).toHaveLength(1);
    expect(report.retries[0]).toMatch(
      /^a\.png: retry after attempt 1 in 50 ms \(.*Too many requests\)$/,
    );
    expect(report.results).toEqual([
      'cdn/a.png',
      'cdn/b.png',
      'cdn/c.png',
      'cdn/urgent.png',
      'archive/a.png',
      'archive/b.png',
    ]);
  });
});
