import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../test/settle.js';
import { ValidationError } from '../errors/validation-error.js';
import type { StepExecutor } from '../pipeline/step-executor.js';
import { createPreviewProvider } from '../preview/create-preview-provider.js';
import { createScheduler } from '../scheduler/create-scheduler.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import { createRecordingCompositor } from '../testing/create-recording-compositor.js';
import type { Composition } from '../types/composition.js';
import type { RenderEvent } from '../types/render-event.js';
import type { RenderManifest } from '../types/render-result.js';
import { sha256 } from '../util/sha256.js';
import { createLoom } from './create-loom.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const twoLayers: Composition = {
  width: 64,
  height: 48,
  seed: 5,
  background: '#102030',
  layers: [
    {
      id: 'hero',
      prompt: 'a knight',
      provider: 'A',
      placement: { x: 8, y: 4, width: 32, height: 40 },
      blend: 'multiply',
    },
    { id: 'scene', prompt: 'a forest', provider: 'B' },
  ],
  style: { prompt: 'watercolour', provider: 'Z', strength: 0.4 },
};

describe('loom.render', () => {
  it('paints the layers, composites them top-first, runs the style pass and reports all of it', async () => {
    const providers = {
      A: createMockProvider({
        id: 'studio',
        modelId: 'people-v2',
        latencyMs: 40,
        progressSteps: 2,
        costUsd: 0.04,
      }),
      B: createMockProvider({ id: 'scenes', modelId: 'land-v1', latencyMs: 10, costUsd: 0.02 }),
      Z: createMockProvider({
        id: 'styler',
        modelId: 'brush-v1',
        latencyMs: 10,
        script: [{ ok: true, revisedPrompt: 'a soft watercolour' }],
      }),
    };
    const compositor = createRecordingCompositor({ latencyMs: 5 });
    const loom = createLoom({ providers, compositor });
    const events: RenderEvent[] = [];
    const result = await settle(loom.render(twoLayers, { onEvent: (event) => events.push(event) }));

    expect(compositor.calls).toHaveLength(1);
    const input = compositor.calls[0]!;
    expect(input).toMatchObject({ width: 64, height: 48, background: '#102030' });
    expect(
      input.layers.map((entry) => [entry.layer.id, entry.layer.matte, entry.layer.blend]),
    ).toEqual([
      ['hero', 'alpha', 'multiply'],
      ['scene', 'none', undefined],
    ]);
    expect(input.layers[0]!.image).toEqual(result.layers[0]!.image);

    // The style pass paints over the composite.
    const styleRequest = providers.Z.requests[0]!;
    const composite = events.find((event) => event.type === 'composite:done')!;
    expect(composite.type === 'composite:done' && styleRequest.image?.bytes).toEqual(
      composite.type === 'composite:done' ? composite.image.bytes : undefined,
    );
    expect(styleRequest).toMatchObject({ strength: 0.4, seed: 5, width: 64, height: 48 });

    expect(
      result.layers.map((layer) => [
        layer.id,
        layer.provider,
        layer.providerId,
        layer.modelId,
        layer.seed,
      ]),
    ).toEqual([
      ['hero', 'A', 'studio', 'people-v2', 5],
      ['scene', 'B', 'scenes', 'land-v1', 5],
    ]);
    expect(result.layers[0]).toMatchObject({
      cached: false,
      attempts: 1,
      ms: 40,
      costUsd: 0.04,
      composited: true,
    });
    expect(result.style).toMatchObject({
      provider: 'Z',
      revisedPrompt: 'a soft watercolour',
      attempts: 1,
    });
    expect(result.image).toMatchObject({ width: 64, height: 48, mediaType: 'image/png' });
    expect(result.image.bytes).toEqual(result.style!.image.bytes);
    expect(result.costUsd).toBeCloseTo(0.06, 10);
    expect(result.timings).toEqual({
      planMs: 0,
      layersMs: 40,
      compositeMs: 5,
      styleMs: 10,
      totalMs: 55,
    });
    expect(result.skipped).toEqual([]);

    expect(
      events.map((event) => ('layerId' in event ? `${event.type} ${event.layerId}` : event.type)),
    ).toEqual([
      'plan',
      'layer:queued scene',
      'layer:start scene',
      'layer:queued hero',
      'layer:start hero',
      'layer:done scene',
      'layer:progress hero',
      'layer:progress hero',
      'layer:done hero',
      'composite:done',
      'style:start',
      'style:done',
      'done',
    ]);
    expect(events.map((event) => event.elapsedMs)).toEqual([
      0, 0, 0, 0, 0, 10, 20, 40, 40, 45, 45, 55, 55,
    ]);
    const progress = events.filter((event) => event.type === 'layer:progress');
    expect(progress.map((event) => event.type === 'layer:progress' && event.fraction)).toEqual([
      0.5, 1,
    ]);
    const done = events.at(-1)!;
    expect(done.type === 'done' && done.result).toBe(result);
  });

  it('records a manifest that is enough to replay the render, without image bytes', async () => {
    const providers = {
      A: createMockProvider({ id: 'studio', script: [{ ok: true, seed: 1234 }] }),
      B: createMockProvider({ id: 'scenes' }),
      Z: createMockProvider({ id: 'styler' }),
    };
    const loom = createLoom({ providers, compositor: createRecordingCompositor() });
    const composition: Composition = {
      ...twoLayers,
      seed: undefined,
      layers: [
        {
          ...twoLayers.layers[0]!,
          mask: {
            type: 'image',
            image: { bytes: new Uint8Array([1, 2, 3]), mediaType: 'image/png' },
          },
        },
        { ...twoLayers.layers[1]!, seed: 77 },
      ],
    };
    const startedAt = Date.now();
    const result = await settle(loom.render(composition));
    const manifest = result.manifest;
    expect(manifest.version).toBe(1);
    expect(manifest.providers).toEqual({
      A: { id: 'studio', modelId: 'mock-v1' },
      B: { id: 'scenes', modelId: 'mock-v1' },
      Z: { id: 'styler', modelId: 'mock-v1' },
    });
    // Seeds really used are filled in; the image mask is named by its hash.
    expect(manifest.composition.layers[0]).toMatchObject({
      id: 'hero',
      seed: 1234,
      mask: {
        type: 'image',
        image: { sha256: sha256(new Uint8Array([1, 2, 3])), mediaType: 'image/png', byteLength: 3 },
      },
    });
    expect(manifest.composition.layers[1]!.seed).toBe(77);
    expect(Object.keys(manifest.composition)).toEqual(
      [...Object.keys(manifest.composition)].sort(),
    );
    expect(manifest.steps.map((step) => [step.id, step.kind, step.provider, step.cached])).toEqual([
      ['scene', 'layer', 'B', false],
      ['hero', 'layer', 'A', false],
      ['style', 'style', 'Z', false],
    ]);
    expect(manifest.steps[2]!.inputSha256).toBe(manifest.compositeSha256);
    expect(manifest.outputSha256).toBe(sha256(result.image.bytes));
    expect(manifest.steps[1]!.outputSha256).toBe(sha256(result.layers[0]!.image.bytes));
    expect(manifest.createdAt).toBe(new Date(startedAt + result.timings.totalMs).toISOString());
    const json = JSON.stringify(manifest);
    expect(json).not.toMatch(/"bytes"|"0":/);
    expect(JSON.parse(json)).toEqual(manifest);
  });

  it('replays a manifest: rendering its composition again gives the same picture', async () => {
    // Deterministic providers (the preview provider paints from the seed) make a replay exact.
    const providers = {
      A: createPreviewProvider(),
      B: createPreviewProvider(),
      Z: createPreviewProvider(),
    };
    const loom = createLoom({ providers, compositor: createRecordingCompositor() });
    const first = await settle(loom.render({ ...twoLayers, seed: undefined }));
    const saved = JSON.parse(JSON.stringify(first.manifest)) as RenderManifest;
    const replay = await settle(loom.render(saved.composition as Composition));
    expect(replay.manifest.outputSha256).toBe(first.manifest.outputSha256);
    expect(replay.manifest.composition).toEqual(saved.composition);
    expect(replay.layers.map((layer) => layer.seed)).toEqual(
      first.layers.map((layer) => layer.seed),
    );
  });

  it('paints a chained layer over its input once the input is done, and composites only the chain top', async () => {
    const providers = {
      A: createMockProvider({ latencyMs: 30 }),
      B: createMockProvider({ latencyMs: 10 }),
    };
    const compositor = createRecordingCompositor();
    const loom = createLoom({ providers, compositor });
    const events: RenderEvent[] = [];
    const result = await settle(
      loom.render(
        {
          width: 64,
          height: 64,
          layers: [
            { id: 'hat', prompt: 'add a red hat', provider: 'B', from: 'hero', strength: 0.5 },
            {
              id: 'hero',
              prompt: 'a knight',
              provider: 'A',
              placement: { x: 4, y: 4, width: 20, height: 30 },
            },
            { id: 'scene', prompt: 'a field', provider: 'B' },
          ],
        },
        { onEvent: (event) => events.push(event) },
      ),
    );
    const hero = result.layers.find((layer) => layer.id === 'hero')!;
    const hatRequest = providers.B.requests.find((request) => request.prompt === 'add a red hat')!;
    expect(hatRequest.image).toEqual(hero.image);
    expect(hatRequest).toMatchObject({ width: 20, height: 30, strength: 0.5 });
    const order = events.flatMap((event) =>
      event.type === 'layer:done' || event.type === 'layer:start'
        ? [`${event.type} ${event.layerId}`]
        : [],
    );
    expect(order.indexOf('layer:start hat')).toBeGreaterThan(order.indexOf('layer:done hero'));
    expect(
      compositor.calls[0]!.layers.map((entry) => [entry.layer.id, entry.layer.placement]),
    ).toEqual([
      ['hat', { x: 4, y: 4, width: 20, height: 30 }],
      ['scene', undefined],
    ]);
    expect(result.layers.map((layer) => [layer.id, layer.composited])).toEqual([
      ['hat', true],
      ['hero', false],
      ['scene', true],
    ]);
    expect(result.manifest.steps.find((step) => step.id === 'hat')!.inputSha256).toBe(
      sha256(hero.image.bytes),
    );
  });

  it('never lets a provider see more calls than its limit, and never blocks one provider behind another', async () => {
    const providers = {
      A: createMockProvider({ id: 'slow', latencyMs: 1_000 }),
      B: createMockProvider({ id: 'fast', latencyMs: 10 }),
    };
    const loom = createLoom({
      providers,
      compositor: createRecordingCompositor(),
      limits: { A: { concurrency: 2 }, B: { concurrency: 3 } },
    });
    const layers = Array.from({ length: 24 }, (_, index) => ({
      id: `layer${index}`,
      prompt: `thing ${index}`,
      provider: index % 2 === 0 ? 'A' : 'B',
    }));
    const doneAt = new Map<string, number>();
    const result = await settle(
      loom.render(
        { width: 32, height: 32, layers },
        {
          onEvent: (event) =>
            event.type === 'layer:done' && doneAt.set(event.layerId, event.elapsedMs),
        },
      ),
    );
    expect(providers.A.maxInFlight).toBe(2);
    expect(providers.B.maxInFlight).toBe(3);
    expect(result.layers).toHaveLength(24);
    // 12 layers on B at 3 at a time take 4 rounds of 10 ms, whatever A does.
    const fastDone = layers
      .filter((layer) => layer.provider === 'B')
      .map((layer) => doneAt.get(layer.id)!);
    expect(Math.max(...fastDone)).toBe(40);
    expect(result.timings.layersMs).toBe(6_000);
    expect(loom.scheduler!.stats('A')).toMatchObject({ maxActive: 2, succeeded: 12 });
  });

  it('tells each call which step it paints (stepId), outside the cache key', async () => {
    const providers = { A: createMockProvider(), Z: createMockProvider() };
    const loom = createLoom({ providers, compositor: createRecordingCompositor() });
    const composition: Composition = {
      width: 32,
      height: 32,
      layers: [
        { id: 'hero', prompt: 'same', provider: 'A' },
        { id: 'shadow', prompt: 'same', provider: 'A', seed: 3 },
      ],
      style: { prompt: 'ink', provider: 'Z' },
    };
    await settle(loom.render(composition));
    expect(providers.A.requests.map((request) => request.stepId).sort()).toEqual([
      'hero',
      'shadow',
    ]);
    expect(providers.Z.requests.map((request) => request.stepId)).toEqual(['style']);
    const plan = await loom.plan(composition);
    expect(plan.steps.every((step) => !('stepId' in step.request))).toBe(true);
  });

  it('relays progress with preview images for layers and the style pass', async () => {
    const providers = {
      A: createMockProvider({ latencyMs: 40, progressSteps: 4, progressPreviews: true }),
      Z: createMockProvider({ latencyMs: 20, progressSteps: 2, progressPreviews: true }),
    };
    const loom = createLoom({ providers, compositor: createRecordingCompositor() });
    const events: RenderEvent[] = [];
    await settle(
      loom.render(
        {
          width: 64,
          height: 32,
          layers: [{ id: 'hero', prompt: 'a knight', provider: 'A' }],
          style: { prompt: 'ink', provider: 'Z' },
        },
        { onEvent: (event) => events.push(event) },
      ),
    );
    const progress = events.flatMap((event) =>
      event.type === 'layer:progress' || event.type === 'style:progress'
        ? [[event.type, event.fraction, event.preview?.mediaType, event.preview?.bytes.length]]
        : [],
    );
    expect(progress.map(([type, fraction]) => [type, fraction])).toEqual([
      ['layer:progress', 0.25],
      ['layer:progress', 0.5],
      ['layer:progress', 0.75],
      ['layer:progress', 1],
      ['style:progress', 0.5],
      ['style:progress', 1],
    ]);
    for (const [, , mediaType, length] of progress) {
      expect(mediaType).toBe('image/png');
      expect(length).toBeGreaterThan(8);
    }
  });

  it('reports queue positions, retries with their delay and reason, and attempts', async () => {
    const providers = {
      A: createMockProvider({
        latencyMs: 10,
        script: ['ok', { status: 429, retryAfterMs: 300, message: 'slow down' }],
      }),
    };
    const loom = createLoom({
      providers,
      compositor: createRecordingCompositor(),
      limits: { A: { concurrency: 1 } },
    });
    const events: RenderEvent[] = [];
    const result = await settle(
      loom.render(
        {
          width: 32,
          height: 32,
          layers: [
            { id: 'top', prompt: 'a bird', provider: 'A' },
            { id: 'middle', prompt: 'a tree', provider: 'A' },
            { id: 'bottom', prompt: 'a sky', provider: 'A' },
          ],
        },
        { onEvent: (event) => events.push(event) },
      ),
    );
    const queued = events.filter((event) => event.type === 'layer:queued');
    expect(
      queued.map((event) => event.type === 'layer:queued' && [event.layerId, event.position]),
    ).toEqual([
      ['bottom', 0],
      ['middle', 0],
      ['top', 1],
    ]);
    const retry = events.find((event) => event.type === 'layer:retry');
    expect(retry).toMatchObject({
      layerId: 'middle',
      provider: 'A',
      attempt: 1,
      delayMs: 300,
      reason: 'provider_error: slow down',
      error: { status: 429 },
    });
    expect(result.layers.find((layer) => layer.id === 'middle')!.attempts).toBe(2);
  });

  it('renders notation text, with variables', async () => {
    const providers = { A: createMockProvider(), B: createMockProvider() };
    const loom = createLoom({ providers, compositor: createRecordingCompositor() });
    const result = await settle(
      loom.render('size 32x32\nseed 3\n| hero: a $colour knight @A\n| scene: a field @B', {
        variables: { colour: 'golden' },
      }),
    );
    expect(providers.A.requests[0]).toMatchObject({
      prompt: 'a golden knight',
      seed: 3,
      transparent: true,
    });
    expect(result.manifest.composition.layers[0]!.prompt).toBe('a golden knight');
  });

  it('runs calls through a custom step executor', async () => {
    const calls: string[] = [];
    const executor: StepExecutor = {
      async execute(task, hooks) {
        calls.push(`${task.kind}:${task.stepId}@${task.alias}`);
        hooks.onStart?.(1);
        const result = await task.provider.generate({ ...task.request, signal: hooks.signal });
        return { result, attempts: 1 };
      },
    };
    const providers = { A: createMockProvider(), B: createMockProvider(), Z: createMockProvider() };
    const loom = createLoom({ providers, compositor: createRecordingCompositor(), executor });
    expect(loom.scheduler).toBeUndefined();
    await settle(loom.render(twoLayers));
    expect(calls).toEqual(['layer:scene@B', 'layer:hero@A', 'style:style@Z']);
  });

  it('shares a scheduler between looms', async () => {
    const scheduler = createScheduler({ limits: { A: { concurrency: 1 } } });
    const provider = createMockProvider({ latencyMs: 10 });
    const first = createLoom({
      providers: { A: provider },
      compositor: createRecordingCompositor(),
      scheduler,
    });
    const second = createLoom({
      providers: { A: provider },
      compositor: createRecordingCompositor(),
      scheduler,
    });
    const composition = {
      width: 8,
      height: 8,
      layers: [{ id: 'only', prompt: 'x', provider: 'A' }],
    };
    await settle(Promise.all([first.render(composition), second.render(composition)]));
    expect(provider.maxInFlight).toBe(1);
    expect(first.scheduler).toBe(scheduler);
  });
});

