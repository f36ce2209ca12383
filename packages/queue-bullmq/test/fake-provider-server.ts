import { encodePng, type ImageResult, type Provider, ProviderError } from '@layerloom/core';
import { createTestServer, type TestServer } from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';

/** What the fake provider server counted. */
export interface FakeProviderStats {
  /** Calls per provider name. */
  readonly calls: Record<string, number>;
  /** Calls per prompt. */
  readonly prompts: Record<string, number>;
  /** Most calls in flight at once per provider name. */
  readonly maxInFlight: Record<string, number>;
  /** Calls in flight now per provider name. */
  readonly inFlight: Record<string, number>;
}

/** A fake image API on 127.0.0.1 that counts in-flight calls per provider name. */
export interface FakeProviderServer {
  readonly url: string;
  stats(): FakeProviderStats;
  reset(): void;
  close(): Promise<void>;
}

const png = encodePng({ width: 2, height: 2, data: new Uint8Array(16).fill(200) });

/**
 * Starts the fake provider: `POST /generate/:name` with `{ prompt, seed, latencyMs }` answers a
 * small PNG after `latencyMs` (a prompt containing `fail400` answers 400); `GET /stats`.
 */
export async function startFakeProviderServer(): Promise<FakeProviderServer> {
  let stats: FakeProviderStats = { calls: {}, prompts: {}, maxInFlight: {}, inFlight: {} };
  const server: TestServer = await createTestServer([
    http.get('*/stats', () => HttpResponse.json(stats)),
    http.post('*/generate/:name', async ({ params, request }) => {
      const name = String(params.name);
      const body = (await request.json()) as { prompt: string; latencyMs?: number };
      stats.calls[name] = (stats.calls[name] ?? 0) + 1;
      stats.prompts[body.prompt] = (stats.prompts[body.prompt] ?? 0) + 1;
      stats.inFlight[name] = (stats.inFlight[name] ?? 0) + 1;
      stats.maxInFlight[name] = Math.max(stats.maxInFlight[name] ?? 0, stats.inFlight[name]!);
      try {
        await Promise.race([
          delay(body.latencyMs ?? 100),
          new Promise((resolve) => request.signal.addEventListener('abort', resolve)),
        ]);
      } finally {
        stats.inFlight[name] = (stats.inFlight[name] ?? 1) - 1;
      }
      if (body.prompt.includes('fail400')) {
        return HttpResponse.json({ error: 'bad prompt' }, { status: 400 });
      }
      return new HttpResponse(png, { headers: { 'content-type': 'image/png' } });
    }),
  ]);
  return {
    url: server.url,
    stats: () => structuredClone(stats),
    reset: () => {
      stats = { calls: {}, prompts: {}, maxInFlight: {}, inFlight: {} };
    },
    close: () => server.close(),
  };
}

/** A small adapter for the fake provider server (what a real adapter does, minus undici). */
export function createFakeHttpProvider(baseURL: string, name: string, latencyMs = 100): Provider {
  return {
    id: `fake-${name}`,
    modelId: 'fake-v1',
    capabilities: {
      transparency: true,
      imageInput: true,
      mask: false,
      seed: true,
      maxImagesPerCall: 1,
      sizes: { min: 1, max: 4096 },
    },
    async generate(request): Promise<ImageResult> {
      let response: Response;
      try {
        response = await fetch(`${baseURL}/generate/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: request.prompt, seed: request.seed, latencyMs }),
          signal: request.signal,
        });
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        throw new ProviderError('The fake provider could not be reached', {
          provider: `fake-${name}`,
          retryable: true,
          cause: error,
        });
      }
      if (!response.ok) {
        throw new ProviderError(`The fake provider answered ${response.status}`, {
          provider: `fake-${name}`,
          status: response.status,
          retryable: response.status >= 500 || response.status === 429,
        });
      }
      return {
        image: { bytes: new Uint8Array(await response.arrayBuffer()), mediaType: 'image/png' },
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        warnings: [],
      };
    },
  };
}
