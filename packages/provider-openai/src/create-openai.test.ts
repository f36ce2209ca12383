import { createLoom, type ImageRequest, ValidationError } from '@layerloom/core';
import { createImageRequest, createRecordingCompositor, thrownBy } from '@layerloom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenAI } from './create-openai.js';
import { createFakeOpenAI, type FakeOpenAI } from './fixtures/fake-openai-server.js';
import { testApiKey } from './fixtures/openai-responses.js';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await createFakeOpenAI();
});
afterEach(() => {
  fake.server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => fake.close());

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a castle', ...fields });

const thrown = (action: () => unknown) => thrownBy(action, ValidationError);

describe('createOpenAI', () => {
  it('sends the key, organization, project and extra headers', async () => {
    const openai = createOpenAI({
      apiKey: testApiKey,
      baseURL: fake.baseURL,
      organization: 'org-123',
      project: 'proj_456',
      headers: { 'X-Trace': 'trace-1' },
    });
    await openai.image('gpt-image-1').generate(request());
    const headers = fake.lastCall().headers;
    expect(headers.authorization).toBe(`Bearer ${testApiKey}`);
    expect(headers['openai-organization']).toBe('org-123');
    expect(headers['openai-project']).toBe('proj_456');
    expect(headers['x-trace']).toBe('trace-1');
    expect(headers['content-type']).toBe('application/json');
  });

  it('sends neither organization nor project when none is set', async () => {
    vi.stubEnv('OPENAI_ORG_ID', '');
    vi.stubEnv('OPENAI_PROJECT_ID', '');
    await createOpenAI({ apiKey: testApiKey, baseURL: fake.baseURL })
      .image('gpt-image-1')
      .generate(request());
    expect(fake.lastCall().headers).not.toHaveProperty('openai-organization');
    expect(fake.lastCall().headers).not.toHaveProperty('openai-project');
  });

  it('reads the key, base URL, organization and project from the environment at the first call', async () => {
    const openai = createOpenAI();
    vi.stubEnv('OPENAI_API_KEY', testApiKey);
    vi.stubEnv('OPENAI_BASE_URL', fake.baseURL);
    vi.stubEnv('OPENAI_ORG_ID', 'org-env');
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj_env');
    await openai.image('dall-e-2').generate(request({ width: 256, height: 256 }));
    expect(fake.lastCall().headers).toMatchObject({
      authorization: `Bearer ${testApiKey}`,
      'openai-organization': 'org-env',
      'openai-project': 'proj_env',
    });
    await openai.close();
  });

  it('reports a missing key at the first call, naming OPENAI_API_KEY, without any request', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const before = fake.calls().length;
    const provider = createOpenAI({ baseURL: fake.baseURL }).image('gpt-image-1');
    expect(provider.capabilities.transparency).toBe(true);
    expect(provider.estimateCostUsd!({ prompt: 'x', width: 1024, height: 1024 })).toBe(0.167);
    const error = await provider.generate(request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      'Invalid OpenAI settings: Expected `apiKey` or the OPENAI_API_KEY environment variable to hold an OpenAI API key, got nothing',
    );
    expect(fake.calls().length).toBe(before);
  });

  it('lets the default instance be imported without a key', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.resetModules();
    const { openai } = await import('./index.js');
    const provider = openai.image('dall-e-3');
    expect(provider.modelId).toBe('dall-e-3');
    await expect(provider.generate(request())).rejects.toThrow(/OPENAI_API_KEY/);
  });

  it('keeps one connection alive across calls, and can be closed and used again', async () => {
    const connections: unknown[] = [];
    const count = (socket: unknown) => connections.push(socket);
    fake.server.server.on('connection', count);
    const openai = createOpenAI({ apiKey: testApiKey, baseURL: fake.baseURL });
    const first = openai.image('gpt-image-1');
    const second = openai.image('dall-e-3');
    // A tick between calls lets undici mark the socket idle before the next request is queued.
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await first.generate(request());
    await tick();
    await second.generate(request());
    await tick();
    await first.generate(request());
    expect(connections).toHaveLength(1);
    await openai.close();
    await first.generate(request());
    expect(connections).toHaveLength(2);
    fake.server.server.off('connection', count);
    await openai.close();
  });

  it('gives each set of defaults its own fingerprint, so cache keys tell them apart', async () => {
    const openai = createOpenAI({ apiKey: testApiKey, baseURL: fake.baseURL });
    const low = openai.image('gpt-image-1', { quality: 'low' });
    const high = openai.image('gpt-image-1', { quality: 'high' });
    expect(low.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(high.fingerprint).not.toBe(low.fingerprint);
    expect(openai.image('gpt-image-1', { quality: 'low' }).fingerprint).toBe(low.fingerprint);
    expect(JSON.stringify(low)).not.toContain(testApiKey);

    const composition = {
      width: 1024,
      height: 1024,
      layers: [{ id: 'castle', prompt: 'a castle', provider: 'A' }],
    };
    const keyWith = async (provider: typeof low) =>
      (
        await createLoom({
          providers: { A: provider },
          compositor: createRecordingCompositor(),
        }).plan(composition)
      ).steps[0]?.cacheKey;
    expect(await keyWith(low)).not.toBe(await keyWith(high));
  });

  it('validates its settings, naming the field', () => {
    expect(thrown(() => createOpenAI({ timeoutMs: -5 })).message).toBe(
      'Invalid OpenAI settings: Expected `timeoutMs` to be a positive number of milliseconds, got `-5` (number)',
    );
    expect(thrown(() => createOpenAI({ baseURL: 'api.openai.com' })).message).toContain(
      'Expected `baseURL` to be an absolute http(s) URL, got "api.openai.com" (string)',
    );
    expect(thrown(() => createOpenAI({ apiKey: '' })).issues[0]!.path).toEqual(['apiKey']);
    expect(thrown(() => createOpenAI({ apiKeys: 'x' } as never)).message).toContain(
      'Unknown key `apiKeys`',
    );
    expect(
      thrown(() => createOpenAI({ imageDownload: { allowedAddresses: ['localhost'] } })).message,
    ).toContain('Expected `imageDownload.allowedAddresses[0]` to be an IP address');
    expect(
      thrown(() =>
        createOpenAI({ prices: { 'gpt-image-1': { perImage: { low: { '1024x1024': -1 } } } } }),
      ).issues[0]!.path,
    ).toEqual(['prices', 'gpt-image-1', 'perImage', 'low', '1024x1024']);
  });

  it('validates the model id and default options', () => {
    const openai = createOpenAI({ apiKey: testApiKey });
    expect(thrown(() => openai.image('')).message).toContain(
      'Expected `model id` to be a model id',
    );
    expect(thrown(() => openai.image('gpt-image-1', { quality: 'ultra' as never })).message).toBe(
      'Invalid OpenAI image options: Expected `quality` to be one of "low", "medium", "high", "auto", "standard", "hd", got "ultra" (string)',
    );
    expect(thrown(() => openai.image('gpt-image-1', { partialImages: 4 })).message).toContain(
      'Expected `partialImages` to be an integer from 0 to 3, got `4` (number)',
    );
    expect(thrown(() => openai.image('gpt-image-1', { seed: 1 } as never)).message).toContain(
      'Unknown key `seed`',
    );
  });

  it('validates each request before any call', async () => {
    const before = fake.calls().length;
    const provider = createOpenAI({ apiKey: testApiKey, baseURL: fake.baseURL }).image(
      'gpt-image-1',
    );
    const failures = await Promise.all(
      [
        request({ width: 0 }),
        request({ strength: 1.5 }),
        request({ options: { outputCompression: 101 } }),
        request({ image: { bytes: 'abc' as never, mediaType: 'image/png' } }),
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
      'Invalid options: Expected `outputCompression` to be an integer from 0 to 100, got `101` (number)',
      'Invalid request: Expected `image.bytes` to be a Uint8Array, got "abc" (string)',
      'Invalid request: Expected `signal` to be an AbortSignal, got nothing',
    ]);
    expect(fake.calls().length).toBe(before);
  });
});
