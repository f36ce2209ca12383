import { ProviderError, ValidationError } from '@layerloom/core';
import { createImageRequest, rejectionOf, thrownBy } from '@layerloom/core/testing';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStability, stability } from './create-stability.js';
import {
  createFakeStability,
  errorBody,
  type FakeStability,
  testApiKey,
} from './fixtures/fake-stability-server.js';

let fake: FakeStability;
beforeAll(async () => {
  fake = await createFakeStability();
});
afterEach(() => {
  fake.server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => fake.close());

describe('createStability', () => {
  it('validates settings, naming the field', () => {
    const error = thrownBy(() => createStability({ timeoutMs: -1 }), ValidationError);
    expect(error.issues[0]).toMatchObject({ path: ['timeoutMs'] });
    expect(
      thrownBy(() => createStability({ baseURL: 'ftp://x' }), ValidationError).message,
    ).toMatch(/baseURL/);
    expect(
      thrownBy(() => createStability({ organization: 'x' } as never), ValidationError).message,
    ).toMatch(/organization/);
    expect(
      thrownBy(() => createStability({ prices: { credits: { ultra: -1 } } }), ValidationError)
        .message,
    ).toMatch(/prices\.credits\.ultra/);
  });

  it('never needs a key to be created, build providers or estimate; the first call names the variable', async () => {
    vi.stubEnv('STABILITY_API_KEY', '');
    const provider = stability.image('stable-image-core');
    expect(provider.estimateCostUsd?.({ prompt: 'x', width: 1024, height: 1024 })).toBe(0.03);
    const error = await rejectionOf(
      createStability({ baseURL: fake.baseURL })
        .image('stable-image-core')
        .generate(createImageRequest()),
      ValidationError,
    );
    expect(error.message).toContain('STABILITY_API_KEY');
    expect(fake.calls()).toHaveLength(0);
  });

  it('reads STABILITY_API_KEY at the first request, and sends the client headers', async () => {
    const instance = createStability({
      baseURL: fake.baseURL,
      clientId: 'my-app',
      clientVersion: '1.2.3',
      headers: { 'X-Trace': 'abc' },
    });
    vi.stubEnv('STABILITY_API_KEY', testApiKey);
    await instance.image('stable-image-core', { user: 'user-7' }).generate(createImageRequest());
    expect(fake.lastCall().headers).toMatchObject({
      authorization: `Bearer ${testApiKey}`,
      'stability-client-id': 'my-app',
      'stability-client-version': '1.2.3',
      'stability-client-user-id': 'user-7',
      'x-trace': 'abc',
    });
    await instance.close();
  });

  it('keeps the key out of errors, results and warnings, even when the server echoes it', async () => {
    fake.server.use(
      http.post('*/v2beta/stable-image/generate/core', ({ request }) =>
        HttpResponse.json(
          errorBody('bad_request', [`echo ${request.headers.get('authorization')}`]),
          {
            status: 400,
          },
        ),
      ),
    );
    const instance = createStability({ apiKey: testApiKey, baseURL: fake.baseURL });
    const error = await rejectionOf(
      instance.image('stable-image-core').generate(createImageRequest()),
      ProviderError,
    );
    expect(`${error.message} ${JSON.stringify(error)} ${error.stack}`).not.toContain(testApiKey);
    expect(error.message).toContain('echo Bearer [redacted]');
    fake.server.resetHandlers();
    const result = await instance.image('sd3.5-medium').generate(createImageRequest({ seed: 0 }));
    expect(JSON.stringify({ ...result, image: undefined })).not.toContain(testApiKey);
  });

  it('refuses model ids that are not Stability models', () => {
    expect(thrownBy(() => createStability().image(''), ValidationError).message).toMatch(
      /model id/,
    );
    expect(
      thrownBy(() => createStability().image('gpt-image-1'), ValidationError).issues[0],
    ).toMatchObject({
      path: ['modelId'],
    });
    expect(
      thrownBy(
        () => createStability().removeBackground({ stylePreset: 'anime' } as never),
        ValidationError,
      ).message,
    ).toMatch(/stylePreset/);
  });
});
