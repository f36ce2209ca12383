import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../test/settle.js';
import { AbortError } from '../errors/abort-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { RetryError } from '../errors/retry-error.js';
import { createMockProvider } from '../testing/create-mock-provider.js';
import { createRecordingCompositor } from '../testing/create-recording-compositor.js';
import type { Composition } from '../types/composition.js';
import type { Provider } from '../types/provider.js';
import type { RenderEvent } from '../types/render-event.js';
import { createLoom } from './create-loom.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const failure = (promise: Promise<unknown>) =>
  settle(promise).then(
    () => {
      throw new Error('expected the render to fail');
    },
    (error: unknown) => error,
  );

const layered = (providerOfHero: string | string[] = 'A'): Composition => ({
  width: 32,
  height: 32,
  seed: 1,
  layers: [
    { id: 'hero', prompt: 'a knight', provider: providerOfHero },
    { id: 'scene', prompt: 'a field', provider: 'B' },
  ],
});

const summary = (events: RenderEvent[]) =>
  events.flatMap((event) =>
    event.type === 'layer:error'
      ? [`${event.type} ${event.layerId}@${event.provider} ${event.outcome}`]
      : event.type === 'layer:done'
        ? [`${event.type} ${event.layerId}@${event.record.provider}`]
        : [],
  );

