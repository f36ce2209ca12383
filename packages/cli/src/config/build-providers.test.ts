import { ProviderError } from '@layerloom/core';
import { createTestServer } from '@layerloom/core/testing';
import { describe, expect, it } from 'vitest';
import { buildProviders } from './build-providers.js';
import { validateConfig } from './load-config.js';

describe('buildProviders: comfyui authEnv', () => {
  const config = validateConfig({
    providers: { C: { type: 'comfyui', baseURL: 'http://127.0.0.1:8188', authEnv: 'COMFY_AUTH' } },
  });

  it('names the variable when it is missing or not user:password', () => {
    for (const env of [{}, { COMFY_AUTH: 'no-colon' }]) {
      expect(() => buildProviders(config, ['C'], env)).toThrow(
        'Expected the environment variable COMFY_AUTH (from `providers.C.authEnv`) to hold "user:password"',
      );
    }
  });

  it('sends the variable as HTTP Basic auth, and keeps the password out of errors', async () => {
    const server = await createTestServer([]);
    try {
      const { providers } = buildProviders(
        validateConfig({
          providers: { C: { type: 'comfyui', baseURL: server.url, authEnv: 'COMFY_AUTH' } },
        }),
        ['C'],
        { COMFY_AUTH: 'artist:p@ss:w%rd' },
      );
      // The server knows no route, so the call fails after its first request.
      const error: unknown = await providers
        .C!.generate({
          prompt: 'a fox',
          width: 512,
          height: 512,
          signal: AbortSignal.timeout(10_000),
        })
        .then(
          () => undefined,
          (reason: unknown) => reason,
        );
      expect(error).toBeInstanceOf(ProviderError);
      expect(String((error as Error).message)).not.toContain('p@ss');
      expect(server.requests.length).toBeGreaterThan(0);
      const expected = `Basic ${Buffer.from('artist:p@ss:w%rd').toString('base64')}`;
      for (const request of server.requests) expect(request.headers.authorization).toBe(expected);
    } finally {
      await server.close();
    }
  });
});

describe('buildProviders: hosted services', () => {
  const generate = (provider: { generate: (request: never) => Promise<unknown> }) =>
    provider
      .generate({
        prompt: 'a fox',
        width: 1024,
        height: 1024,
        signal: AbortSignal.timeout(10_000),
      } as never)
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );

  it('names every variable it looked in when the key is missing, and never a value', () => {
    const config = validateConfig({
      providers: {
        S: { type: 'stability', model: 'sd3.5-large' },
        G: { type: 'google', model: 'gemini-2.5-flash-image' },
        K: { type: 'google', model: 'gemini-2.5-flash-image', apiKeyEnv: 'MY_GEMINI' },
      },
    });
    expect(() => buildProviders(config, ['S'], {})).toThrow(
      'Expected the environment variable STABILITY_API_KEY to hold the Stability AI API key for alias "S", got nothing',
    );
    expect(() => buildProviders(config, ['G'], { GEMINI_API_KEY: '' })).toThrow(
      'Expected the environment variable GOOGLE_API_KEY or GEMINI_API_KEY to hold the Google Gemini API key for alias "G", got nothing',
    );
    expect(() => buildProviders(config, ['K'], { GOOGLE_API_KEY: 'unused' })).toThrow(
      'Expected the environment variable MY_GEMINI',
    );
  });

  it('builds each service from its type, model and key, and sends the key only as its header', async () => {
    const server = await createTestServer([]);
    try {
      const { providers } = buildProviders(
        validateConfig({
          providers: {
            S: { type: 'stability', model: 'sd3.5-large', baseURL: server.url },
            CUT: { type: 'stability', model: 'remove-background', baseURL: server.url },
            G: { type: 'google', model: 'gemini-2.5-flash-image', baseURL: server.url },
            R: { type: 'replicate', model: 'black-forest-labs/flux-schnell', baseURL: server.url },
            F: { type: 'fal', model: 'fal-ai/flux/dev', baseURL: server.url },
          },
        }),
        ['S', 'CUT', 'G', 'R', 'F'],
        {
          FAL_KEY: 'fal-id:fal-secret',
          STABILITY_API_KEY: 'sk-stability-secret',
          GEMINI_API_KEY: 'gm-secret',
          REPLICATE_API_TOKEN: 'r8-secret',
        },
      );
      expect(providers.S).toMatchObject({ id: 'stability', modelId: 'sd3.5-large' });
      expect(providers.CUT!.capabilities.imageInput).toBe(true);
      expect(providers.G).toMatchObject({ id: 'google', modelId: 'gemini-2.5-flash-image' });
      // The server knows no route: each call fails after its request reached it.
      const errors = [
        await generate(providers.S!),
        await generate(providers.G!),
        await generate(providers.R!),
        await generate(providers.F!),
      ];
      for (const error of errors) {
        expect(error).toBeInstanceOf(ProviderError);
        expect(String((error as Error).message)).not.toMatch(
          /sk-stability-secret|gm-secret|r8-secret/,
        );
      }
      const [stabilityCall, googleCall, replicateCall, falCall] = server.requests;
      expect(stabilityCall!.headers.authorization).toBe('Bearer sk-stability-secret');
      expect(googleCall!.headers['x-goog-api-key']).toBe('gm-secret');
      expect(replicateCall!.headers.authorization).toBe('Bearer r8-secret');
      expect(falCall!.headers.authorization).toBe('Key fal-id:fal-secret');
    } finally {
      await server.close();
    }
  });
});