describe('createLoom: options', () => {
  const compositor = createRecordingCompositor();

  it('refuses bad options with a ValidationError naming the field', () => {
    expect(() => createLoom({ providers: {}, compositor })).toThrow(
      'Expected `providers` to be an object of at least one provider',
    );
    expect(() => createLoom({ providers: { A: { id: 'x' } as never }, compositor })).toThrow(
      ValidationError,
    );
    expect(() => createLoom({ providers: { A: { id: 'x' } as never }, compositor })).toThrow(
      '`providers.A.modelId`',
    );
    expect(() =>
      createLoom({ providers: { A: createMockProvider() }, compositor: {} as never }),
    ).toThrow('Expected `compositor.composite` to be a function, got nothing');
    expect(() =>
      createLoom({
        providers: { A: createMockProvider() },
        compositor,
        limits: { A: { concurrency: -1 } },
      }),
    ).toThrow('`limits.A.concurrency`');
    expect(() =>
      createLoom({
        providers: { A: createMockProvider() },
        compositor,
        onLayerError: 'ignore' as never,
      }),
    ).toThrow('Expected `onLayerError` to be "fail" or "skip"');
  });

  it('refuses scheduler options next to a custom executor or scheduler', () => {
    const executor: StepExecutor = {
      execute: async () => ({
        result: { image: { bytes: new Uint8Array(1), mediaType: 'image/png' }, warnings: [] },
        attempts: 1,
      }),
    };
    expect(() =>
      createLoom({
        providers: { A: createMockProvider() },
        compositor,
        executor,
        limits: { A: { concurrency: 1 } },
      }),
    ).toThrow('`limits` configures the built-in scheduler; it cannot be combined with `executor`');
    expect(() =>
      createLoom({
        providers: { A: createMockProvider() },
        compositor,
        scheduler: createScheduler(),
        retry: { maxDelayMs: 1 },
      }),
    ).toThrow('`retry` configures the built-in scheduler; it cannot be combined with `scheduler`');
  });

  it('refuses bad render options and inputs', async () => {
    const loom = createLoom({ providers: { A: createMockProvider() }, compositor });
    await expect(loom.render({ width: 8, height: 8, layers: [] } as never)).rejects.toThrow(
      ValidationError,
    );
    await expect(loom.render(42 as never)).rejects.toThrow(
      'Expected `composition` to be a composition object',
    );
    await expect(
      loom.render({ width: 8, height: 8, layers: [{ id: 'a', prompt: 'b', provider: 'A' }] }, {
        cache: 'maybe',
      } as never),
    ).rejects.toThrow('Expected `cache` to be "seeded", "always" or "off"');
    await expect(loom.render('| a: b @A\n| c d e', {})).rejects.toMatchObject({
      code: 'layer_notation_error',
    });
  });
});