describe('layer failure policy', () => {
  it('fails the render with the layer error and aborts the other calls (onLayerError: fail)', async () => {
    const providers = {
      A: createMockProvider({
        script: [{ status: 400, message: 'prompt refused', providerCode: 'content_policy' }],
      }),
      B: createMockProvider({ latencyMs: 10_000 }),
    };
    const compositor = createRecordingCompositor();
    const loom = createLoom({ providers, compositor });
    const events: RenderEvent[] = [];
    const error = await failure(loom.render(layered(), { onEvent: (event) => events.push(event) }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, providerCode: 'content_policy' });
    expect(providers.B.requests[0]!.signal.aborted).toBe(true);
    expect(compositor.calls).toHaveLength(0);
    expect(summary(events)).toEqual(['layer:error hero@A fail']);
    expect(events.some((event) => event.type === 'done')).toBe(false);
  });

  it('throws a RetryError with every attempt once retries are spent', async () => {
    const providers = {
      A: createMockProvider({ afterScript: { status: 503 } }),
      B: createMockProvider(),
    };
    const loom = createLoom({
      providers,
      compositor: createRecordingCompositor(),
      limits: { A: { maxRetries: 1 } },
    });
    const error = (await failure(loom.render(layered()))) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.attempts).toBe(2);
    expect(error.message).toBe(
      'Layer "hero" on "A" failed after 2 attempts: provider_error: Mock 503',
    );
  });

  it('leaves a failed layer out and composites the rest (onLayerError: skip)', async () => {
    const providers = {
      A: createMockProvider({ script: [{ status: 422, message: 'no' }] }),
      B: createMockProvider(),
    };
    const compositor = createRecordingCompositor();
    const loom = createLoom({ providers, compositor, onLayerError: 'skip' });
    const events: RenderEvent[] = [];
    const result = await settle(loom.render(layered(), { onEvent: (event) => events.push(event) }));
    expect(result.layers.map((layer) => layer.id)).toEqual(['scene']);
    expect(result.skipped).toEqual([
      {
        id: 'hero',
        kind: 'layer',
        providers: ['A'],
        error: expect.any(ProviderError),
        attempts: 1,
      },
    ]);
    expect(compositor.calls[0]!.layers.map((entry) => entry.layer.id)).toEqual(['scene']);
    expect(summary(events).sort()).toEqual(['layer:done scene@B', 'layer:error hero@A skip']);
    expect(result.manifest.skipped).toEqual(['hero']);
  });

  it('skips a chained layer whose input was skipped', async () => {
    const providers = {
      A: createMockProvider({ afterScript: { status: 400 } }),
      B: createMockProvider(),
    };
    const loom = createLoom({ providers, compositor: createRecordingCompositor() });
    const events: RenderEvent[] = [];
    const result = await settle(
      loom.render(
        {
          width: 32,
          height: 32,
          layers: [
            { id: 'hat', prompt: 'a hat', provider: 'B', from: 'hero' },
            { id: 'hero', prompt: 'a knight', provider: 'A' },
            { id: 'scene', prompt: 'a field', provider: 'B' },
          ],
        },
        { onLayerError: 'skip', onEvent: (event) => events.push(event) },
      ),
    );
    expect(result.skipped.map((step) => [step.id, step.error.code])).toEqual([
      ['hero', 'provider_error'],
      ['hat', 'input_skipped'],
    ]);
    expect(providers.B.calls).toBe(1);
    expect(summary(events)).toContain('layer:error hat@B skip');
  });

  it('fails when every layer was skipped', async () => {
    const providers = { A: createMockProvider({ afterScript: { status: 400 } }) };
    const loom = createLoom({
      providers,
      compositor: createRecordingCompositor(),
      onLayerError: 'skip',
    });
    const error = await failure(
      loom.render({ width: 8, height: 8, layers: [{ id: 'only', prompt: 'x', provider: 'A' }] }),
    );
    expect(error).toMatchObject({
      code: 'no_layers_painted',
      message: 'Every layer was skipped after failing; nothing to composite (first: Mock 400)',
    });
  });

  it('falls back to the next provider of the list and records which one painted', async () => {
    const providers = {
      A: createMockProvider({ id: 'main', afterScript: { status: 503, message: 'down' } }),
      A2: createMockProvider({ id: 'backup', capabilities: { transparency: false } }),
      B: createMockProvider(),
    };
    const loom = createLoom({
      providers,
      compositor: createRecordingCompositor(),
      limits: { A: { maxRetries: 1 } },
      random: () => 0,
    });
    const events: RenderEvent[] = [];
    const result = await settle(
      loom.render(layered(['A', 'A2']), { onEvent: (event) => events.push(event) }),
    );
    const hero = result.layers.find((layer) => layer.id === 'hero')!;
    expect(hero).toMatchObject({
      provider: 'A2',
      providerId: 'backup',
      attempts: 3,
      matte: { chromaKey: '#00ff00' },
    });
    expect(hero.warnings).toEqual([
      '"A2" (backup/mock-v1) cannot paint transparency; the layer is painted on #00ff00 and keyed out',
      '"A" failed (retry_exhausted: Layer "hero" on "A" failed after 2 attempts: provider_error: down); the next provider was tried',
    ]);
    expect(summary(events)).toEqual([
      'layer:done scene@B',
      'layer:error hero@A fallback',
      'layer:done hero@A2',
    ]);
    expect(result.manifest.providers).toEqual({
      A2: { id: 'backup', modelId: 'mock-v1' },
      B: { id: 'mock', modelId: 'mock-v1' },
    });
  });

  it('skips a failing style pass under skip and returns the composite', async () => {
    const providers = {
      A: createMockProvider(),
      Z: createMockProvider({ afterScript: { status: 400 } }),
    };
    const loom = createLoom({ providers, compositor: createRecordingCompositor() });
    const events: RenderEvent[] = [];
    const result = await settle(
      loom.render(
        {
          width: 8,
          height: 8,
          layers: [{ id: 'a', prompt: 'x', provider: 'A' }],
          style: { prompt: 'ink', provider: 'Z' },
        },
        { onLayerError: 'skip', onEvent: (event) => events.push(event) },
      ),
    );
    expect(result.style).toBeUndefined();
    expect(result.skipped.map((step) => [step.id, step.kind])).toEqual([['style', 'style']]);
    expect(result.manifest.outputSha256).toBe(result.manifest.compositeSha256);
    expect(events.map((event) => event.type)).toContain('style:error');
    expect(events.map((event) => event.type)).not.toContain('style:done');
  });

  it('reports style retries as style events', async () => {
    const providers = {
      A: createMockProvider(),
      Z: createMockProvider({ script: [{ status: 500 }, 'ok'] }),
    };
    const loom = createLoom({
      providers,
      compositor: createRecordingCompositor(),
      random: () => 0,
    });
    const events: RenderEvent[] = [];
    const result = await settle(
      loom.render(
        {
          width: 8,
          height: 8,
          layers: [{ id: 'a', prompt: 'x', provider: 'A' }],
          style: { prompt: 'ink', provider: 'Z' },
        },
        { onEvent: (event) => events.push(event) },
      ),
    );
    expect(result.style!.attempts).toBe(2);
    expect(
      events.filter((event) => event.type.startsWith('style:')).map((event) => event.type),
    ).toEqual(['style:start', 'style:retry', 'style:done']);
  });
});

