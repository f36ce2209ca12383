import { delay, HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isLayerloomError } from '../errors/layerloom-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { createTestServer, type TestServer } from '../testing/create-test-server.js';
import { rejectionOf } from '../testing/thrown-by.js';
import { createHttpClient, FormData } from './create-http-client.js';
import { parseServerSentEvents } from './server-sent-events.js';

const apiKey = 'sk-test-SECRET-0123456789';
let server: TestServer;

beforeAll(async () => {
  server = await createTestServer([
    http.post('*/v1/echo', async ({ request }) =>
      HttpResponse.json(
        { received: await request.json() },
        { headers: { 'x-request-id': 'req_echo' } },
      ),
    ),
  ]);
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = (overrides: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({
    provider: 'test',
    baseURL: `${server.url}/v1`,
    headers: { authorization: `Bearer ${apiKey}` },
    ...overrides,
  });

const caught = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe('createHttpClient', () => {
  it('sends JSON with the configured headers and reads the JSON answer', async () => {
    const http1 = client();
    const response = await http1.request({
      method: 'POST',
      path: '/echo',
      body: { json: { a: 1 } },
    });
    expect(response.status).toBe(200);
    expect(response.requestId).toBe('req_echo');
    expect(response.json()).toEqual({ received: { a: 1 } });
    const recorded = server.requests.at(-1)!;
    expect(recorded.path).toBe('/v1/echo');
    expect(recorded.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(recorded.headers['content-type']).toBe('application/json');
    await http1.close();
  });

  it('refuses a JSON body JSON cannot hold before sending, naming `body`', async () => {
    const http1 = client();
    const before = server.requests.length;
    const error = await rejectionOf(
      http1.request({ method: 'POST', path: '/echo', body: { json: { huge: 10n } } }),
      ValidationError,
    );
    expect(error.issues[0]!.path).toEqual(['body']);
    expect(server.requests.length).toBe(before);
    await http1.close();
  });

  it('sends multipart form data', async () => {
    server.use(http.post('*/v1/upload', () => HttpResponse.json({ ok: true })));
    const form = new FormData();
    form.append('model', 'm1');
    form.append('image', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'a.png');
    await client().request({ method: 'POST', path: '/upload', body: { form } });
    const received = await server.requests.at(-1)!.formData();
    expect(received.get('model')).toBe('m1');
    const file = received.get('image') as File;
    expect(file.name).toBe('a.png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('maps 429 with retry-after-ms to a retryable error with the delay and request id', async () => {
    server.use(
      http.get('*/v1/limited', () =>
        HttpResponse.json(
          {
            error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
          },
          { status: 429, headers: { 'retry-after-ms': '1500', 'x-request-id': 'req_429' } },
        ),
      ),
    );
    const error = await caught(client().request({ path: '/limited' }));
    expect(error).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 1500,
      requestId: 'req_429',
      providerCode: 'rate_limit_exceeded',
      provider: 'test',
      code: 'provider_error',
    });
    expect(error.message).toContain('Rate limit reached');
    expect(isLayerloomError(error)).toBe(true);
  });

  it('reads Retry-After in seconds and as an HTTP date', async () => {
    server.use(
      http.get(
        '*/v1/seconds',
        () => new HttpResponse(null, { status: 503, headers: { 'retry-after': '2' } }),
      ),
      http.get(
        '*/v1/date',
        () =>
          new HttpResponse(null, {
            status: 503,
            headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() },
          }),
      ),
    );
    expect((await caught(client().request({ path: '/seconds' }))).retryAfterMs).toBe(2000);
    const fromDate = (await caught(client().request({ path: '/date' }))).retryAfterMs!;
    expect(fromDate).toBeGreaterThan(25_000);
    expect(fromDate).toBeLessThanOrEqual(30_000);
  });

  it('takes a retry delay from the error body when the headers give none', async () => {
    server.use(
      http.get('*/v1/body-delay', () => new HttpResponse('slow down', { status: 429 })),
      http.get(
        '*/v1/both',
        () => new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '2' } }),
      ),
    );
    const withDelay = (retryAfterMs: number) =>
      client({ describeError: () => ({ message: 'slow down', retryAfterMs }) });
    expect((await caught(withDelay(7500).request({ path: '/body-delay' }))).retryAfterMs).toBe(
      7500,
    );
    expect((await caught(withDelay(7500).request({ path: '/both' }))).retryAfterMs).toBe(2000);
    expect(
      (await caught(withDelay(120_000).request({ path: '/body-delay' }))).retryAfterMs,
    ).toBeUndefined();
    expect(
      (await caught(withDelay(-1).request({ path: '/body-delay' }))).retryAfterMs,
    ).toBeUndefined();
  });

  it('takes the retry delay from describeError when no retry header is sent', async () => {
    server.use(
      http.get(
        '*/v1/reset',
        () => new HttpResponse(null, { status: 429, headers: { 'ratelimit-reset': '3' } }),
      ),
      http.get(
        '*/v1/both',
        () =>
          new HttpResponse(null, {
            status: 429,
            headers: { 'ratelimit-reset': '3', 'retry-after': '1' },
          }),
      ),
    );
    const describeError = (response: { headers: Readonly<Record<string, string>> }) => ({
      retryAfterMs: Number(response.headers['ratelimit-reset']) * 1000,
    });
    const own = client({ describeError });
    expect((await caught(own.request({ path: '/reset' }))).retryAfterMs).toBe(3000);
    expect((await caught(own.request({ path: '/both' }))).retryAfterMs).toBe(1000);
  });

  it('lets x-should-retry override the status', async () => {
    server.use(
      http.get(
        '*/v1/no',
        () => new HttpResponse('down', { status: 500, headers: { 'x-should-retry': 'false' } }),
      ),
      http.get(
        '*/v1/yes',
        () => new HttpResponse('odd', { status: 400, headers: { 'x-should-retry': 'true' } }),
      ),
    );
    expect((await caught(client().request({ path: '/no' }))).retryable).toBe(false);
    expect((await caught(client().request({ path: '/yes' }))).retryable).toBe(true);
  });

  it('treats 400 and 401 as final', async () => {
    server.use(
      http.get('*/v1/bad', () =>
        HttpResponse.json({ detail: 'width must be > 0' }, { status: 400 }),
      ),
      http.get('*/v1/auth', () => HttpResponse.json({ error: 'unauthorised' }, { status: 401 })),
    );
    const bad = await caught(client().request({ path: '/bad' }));
    expect(bad).toMatchObject({ status: 400, retryable: false });
    expect(bad.message).toContain('width must be > 0');
    expect((await caught(client().request({ path: '/auth' }))).retryable).toBe(false);
  });

  it('never shows the key, even when the server echoes it', async () => {
    server.use(
      http.get('*/v1/echo-key', ({ request }) =>
        HttpResponse.json(
          {
            error: {
              message: `Incorrect API key provided: ${request.headers.get('authorization')}`,
            },
          },
          { status: 401 },
        ),
      ),
    );
    const error = await caught(client().request({ path: '/echo-key' }));
    expect(error.message).toContain('[redacted]');
    expect(JSON.stringify(error)).not.toContain(apiKey);
    expect(String(error)).not.toContain(apiKey);
  });

  it('never shows the key in the provider code either, when a server echoes it there', async () => {
    server.use(
      http.get('*/v1/echo-code', ({ request }) =>
        HttpResponse.json(
          { error: { message: 'no', code: `bad_key ${request.headers.get('authorization')}` } },
          { status: 401 },
        ),
      ),
    );
    const error = await caught(client().request({ path: '/echo-code' }));
    expect(error.providerCode).toContain('[redacted]');
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });

  it('maps a refused connection to a retryable connection error naming the origin', async () => {
    const closed = await createTestServer();
    const url = closed.url;
    await closed.close();
    const error = await caught(
      createHttpClient({ provider: 'test', baseURL: url }).request({ path: '/x' }),
    );
    expect(error).toMatchObject({ code: 'provider_connection_error', retryable: true });
    expect(error.message).toContain(url);
  });

  it('maps a dropped connection to a retryable connection error', async () => {
    server.use(http.get('*/v1/reset', () => HttpResponse.error()));
    const error = await caught(client().request({ path: '/reset' }));
    expect(error).toMatchObject({ code: 'provider_connection_error', retryable: true });
  });

  it('times out when headers never come, and when the body stalls', async () => {
    server.use(
      http.get('*/v1/hang', async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
      http.get(
        '*/v1/stall',
        () =>
          new HttpResponse(
            new ReadableStream({
              start(controller) {
                controller.enqueue(new TextEncoder().encode('{"partial":'));
              },
            }),
            { headers: { 'content-type': 'application/json' } },
          ),
      ),
    );
    const fast = client({ headersTimeoutMs: 200, bodyTimeoutMs: 200 });
    expect(await caught(fast.request({ path: '/hang' }))).toMatchObject({
      code: 'provider_timeout',
      retryable: true,
    });
    expect(await caught(fast.request({ path: '/stall' }))).toMatchObject({
      code: 'provider_timeout',
      retryable: true,
    });
    expect(await caught(client().request({ path: '/hang', timeoutMs: 150 }))).toMatchObject({
      code: 'provider_timeout',
    });
    await fast.close();
  });

  it('aborts mid-request with an AbortError and frees the socket', async () => {
    let closedByClient = false;
    server.use(
      http.get('*/v1/slow', async ({ request }) => {
        request.signal.addEventListener('abort', () => {
          closedByClient = true;
        });
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = client().request({ path: '/slow', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: 'aborted' });
    await expect.poll(() => closedByClient).toBe(true);
  });

  it('refuses bodies over the size cap and bodies that are not JSON', async () => {
    server.use(
      http.get('*/v1/big', () => new HttpResponse(new Uint8Array(10_000))),
      http.get('*/v1/html', () => new HttpResponse('<html>oops</html>')),
    );
    expect(await caught(client().request({ path: '/big', maxResponseBytes: 1000 }))).toMatchObject({
      code: 'provider_response_too_large',
      retryable: false,
    });
    const html = await client().request({ path: '/html' });
    expect(() => html.json()).toThrow(ProviderError);
  });

  it('streams server-sent events', async () => {
    server.use(
      http.post(
        '*/v1/stream',
        () =>
          new HttpResponse(
            'event: partial\ndata: {"i":0}\n\n: comment\r\nevent: partial\r\ndata: {"i":1}\r\n\r\nevent: done\ndata: {"ok":true}\n\n',
            { headers: { 'content-type': 'text/event-stream' } },
          ),
      ),
    );
    const response = await client().stream({ method: 'POST', path: '/stream', body: { json: {} } });
    const events = [];
    for await (const event of parseServerSentEvents(response.body)) events.push(event);
    expect(events).toEqual([
      { event: 'partial', data: '{"i":0}' },
      { event: 'partial', data: '{"i":1}' },
      { event: 'done', data: '{"ok":true}' },
    ]);
  });

  it('throws the provider error for a streamed request that fails', async () => {
    server.use(
      http.post('*/v1/stream-fail', () =>
        HttpResponse.json({ error: { message: 'nope' } }, { status: 500 }),
      ),
    );
    expect(await caught(client().stream({ method: 'POST', path: '/stream-fail' }))).toMatchObject({
      status: 500,
      retryable: true,
    });
  });

  it('keeps a query string given in the path', async () => {
    server.use(http.get('*/v1/signed.png', () => new HttpResponse('ok')));
    await client().request({ path: '/signed.png?se=2026&sig=a%2Bb%3D', query: { extra: 1 } });
    expect(server.requests.at(-1)!.path).toBe('/v1/signed.png?se=2026&sig=a%2Bb%3D&extra=1');
  });

  it('returns a 3xx with redirect: manual, and throws it by default', async () => {
    server.use(
      http.get(
        '*/v1/moved',
        () => new HttpResponse(null, { status: 302, headers: { location: '/v1/elsewhere' } }),
      ),
    );
    const response = await client().request({ path: '/moved', redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/v1/elsewhere');
    expect(await caught(client().request({ path: '/moved' }))).toMatchObject({ status: 302 });
  });

  it('resolves host names with the given lookup, whose errors pass through', async () => {
    const looked: string[] = [];
    const pinned = createHttpClient({
      provider: 'test',
      baseURL: `http://pinned.test:${server.port}/v1`,
      lookup: (hostname, _options, callback) => {
        looked.push(hostname);
        callback(null, [{ address: '127.0.0.1', family: 4 }]);
      },
    });
    const response = await pinned.request({ method: 'POST', path: '/echo', body: { json: 1 } });
    expect(response.json()).toEqual({ received: 1 });
    expect(looked).toEqual(['pinned.test']);
    await pinned.close();
    const refusing = createHttpClient({
      provider: 'test',
      baseURL: `http://pinned.test:${server.port}/v1`,
      lookup: (_hostname, _options, callback) =>
        callback(new ValidationError([{ path: ['host'], message: 'refused' }]), '', 0),
    });
    const error = await refusing.request({ path: '/echo' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ValidationError);
    await refusing.close();
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => createHttpClient({ provider: 'x', baseURL: 'ftp://host' })).toThrow(
      ValidationError,
    );
    expect(() => createHttpClient({ provider: 'x', baseURL: 'not a url' })).toThrow(/baseURL/);
  });
});
