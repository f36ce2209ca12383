import { ValidationError } from '@layerloom/core';
import { createImageRequest, rejectionOf, thrownBy } from '@layerloom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createReplicate, replicate } from './create-replicate.js';
import {
  createFakeReplicate,
  type FakeReplicate,
  fakeImageDownload,
  testApiKey,
} from './fixtures/fake-replicate-server.js';

let fake: FakeReplicate;
beforeAll(async () => {
  fake = await createFakeReplicate();
});
afterEach(() => {
  fake.reset();
  vi.unstubAllEnvs();
});
afterAll(() => fake.close());

const request = () => createImageRequest({ prompt: 'a harbour' });

describe('createReplicate', () => {
  it('sends the token as a bearer token, the wait and deadline headers, and extra headers', async () => {
    const instance = createReplicate({
      apiKey: testApiKey,
      baseURL: fake.baseURL,
      imageDownload: fakeImageDownload,
      headers: { 'X-Trace': 'trace-1', 'User-Agent': 'my-app/1.0' },
      waitSeconds: 10,
      predictionTimeoutMs: 90_500,
    });
    await instance.image('black-forest-labs/flux-schnell').generate(request());
    expect(fake.lastCreate().headers).toMatchObject({
      authorization: `Bearer ${testApiKey}`,
      prefer: 'wait=10',
      'cancel-after': '91s',
      'x-trace': 'trace-1',
      'user-agent': 'my-app/1.0',
    });
    await instance.close();
  });

  it('reads REPLICATE_API_TOKEN at the first request, not before', async () => {
    const instance = createReplicate({ baseURL: fake.baseURL, imageDownload: fakeImageDownload });
    vi.stubEnv('REPLICATE_API_TOKEN', testApiKey);
    await instance.image('black-forest-labs/flux-schnell').generate(request());
    expect(fake.lastCreate().headers.authorization).toBe(`Bearer ${testApiKey}`);
    await instance.close();
  });

  it('reports a missing token at the first call, naming REPLICATE_API_TOKEN, without a request', async () => {
    vi.stubEnv('REPLICATE_API_TOKEN', '');
    const provider = createReplicate({ baseURL: fake.baseURL }).image('black-forest-labs/flux-dev');
    expect(provider.estimateCostUsd!({ prompt: 'x', width: 1024, height: 1024 })).toBe(0.025);
    const error = await rejectionOf(provider.generate(request()), ValidationError);
    expect(error.message).toBe(
      'Invalid Replicate settings: Expected `apiKey` or the REPLICATE_API_TOKEN environment variable to hold a Replicate API token, got nothing',
    );
    expect(fake.calls()).toHaveLength(0);
  });

  it('the default instance exists without a token', () => {
    expect(replicate.image('black-forest-labs/flux-schnell').id).toBe('replicate');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown setting', { apiKeys: 'x' }, /apiKeys/],
    ['a base URL that is not http(s)', { baseURL: 'ftp://x' }, /`baseURL`.*absolute http\(s\) URL/],
    ['a wait over 60 s', { waitSeconds: 120 }, /`waitSeconds`.*an integer from 1 to 60, or false/],
    ['a negative poll interval', { pollIntervalMs: -1 }, /`pollIntervalMs`/],
    ['a price without a unit', { prices: { 'a/b': { dollars: 1 } } }, /`prices\.a\/b`/],
    ['an unknown download setting', { imageDownload: { hosts: [] } }, /hosts/],
  ])('refuses %s, naming the field', (_name, settings, message) => {
    const error = thrownBy(() => createReplicate(settings as never), ValidationError);
    expect(error.message).toMatch(message);
  });

  it.each(['flux-schnell', 'a/b/c', 'owner/name:notahexversion', ''])(
    'refuses the model id %j',
    (id) => {
      expect(thrownBy(() => createReplicate().image(id), ValidationError).message).toMatch(
        /model id/,
      );
    },
  );

  it('replaces prices model by model', () => {
    const instance = createReplicate({
      prices: {
        'black-forest-labs/flux-schnell': { perImage: 0.01 },
        'someone/pixel-art': { perSecond: 0.001, estimatedSeconds: 3 },
      },
    });
    const plan = { prompt: 'x', width: 1024, height: 1024 };
    expect(instance.image('black-forest-labs/flux-schnell').estimateCostUsd!(plan)).toBe(0.01);
    expect(instance.image('black-forest-labs/flux-dev').estimateCostUsd!(plan)).toBe(0.025);
    expect(instance.image('someone/pixel-art').estimateCostUsd!(plan)).toBe(0.003);
  });
});
