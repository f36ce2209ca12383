import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCleanup } from './create-test-cleanup.js';
import { createTestServer } from './create-test-server.js';

const cleanup = createTestCleanup();
afterEach(() => cleanup.run());

describe('createTestServer', () => {
  it('answers with msw handlers over a real socket and records every request', async () => {
    const server = cleanup.track(
      await createTestServer([
        http.post('*/v1/paint', async ({ request }) =>
          HttpResponse.json({ echo: await request.json() }, { headers: { 'x-request-id': 'r1' } }),
        ),
      ]),
    );
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/v1/paint?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ prompt: 'a corgi' }),
    });
    expect(await response.json()).toEqual({ echo: { prompt: 'a corgi' } });
    expect(response.headers.get('x-request-id')).toBe('r1');
    const missing = await fetch(`${server.url}/nothing`);
    expect(missing.status).toBe(501);
    expect(server.requestLines()).toEqual(['POST /v1/paint', 'GET /nothing']);
    expect(server.requests[0]!.path).toBe('/v1/paint?x=1');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer k');
    expect(server.requests[0]!.json()).toEqual({ prompt: 'a corgi' });
  });

  it('lets `use` override handlers until `resetHandlers`, which also forgets the requests', async () => {
    const server = cleanup.track(
      await createTestServer([http.get('*/ping', () => HttpResponse.text('pong'))]),
    );
    server.use(http.get('*/ping', () => HttpResponse.text('overridden')));
    expect(await (await fetch(`${server.url}/ping`)).text()).toBe('overridden');
    server.resetHandlers();
    expect(server.requestLines()).toEqual([]);
    expect(await (await fetch(`${server.url}/ping`)).text()).toBe('pong');
  });

  it('drops the connection for HttpResponse.error()', async () => {
    const server = cleanup.track(
      await createTestServer([http.get('*/drop', () => HttpResponse.error())]),
    );
    await expect(fetch(`${server.url}/drop`)).rejects.toThrow();
    expect(server.requestLines()).toEqual(['GET /drop']);
  });
});
