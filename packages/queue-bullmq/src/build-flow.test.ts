import { encodePng } from '@layerloom/core';
import { planRender } from '@layerloom/core/pipeline';
import { createMockProvider } from '@layerloom/core/testing';
import type { FlowJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from './blob-store.js';
import { buildFlow, type FlowSettings } from './build-flow.js';

const flowId = 'ab'.repeat(20);
const settings: FlowSettings = {
  flowId,
  attemptsOf: (alias) => (alias === 'A' ? 3 : 1),
  onLayerError: 'fail',
  cachePolicy: 'seeded',
  priority: 7,
  removeOnComplete: true,
  removeOnFail: { age: 60 },
};
const providers = { A: createMockProvider({ id: 'a' }), B: createMockProvider({ id: 'b' }) };

function memoryStore(): BlobStore & { keys(): string[] } {
  const objects = new Map<string, Uint8Array>();
  return {
    put: async (key, bytes) => {
      objects.set(key, bytes);
    },
    get: async (key) => objects.get(key),
    delete: async (key) => {
      objects.delete(key);
    },
    keys: () => [...objects.keys()],
  };
}

/** `<short id>(<queue>)[children]`, for a readable shape. */
function shape(node: FlowJob): string {
  const id = String(node.opts?.jobId).replace(`${flowId}.`, '');
  const children = (node.children ?? []) as FlowJob[];
  return `${id}(${node.queueName})${children.length === 0 ? '' : `[${children.map(shape).join(' ')}]`}`;
}

describe('buildFlow', () => {
  it('nests `from` sources under their first user, compose under style', async () => {
    const plan = planRender(
      {
        width: 16,
        height: 16,
        seed: 1,
        layers: [
          { id: 'top', prompt: 't', provider: 'A', from: 'left' },
          { id: 'left', prompt: 'l', provider: 'B', from: 'base' },
          { id: 'right', prompt: 'r', provider: ['A', 'B'], from: 'base' },
          { id: 'base', prompt: 'b', provider: 'B' },
        ],
        style: { prompt: 's', provider: 'B' },
      },
      { providers },
    );
    const { flow, rootId, rootQueue } = await buildFlow(plan, settings, memoryStore());
    expect(rootId).toBe(`${flowId}.S.0`);
    expect(rootQueue).toBe('layers-B');
    expect(shape(flow)).toBe(
      'S.0(layers-B)[C(compose)[L.right.0(layers-A)[L.base.0(layers-B)] L.top.0(layers-A)[L.left.0(layers-B)]]]',
    );
    const compose = (flow.children as FlowJob[])[0]!;
    // Only composited layers reach the compositor, first on top.
    expect(
      (compose.data as { layers: { stepId: string }[] }).layers.map((layer) => layer.stepId),
    ).toEqual(['top', 'right']);
    const right = (compose.children as FlowJob[])[0]!;
    expect(right.opts).toMatchObject({ attempts: 3, priority: 7, failParentOnFailure: true });
    expect(right.data).toMatchObject({
      from: 'base',
      candidateIndex: 0,
      candidates: [{ alias: 'A' }, { alias: 'B', attempts: 1 }],
    });
    expect(flow.opts).not.toHaveProperty('failParentOnFailure');
  });

  it('makes the compose job the root without a style pass, and moves mask images to the store', async () => {
    const mask = encodePng({ width: 1, height: 1, data: new Uint8Array([255, 255, 255, 255]) });
    const plan = planRender(
      {
        width: 16,
        height: 16,
        layers: [
          {
            id: 'only',
            prompt: 'o',
            provider: 'A',
            mask: { type: 'image', image: { bytes: mask, mediaType: 'image/png' } },
          },
        ],
      },
      { providers },
    );
    const store = memoryStore();
    const { flow, rootId } = await buildFlow(plan, settings, store);
    expect(rootId).toBe(`${flowId}.C`);
    expect(shape(flow)).toBe('C(compose)[L.only.0(layers-A)]');
    const layer = (flow.data as { layers: { layer: { mask: { image: unknown } } }[] }).layers[0]!;
    expect(layer.layer.mask.image).toMatchObject({ mediaType: 'image/png' });
    expect(JSON.stringify(flow)).not.toContain('"bytes"');
    expect(store.keys()).toHaveLength(1);
  });
});
