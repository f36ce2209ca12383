import { encodePng, ProviderError } from '@layerloom/core';
import {
  createImageRequest,
  createTestServer,
  rejectionOf,
  type TestServer,
} from '@layerloom/core/testing';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPetStudio } from './create-pet-studio.js';

const png = encodePng({ width: 2, height: 2, data: new Uint8Array(16).fill(200) });
let server: TestServer;

beforeAll(async () => {
  server = await createTestServer([
    http.post('*/v1/paint', async ({ request }) => {
      const body = (await request.json()) as { seed?: number };
      return HttpResponse.json({
        id: 'paint_123',
        seed: body.seed ?? 99,
        image_base64: Buffer.from(png).toString('base64'),
      });
    }),
  ]);
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('Pet Studio adapter (the writing-a-provider guide)', () => {
  const studio = () => createPetStudio({ apiKey: 'pet-key-123456', baseURL: `${server.url}/v1` });

  it('sends the request the API expects and returns the image', async () => {
    const provider = studio().image('pets-v2');
    const result = await provider.generate(
      createImageRequest({
        prompt: 'a corgi',
        width: 512,
        height: 512,
        seed: 5,
        transparent: true,
        negativePrompt: 'cats',
      }),
    );
    const received = server.requests.at(-1)!;
    expect(received.headers.authorization).toBe('Bearer pet-key-123456');
    expect(received.json()).toEqual({
      model: 'pets-v2',
      prompt: 'a corgi',
      width: 512,
      height: 512,
      seed: 5,
      background: 'transparent',
    });
    expect(result.image.bytes).toEqual(png);
    expect(result).toMatchObject({ seed: 5, requestId: 'paint_123', costUsd: 0.01 });
    expect(result.warnings).toEqual(['Pet Studio has no negative prompt; it was not sent.']);
  });

  it('turns API errors into ProviderErrors without the key', async () => {
    server.use(
      http.post('*/v1/paint', () =>
        HttpResponse.json(
          { error: { message: 'slow down, key pet-key-123456', code: 'busy' } },
          { status: 429, headers: { 'retry-after': '1' } },
        ),
      ),
    );
    const error = await rejectionOf(
      studio()
        .image('pets-v2')
        .generate(createImageRequest({ prompt: 'a corgi', width: 512, height: 512 })),
      ProviderError,
    );
    expect(error).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 1000,
      providerCode: 'busy',
    });
    expect(error.message).not.toContain('pet-key-123456');
  });

  it('refuses to start without a key', () => {
    const saved = process.env.PET_STUDIO_API_KEY;
    delete process.env.PET_STUDIO_API_KEY;
    try {
      expect(() => createPetStudio()).toThrow(/PET_STUDIO_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.PET_STUDIO_API_KEY = saved;
    }
  });
});
