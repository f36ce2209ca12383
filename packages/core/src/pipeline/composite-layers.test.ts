import { describe, expect, it } from 'vitest';
import { LayerloomError } from '../errors/layerloom-error.js';
import { systemClock } from '../scheduler/clock.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import { createRecordingCompositor } from '../testing/create-recording-compositor.js';
import type { Compositor } from '../types/compositor.js';
import { compositedLayers, compositeLayers } from './composite-layers.js';
import { planRender } from './plan-render.js';

const image = { bytes: new Uint8Array([1, 2, 3]), mediaType: 'image/png' };
const composition = { width: 8, height: 8 };

describe('compositedLayers', () => {
  it('leaves out chain intermediates and gives a chained layer its input’s placement', () => {
    const plan = planRender(
      {
        width: 32,
        height: 32,
        layers: [
          { id: 'hat', prompt: 'a hat', provider: 'A', from: 'hero' },
          {
            id: 'hero',
            prompt: 'a knight',
            provider: 'A',
            placement: { x: 2, y: 3, width: 10, height: 12 },
          },
          { id: 'scene', prompt: 'a field', provider: 'A' },
        ],
      },
      { providers: { A: createMockProvider() } },
    );
    expect(compositedLayers(plan).map(({ stepId, layer }) => [stepId, layer.placement])).toEqual([
      ['hat', { x: 2, y: 3, width: 10, height: 12 }],
      ['scene', undefined],
    ]);
  });
});

describe('compositeLayers', () => {
  const context = (compositor: Compositor) => ({ compositor, clock: systemClock });

  it('hands painted layers with their painting candidate’s matte to the compositor, skipped ones not', async () => {
    const compositor = createRecordingCompositor();
    const result = await compositeLayers(
      context(compositor),
      {
        composition,
        layers: [
          { layer: { id: 'a', prompt: 'a', provider: 'A' }, painted: { image, matte: 'alpha' } },
          { layer: { id: 'b', prompt: 'b', provider: 'A' } },
        ],
        skipped: [],
      },
      undefined,
    );
    expect(compositor.calls[0]!.layers.map((entry) => [entry.layer.id, entry.layer.matte])).toEqual(
      [['a', 'alpha']],
    );
    expect(result.image.width).toBe(8);
  });

  it('fails with no_layers_painted, naming the first skipped step’s error', async () => {
    const first = new LayerloomError('provider_error', 'Mock 400');
    await expect(
      compositeLayers(
        context(createRecordingCompositor()),
        {
          composition,
          layers: [{ layer: { id: 'a', prompt: 'a', provider: 'A' } }],
          skipped: [{ id: 'a', kind: 'layer', providers: ['A'], error: first, attempts: 1 }],
        },
        undefined,
      ),
    ).rejects.toMatchObject({
      code: 'no_layers_painted',
      message: 'Every layer was skipped after failing; nothing to composite (first: Mock 400)',
    });
  });

  it('wraps what a compositor throws, and refuses an answer without an image', async () => {
    const input = {
      composition,
      layers: [
        {
          layer: { id: 'a', prompt: 'a', provider: 'A' },
          painted: { image, matte: 'none' as const },
        },
      ],
      skipped: [],
    };
    const throwing: Compositor = {
      composite: async () => {
        throw new RangeError('boom');
      },
    };
    await expect(compositeLayers(context(throwing), input, undefined)).rejects.toMatchObject({
      code: 'compositor_error',
    });
    const empty = { composite: async () => ({}) } as unknown as Compositor;
    await expect(compositeLayers(context(empty), input, undefined)).rejects.toMatchObject({
      code: 'compositor_error',
      message: 'The compositor returned no image: expected `{ bytes, mediaType, width, height }`',
    });
  });
});
