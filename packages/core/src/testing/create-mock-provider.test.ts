import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError } from '../errors/abort-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { decodePng } from '../util/decode-png.js';
import { createMockProvider } from './create-mock-provider.js';

const request = (overrides: Record<string, unknown> = {}) => ({
  prompt: 'a knight',
  width: 8,
  height: 6,
  signal: new AbortController().signal,
  ...overrides,
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createMockProvider', () => {
  it('paints deterministic PNGs of the requested size and records every request', async () => {
    const provider = createMockProvider({ id: 'studio', modelId: 'people-v2' });
    const first = await provider.generate(request({ seed: 4 }));
    const again = await provider.generate(request({ seed: 4 }));
    const other = await provider.generate(request({ seed: 5 }));
    expect(first.image.bytes).toEqual(again.image.bytes);
    expect(first.image.bytes).not.toEqual(other.image.bytes);
    const pixels = decodePng(first.image.bytes);
    expect([pixels.width, pixels.height, pixels.data[3]]).toEqual([8, 6, 255]);
    expect(first).toMatchObject({ seed: 4, requestId: 'mock-request-1', warnings: [] });
    expect(provider.requests.map((each) => each.seed)).toEqual([4, 4, 5]);
    expect(provider).toMatchObject({
      id: 'studio',
      modelId: 'people-v2',
      calls: 3,
      inFlight: 0,
      maxInFlight: 1,
    });
  });

  it('paints a transparent border around transparent requests', async () => {
    const provider = createMockProvider();
    const pixels = decodePng((await provider.generate(request({ transparent: true }))).image.bytes);
    expect(pixels.data[3]).toBe(0);
    expect(pixels.data[(3 * 8 + 4) * 4 + 3]).toBe(255);
  });

  it('follows its script, then answers ok', async () => {
    const provider = createMockProvider({
      script: [
        { status: 429, retryAfterMs: 100, providerCode: 'rate_limited' },
        { status: 400, message: 'refused' },
        { error: new TypeError('boom') },
        { ok: true, seed: 99, revisedPrompt: 'better', warnings: ['w'] },
      ],
    });
    const outcomes = [];
    for (let call = 0; call < 5; call++) {
      outcomes.push(await provider.generate(request()).catch((error: unknown) => error));
    }
    expect(outcomes[0]).toBeInstanceOf(ProviderError);
    expect(outcomes[0]).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 100,
      providerCode: 'rate_limited',
    });
    expect(outcomes[1]).toMatchObject({ status: 400, retryable: false, message: 'refused' });
    expect(outcomes[2]).toBeInstanceOf(TypeError);
    expect(outcomes[3]).toMatchObject({ seed: 99, revisedPrompt: 'better', warnings: ['w'] });
    expect(outcomes[4]).toHaveProperty('image');
  });

  it('takes its latency from the clock, reports progress and counts concurrent calls', async () => {
    const provider = createMockProvider({ latencyMs: 100, progressSteps: 4 });
    const fractions: number[] = [];
    const calls = [0, 1, 2].map(() =>
      provider.generate(
        request({
          onProgress: (progress: { fraction?: number }) => fractions.push(progress.fraction!),
        }),
      ),
    );
    expect(provider.inFlight).toBe(3);
    await vi.advanceTimersByTimeAsync(99);
    expect(provider.inFlight).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(calls);
    expect(provider).toMatchObject({ inFlight: 0, maxInFlight: 3 });
    expect(fractions.filter((fraction) => fraction === 1)).toHaveLength(3);
    provider.reset();
    expect(provider).toMatchObject({ calls: 0, maxInFlight: 0, requests: [] });
  });

  it('honours the request signal, and hangs until aborted when told to', async () => {
    const provider = createMockProvider({ script: ['hang'], latencyMs: 50 });
    const controller = new AbortController();
    const hanging = provider.generate(request({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(60_000);
    controller.abort();
    await expect(hanging).rejects.toBeInstanceOf(AbortError);
    const slow = new AbortController();
    const waiting = provider.generate(request({ signal: slow.signal }));
    slow.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    expect(provider.inFlight).toBe(0);
  });

  it('declares prices only when given one, and uses a custom image', async () => {
    expect(createMockProvider().estimateCostUsd).toBeUndefined();
    const priced = createMockProvider({
      costUsd: (planned) => planned.width / 1000,
      image: () => ({ bytes: new Uint8Array([1]), mediaType: 'image/x-test' }),
    });
    expect(priced.estimateCostUsd!({ prompt: 'x', width: 500, height: 1 })).toBe(0.5);
    expect(await priced.generate(request())).toMatchObject({
      costUsd: 0.008,
      image: { mediaType: 'image/x-test' },
    });
  });

  it('refuses bad options', () => {
    expect(() => createMockProvider({ latencyMs: -1 })).toThrow(ValidationError);
    expect(() => createMockProvider({ script: [{ status: 99 }] })).toThrow(
      'Expected `script[0].status` to be at least 100',
    );
    expect(() => createMockProvider({ capabilities: { sizes: [] } })).toThrow(
      '`capabilities.sizes`',
    );
  });
});
