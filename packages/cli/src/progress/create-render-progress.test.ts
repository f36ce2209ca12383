import { createLoom } from '@layerloom/core';
import { createMockProvider, createRecordingCompositor } from '@layerloom/core/testing';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io.js';
import { createRenderProgress } from './create-render-progress.js';

describe('createRenderProgress: line progress (no TTY, or CI)', () => {
  it('is chosen when stderr is not a TTY or CI is set; colour-free either way', async () => {
    const loom = createLoom({
      providers: { A: createMockProvider() },
      compositor: createRecordingCompositor(),
    });
    const plan = await loom.plan({
      width: 8,
      height: 8,
      layers: [{ id: 'a', prompt: 'x', provider: 'A' }],
    });
    const tty = captureIo({ env: { CI: 'true' } });
    Object.assign(tty.stderr, { isTTY: true });
    const progress = createRenderProgress(plan, tty);
    progress.onEvent({
      type: 'layer:queued',
      layerId: 'a',
      provider: 'A',
      position: 2,
      elapsedMs: 1500,
    });
    await progress.finished;
    expect(tty.stderrLines()).toEqual(['[  1.5s] a @A mock/mock-v1: queued (2 ahead)']);
  });
});
