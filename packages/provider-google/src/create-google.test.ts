import { createLoom, type ImageRequest, ValidationError } from '@layerloom/core';
import { createImageRequest, createRecordingCompositor, thrownBy } from '@layerloom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGoogle } from './create-google.js';
import { createFakeGoogle, type FakeGoogle } from './fixtures/fake-google-server.js';
import { testApiKey } from './fixtures/google-responses.js';

let fake: FakeGoogle;

beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterEach(() => {
  fake.server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => fake.close());

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a castle', ...fields });

const thrown = (action: () => unknown) => thrownBy(action, ValidationError);

describe('createGoogle', () => {
  it('sends the key as x-goog-api-key, and extra headers', async () => {
    const google = createGoogle({
      apiKey: testApiKey,
      baseURL: fake.baseURL,
      headers: { 'X-Trace': 'trace-1' },
    });
    await google.image('gemini-2.5-flash-image').generate(request());
    const headers = fake.lastCall().headers;
    expect(headers['x-goog-api-key']).toBe(testApiKey);
    expect(headers['x-trace']).toBe('trace-1');
    expect(headers).not.toHaveProperty('authorization');
    expect(fake.lastCall().url.search).toBe('');
    await google.close();
  });

  it('reads GEMINI_API_KEY at the first call', async () => {
    vi.stubEnv('GOOGLE_API_KEY', '');
    const google = createGoogle({ baseURL: fake.baseURL });
    vi.stubEnv('GEMINI_API_KEY', testApiKey);
    await google.image('imagen-3.0-generate-002').generate(request());
    expect(fake.lastCall().headers['x-goog-api-key']).toBe(testApiKey);
    await google.close();
  });

  it('prefers GOOGLE_API_KEY when both are set, as Google’s own client does', async () => {
    vi.stubEnv('GOOGLE_API_KEY', testApiKey);
    vi.stubEnv('GEMINI_API_KEY', 'AIzaSy-the-other-key-0000');
    const google = createGoogle({ baseURL: fake.baseURL });
    await google.image('gemini-2.5-flash-image').generate(request());
    expect(fake.lastCall().headers['x-goog-api-key']).toBe(testApiKey);
    await google.close();
  });

  it('reports a missing key at the first call, naming GEMINI_API_KEY, without any request', async () => {
    vi.stubEnv('GOOGLE_API_KEY', '');
    vi.stubEnv('GEMINI_API_KEY', '');
    const before = fake.calls().length;
    const provider = createGoogle({ baseURL: fake.baseURL }).image('gemini-2.5-flash-image');
    expect(provider.estimateCostUsd!({ prompt: 'x', width: 1024, height: 1024 })).toBe(0.039);
    const error = await provider.generate(request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      'Invalid Google settings: Expected `apiKey` or the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable to hold a Gemini API key, got nothing',
    );
    expect(fake.calls().length).toBe(before);
  });

  it('lets the default instance be imported without a key', async () => {
    vi.stubEnv('GOOGLE_API_KEY', '');
    vi.stubEnv('GEMINI_API_KEY', '');
    vi.resetModules();
    const { google } = await import('./index.js');
    const provider = google.image('imagen-4.0-generate-001');
    expect(provider.modelId).toBe('imagen-4.0-generate-001');
    await expect(provider.generate(request())).rejects.toThrow(/GEMINI_API_KEY/);
  });

  it('keeps one connection alive across calls, and can be closed and used again', async () => {
    const connections: unknown[] = [];
    const count = (socket: unknown) => connections.push(socket);
    fake.server.server.on('connection', count);
    const google = createGoogle({ apiKey: testApiKey, baseURL: fake.baseURL });
    const gemini = google.image('gemini-2.5-flash-image');
    const imagen = google.image('imagen-4.0-fast-generate-001');
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await gemini.generate(request());
    await tick();
    await imagen.generate(request());
    await tick();
    await gemini.generate(request());
    expect(connections).toHaveLength(1);
    await google.close();
    await gemini.generate(request());
    expect(connections).toHaveLength(2);
    fake.server.server.off('connection', count);
    await google.close();
  });

  it('gives each set of defaults its own fingerprint, so cache keys tell them apart', async () => {
    const google = createGoogle({ apiKey: testApiKey });
    const warm = google.image('gemini-2.5-flash-image', { temperature: 1.5 });
    const cool = google.image('gemini-2.5-flash-image', { temperature: 0.2 });
    expect(warm.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(cool.fingerprint).not.toBe(warm.fingerprint);
    expect(google.image('gemini-2.5-flash-image', { temperature: 1.5 }).fingerprint).toBe(
      warm.fingerprint,
    );
    expect(JSON.stringify(warm)).not.toContain(testApiKey);
    const composition = {
      width: 1024,
      height: 1024,
      layers: [{ id: 'castle', prompt: 'a castle', provider: 'G' }],
    };
    const keyWith = async (provider: typeof warm) =>
      (
        await createLoom({
          providers: { G: provider },
          compositor: createRecordingCompositor(),
        }).plan(composition)
      ).steps[0]?.cacheKey;
    expect(await keyWith(warm)).not.toBe(await keyWith(cool));
  });

  it('validates its settings, naming the field', () => {
    expect(thrown(() => createGoogle({ timeoutMs: -5 })).message).toBe(
      'Invalid Google settings: Expected `timeoutMs` to be a positive number of milliseconds, got `-5` (number)',
    );
    expect(
      thrown(() => createGoogle({ baseURL: 'generativelanguage.googleapis.com' })).message,
    ).toContain('Expected `baseURL` to be an absolute http(s) URL');
    expect(thrown(() => createGoogle({ apiKey: '' })).issues[0]!.path).toEqual(['apiKey']);
    expect(thrown(() => createGoogle({ apiKeys: 'x' } as never)).message).toContain(
      'Unknown key `apiKeys`',
    );
    expect(
      thrown(() =>
        createGoogle({ prices: { 'imagen-4.0-generate-001': { perImage: { '1K': -1 } } } }),
      ).issues[0]!.path,
    ).toEqual(['prices', 'imagen-4.0-generate-001', 'perImage', '1K']);
  });

  it('validates the model id and default options, refusing unknown keys by name', () => {
    const google = createGoogle({ apiKey: testApiKey });
    expect(thrown(() => google.image('')).message).toContain(
      'Expected `model id` to be a model id',
    );
    expect(thrown(() => google.image('gemini-2.5-flash-image', { temperature: 3 })).message).toBe(
      'Invalid Google image options: Expected `temperature` to be a number from 0 to 2, got `3` (number)',
    );
    expect(
      thrown(() => google.image('imagen-4.0-generate-001', { personGeneration: 'yes' as never }))
        .issues[0]!.path,
    ).toEqual(['personGeneration']);
    expect(
      thrown(() => google.image('gemini-2.5-flash-image', { seed: 1 } as never)).message,
    ).toContain('Unknown key `seed`');
    expect(
      thrown(() =>
        google.image('gemini-2.5-flash-image', {
          referenceImages: [{ mimeType: 'image/png', data: 'not base64!' }],
        }),
      ).issues[0]!.path,
    ).toEqual(['referenceImages', 0, 'data']);
  });

  it('validates each request and its options before any call', async () => {
    const before = fake.calls().length;
    const provider = createGoogle({ apiKey: testApiKey, baseURL: fake.baseURL }).image(
      'gemini-2.5-flash-image',
    );
    const failures = await Promise.all(
      [
        request({ width: 0 }),
        request({ strength: 1.5 }),
        request({ seed: -1 }),
        request({ options: { temperature: 9 } }),
        request({ options: { quality: 'high' } }),
        { ...request(), signal: undefined as never },
      ].map((input) => provider.generate(input).catch((caught: unknown) => caught)),
    );
    const messages = failures.map((failure) => {
      expect(failure).toBeInstanceOf(ValidationError);
      return (failure as Error).message;
    });
    expect(messages).toEqual([
      'Invalid request: Expected `width` to be at least 1, got `0` (number)',
      'Invalid request: Expected `strength` to be at most 1, got `1.5` (number)',
      'Invalid request: Expected `seed` to be at least 0, got `-1` (number)',
      'Invalid options: Expected `temperature` to be a number from 0 to 2, got `9` (number)',
      'Invalid options: Unknown key `quality` in `options`',
      'Invalid request: Expected `signal` to be an AbortSignal, got nothing',
    ]);
    expect(fake.calls().length).toBe(before);
  });
});
