import { createLoom } from '@layerloom/core';
import { createMockProvider, createRecordingCompositor } from '@layerloom/core/testing';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io.js';
import { createRenderProgress } from './create-render-progress.js';

describe('line progress (no TTY, or CI)', () => {
  it('writes one timestamped line per change: queued, start, quarters, retry, fallback, done', async () => {
    const loom = createLoom({
      providers: {
        A: createMockProvider({ id: 'hero-model', latencyMs: 20, progressSteps: 8 }),
        B: createMockProvider({
          id: 'flaky',
          script: [{ status: 429, retryAfterMs: 10, message: 'slow down' }, { status: 400 }],
        }),
        C: createMockProvider({ id: 'backup' }),
      },
      compositor: createRecordingCompositor(),
    });
    const composition = {
      width: 64,
      height: 64,
      layers: [
        { id: 'hero', prompt: 'a knight', provider: 'A' },
        { id: 'sky', prompt: 'a sky', provider: ['B', 'C'] },
      ],
    };
    const io = captureIo();
    const progress = createRenderProgress(await loom.plan(composition), io);
    await loom.render(composition, { onEvent: progress.onEvent });
    progress.settle();
    await progress.finished;

    const output = io.stderrLines();
    for (const line of output) expect(line).toMatch(/^\[\s*\d+\.\ds\] \S+/);
    const of = (id: string) =>
      output.filter((line) => /^\[[^\]]+\] ([^\s:]+)/.exec(line)?.[1] === id);
    expect(of('hero')[0]).toMatch(/hero @A hero-model\/mock-v1: queued \(0 ahead\)$/);
    expect(
      of('hero')
        .slice(1)
        .map((line) => line.replace(/^\[[^\]]+\] /, '')),
    ).toEqual([
      'hero: painting',
      'hero: 25%',
      'hero: 50%',
      'hero: 75%',
      expect.stringMatching(/^hero: done in \d+\.\ds$/),
    ]);
    const sky = of('sky').map((line) => line.replace(/^\[[^\]]+\] /, ''));
    expect(sky).toContain('sky: retry 1 in 0.0s: provider_error: slow down');
    expect(sky.some((line) => line.startsWith('sky: @B trying the next provider:'))).toBe(true);
    expect(sky.at(-1)).toMatch(/^sky: done in \d+\.\ds · 1 retry$/);
    expect(output.at(-1)).toMatch(/composite: done in \d+\.\ds$/);
  });
});