describe('aborting a render', () => {
  it('aborts queued and running calls and rejects with an AbortError', async () => {
    const providers = {
      A: createMockProvider({ latencyMs: 5_000 }),
      B: createMockProvider({ latencyMs: 5_000 }),
    };
    const loom = createLoom({
      providers,
      compositor: createRecordingCompositor(),
      limits: { A: { concurrency: 1 } },
    });
    const controller = new AbortController();
    const render = loom.render(
      {
        width: 8,
        height: 8,
        layers: [
          { id: 'a1', prompt: 'x', provider: 'A' },
          { id: 'a2', prompt: 'y', provider: 'A' },
          { id: 'b', prompt: 'z', provider: 'B' },
        ],
      },
      { signal: controller.signal },
    );
    render.catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('user left'));
    const error = await failure(render);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toBe('The render was aborted');
    expect(providers.A.calls).toBe(1);
    expect(providers.A.requests[0]!.signal.aborted).toBe(true);
    expect(providers.B.requests[0]!.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(loom.scheduler!.activeCount + loom.scheduler!.pendingCount).toBe(0);
  });

  it('rejects at once with an already aborted signal, calling nothing', async () => {
    const provider = createMockProvider();
    const loom = createLoom({
      providers: { A: provider },
      compositor: createRecordingCompositor(),
    });
    const error = await failure(
      loom.render(
        { width: 8, height: 8, layers: [{ id: 'a', prompt: 'x', provider: 'A' }] },
        { signal: AbortSignal.abort() },
      ),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(provider.calls).toBe(0);
  });

  it('aborts the render when onEvent throws', async () => {
    const providers = {
      A: createMockProvider({ latencyMs: 100 }),
      B: createMockProvider({ latencyMs: 100 }),
    };
    const loom = createLoom({ providers, compositor: createRecordingCompositor() });
    const thrown = new Error('handler bug');
    const error = await failure(
      loom.render(layered(), {
        onEvent: (event) => {
          if (event.type === 'layer:start') throw thrown;
        },
      }),
    );
    expect(error).toMatchObject({
      code: 'event_handler_error',
      message: 'The onEvent handler threw while handling a "layer:start" event',
      cause: thrown,
    });
    // The render was aborted from the first `layer:start`, before that call was made.
    expect(providers.A.calls + providers.B.calls).toBe(0);
    expect(loom.scheduler!.activeCount + loom.scheduler!.pendingCount).toBe(0);
  });
});

describe('secrets', () => {
  const secret = 'sk-live-0123456789abcdef';

  it('never puts a secret of a provider into events, records or the manifest', async () => {
    const leaky = createMockProvider({
      id: 'leaky',
      script: [{ error: new TypeError(`Invalid header value "Bearer ${secret}"`) }, 'ok'],
    });
    // A provider object holding its key, as an adapter might.
    const withKey: Provider & { apiKey: string } = Object.assign(Object.create(null) as object, {
      id: 'keyed',
      modelId: 'm1',
      apiKey: secret,
      capabilities: createMockProvider().capabilities,
      generate: (request: Parameters<Provider['generate']>[0]) =>
        createMockProvider({ script: [{ ok: true, warnings: ['quality was lowered'] }] }).generate(
          request,
        ),
    });
    const loom = createLoom({
      providers: { A: leaky, A2: withKey, B: withKey },
      compositor: createRecordingCompositor(),
    });
    const events: RenderEvent[] = [];
    const result = await settle(
      loom.render(
        { ...layered(['A', 'A2']), style: { prompt: 'ink', provider: 'B' } },
        { onEvent: (event) => events.push(event) },
      ),
    );
    const fallback = events.find((event) => event.type === 'layer:error')!;
    expect(fallback).toMatchObject({
      error: {
        code: 'provider_unexpected_error',
        message: 'Provider "A" (leaky/mock-v1) threw an unexpected TypeError; see `cause`',
      },
    });
    const serialised = JSON.stringify(
      { events, layers: result.layers, manifest: result.manifest, style: result.style },
      (_key, value: unknown) => (value instanceof Uint8Array ? `<${value.length} bytes>` : value),
    );
    expect(serialised).not.toContain(secret);
    expect(serialised).not.toContain('apiKey');
    expect(result.layers.find((layer) => layer.id === 'hero')!.provider).toBe('A2');
  });
});
