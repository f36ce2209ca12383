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
