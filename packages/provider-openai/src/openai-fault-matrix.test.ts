import { AbortError, type ImageRequest, ProviderError } from '@layerloom/core';
import { createImageRequest } from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenAI } from './create-openai.js';
import { createFakeOpenAI, type FakeOpenAI } from './fixtures/fake-openai-server.js';
import {
  errorBody,
  gptImageResponse,
  partialImageEvent,
  sseFrame,
  testApiKey,
  usageFixture,
} from './fixtures/openai-responses.js';
import { base64, pngImage, pngWithDeclaredSize } from './fixtures/png-images.js';
import type { OpenAIProviderSettings } from './openai-provider-settings.js';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await createFakeOpenAI();
});
afterEach(() => fake.server.resetHandlers());
afterAll(() => fake.close());

const generations = '*/v1/images/generations';

const provider = (settings: OpenAIProviderSettings = {}, partialImages = 0) =>
  createOpenAI({
    apiKey: testApiKey,
    baseURL: fake.baseURL,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    ...settings,
  }).image('gpt-image-1', { partialImages });

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a knight', ...fields });

/** Everything the adapter emitted, to scan for the key. */
const emitted: string[] = [];

function record(value: unknown): void {
  let current: unknown = value;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      emitted.push(current.message, String(current), current.stack ?? '');
      emitted.push(JSON.stringify(current));
      current = current.cause;
    } else {
      emitted.push(
        JSON.stringify(current, (_key, entry) => (entry instanceof Uint8Array ? '[bytes]' : entry)),
      );
      current = undefined;
    }
  }
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  record(error);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const answerWith = (response: () => Response | Promise<Response>) =>
  fake.server.use(http.post(generations, response));

describe('error responses', () => {
  it.each<[string, () => Response, Partial<ProviderError>]>([
    [
      '400 moderation_blocked (GPT image models)',
      () =>
        HttpResponse.json(
          {
            error: {
              ...errorBody(
                'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID req_abc.',
                'image_generation_user_error',
                'moderation_blocked',
              ).error,
              moderation_details: { categories: ['violence'] },
            },
          },
          { status: 400, headers: { 'x-request-id': 'req_abc' } },
        ),
      {
        code: 'provider_content_policy',
        status: 400,
        retryable: false,
        providerCode: 'moderation_blocked',
        requestId: 'req_abc',
      },
    ],
    [
      '400 content_policy_violation (DALL·E)',
      () =>
        HttpResponse.json(
          errorBody(
            'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
            'invalid_request_error',
            'content_policy_violation',
          ),
          { status: 400 },
        ),
      {
        code: 'provider_content_policy',
        retryable: false,
        providerCode: 'content_policy_violation',
      },
    ],
    [
      '400 invalid parameter',
      () =>
        HttpResponse.json(
          errorBody(
            "Invalid value for 'size': '999x999'.",
            'invalid_request_error',
            'invalid_value',
            'size',
          ),
          { status: 400 },
        ),
      { code: 'provider_invalid_request', retryable: false, providerCode: 'invalid_value' },
    ],
    [
      '400 billing_hard_limit_reached',
      () =>
        HttpResponse.json(
          errorBody(
            'Billing hard limit has been reached',
            'invalid_request_error',
            'billing_hard_limit_reached',
          ),
          { status: 400 },
        ),
      { code: 'provider_quota_exceeded', retryable: false },
    ],
    [
      '403 organization_must_be_verified',
      () =>
        HttpResponse.json(
          errorBody(
            'Your organization must be verified to use the model `gpt-image-1`.',
            'invalid_request_error',
            'organization_must_be_verified',
          ),
          { status: 403 },
        ),
      { code: 'provider_permission_denied', retryable: false, status: 403 },
    ],
    [
      '429 insufficient_quota (not transient)',
      () =>
        HttpResponse.json(
          errorBody('You exceeded your current quota.', 'insufficient_quota', 'insufficient_quota'),
          { status: 429 },
        ),
      { code: 'provider_quota_exceeded', retryable: false, status: 429 },
    ],
    [
      '429 insufficient_quota with x-should-retry: true',
      () =>
        HttpResponse.json(
          errorBody('You exceeded your current quota.', 'insufficient_quota', 'insufficient_quota'),
          {
            status: 429,
            headers: { 'x-should-retry': 'true' },
          },
        ),
      { code: 'provider_quota_exceeded', retryable: true },
    ],
    [
      '500 server_error',
      () =>
        HttpResponse.json(
          errorBody('The server had an error while processing your request.', 'server_error'),
          {
            status: 500,
          },
        ),
      { code: 'provider_server_error', retryable: true, status: 500, providerCode: 'server_error' },
    ],
    [
      '503 with a text body',
      () =>
        new HttpResponse('upstream connect error or disconnect/reset before headers', {
          status: 503,
        }),
      { code: 'provider_server_error', retryable: true, status: 503 },
    ],
    [
      '500 with x-should-retry: false',
      () =>
        HttpResponse.json(errorBody('Bad gateway.', 'server_error'), {
          status: 500,
          headers: { 'x-should-retry': 'false' },
        }),
      { retryable: false, status: 500 },
    ],
    [
      '409 conflict',
      () => HttpResponse.json(errorBody('Conflict.', 'invalid_request_error'), { status: 409 }),
      { code: 'provider_error', retryable: true, status: 409 },
    ],
    [
      '408 timeout',
      () => new HttpResponse(null, { status: 408 }),
      { retryable: true, status: 408 },
    ],
  ])('%s', async (_name, response, expected) => {
    answerWith(response);
    const error = await failure(provider().generate(request()));
    expect(error).toMatchObject({ provider: 'openai', ...expected });
  });

  it('puts OpenAI’s message, type and code in the message', async () => {
    answerWith(() =>
      HttpResponse.json(
        errorBody(
          'Your request was rejected by the safety system.',
          'image_generation_user_error',
          'moderation_blocked',
        ),
        { status: 400 },
      ),
    );
    const error = await failure(provider().generate(request()));
    expect(error.message).toBe(
      'openai POST /v1/images/generations failed with HTTP 400: Your request was rejected by the safety system. (type image_generation_user_error, code moderation_blocked)',
    );
  });

  it('maps 401 from a wrong key, without showing the key', async () => {
    const wrongKey = 'sk-wrong-key-0123456789';
    const error = await failure(provider({ apiKey: wrongKey }).generate(request()));
    expect(error).toMatchObject({
      code: 'provider_authentication',
      status: 401,
      retryable: false,
      providerCode: 'invalid_api_key',
      requestId: 'req_401',
    });
    expect(JSON.stringify(error)).not.toContain(wrongKey);
  });

  it.each<[string, Record<string, string>, number | undefined]>([
    ['retry-after-ms', { 'retry-after-ms': '1500' }, 1500],
    ['retry-after in seconds', { 'retry-after': '2' }, 2000],
    ['retry-after-ms before retry-after', { 'retry-after-ms': '250.5', 'retry-after': '9' }, 250.5],
    ['a retry-after over 60 s (ignored)', { 'retry-after': '120' }, undefined],
    ['a malformed retry-after (ignored)', { 'retry-after': 'soon' }, undefined],
  ])('429 with %s', async (_name, headers, retryAfterMs) => {
    answerWith(() =>
      HttpResponse.json(
        errorBody(
          'Rate limit reached for gpt-image-1 on images per minute (IPM): Limit 5.',
          'requests',
          'rate_limit_exceeded',
        ),
        {
          status: 429,
          headers: {
            ...headers,
            'x-request-id': 'req_429',
            'x-ratelimit-limit-requests': '5',
            'x-ratelimit-remaining-requests': '0',
            'x-ratelimit-reset-requests': '12s',
          },
        },
      ),
    );
    const error = await failure(provider().generate(request()));
    expect(error).toMatchObject({
      code: 'provider_rate_limited',
      status: 429,
      retryable: true,
      requestId: 'req_429',
      providerCode: 'rate_limit_exceeded',
    });
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it('429 with retry-after as an HTTP date', async () => {
    answerWith(() =>
      HttpResponse.json(errorBody('Rate limit reached', 'requests', 'rate_limit_exceeded'), {
        status: 429,
        headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() },
      }),
    );
    const error = await failure(provider().generate(request()));
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });
});

describe('transport faults', () => {
  it('connection reset', async () => {
    answerWith(() => HttpResponse.error());
    expect(await failure(provider().generate(request()))).toMatchObject({
      code: 'provider_connection_error',
      retryable: true,
    });
  });

  it('headers that never come', async () => {
    answerWith(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    expect(await failure(provider().generate(request()))).toMatchObject({
      code: 'provider_timeout',
      retryable: true,
    });
  });

  it('a whole-call timeout', async () => {
    answerWith(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const error = await failure(
      provider({ timeoutMs: 150, headersTimeoutMs: 10_000 }).generate(request()),
    );
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true });
    expect(error.message).toContain('150 ms');
  });

  it('a body that stalls', async () => {
    answerWith(
      () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(
                new TextEncoder().encode('{"created":1,"data":[{"b64_json":"iVBOR'),
              );
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        ),
    );
    expect(await failure(provider().generate(request()))).toMatchObject({
      code: 'provider_timeout',
      retryable: true,
    });
  });

  it('a stream that stalls after a partial image', async () => {
    answerWith(
      () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(
                new TextEncoder().encode(
                  sseFrame(
                    'image_generation.partial_image',
                    partialImageEvent('image_generation', 0, {
                      image: pngImage(2, 2),
                      size: '1024x1024',
                      quality: 'medium',
                      background: 'opaque',
                      outputFormat: 'png',
                    }),
                  ),
                ),
              );
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    const previews: unknown[] = [];
    const error = await failure(
      provider({}, 2).generate(request({ onProgress: (progress) => previews.push(progress) })),
    );
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true });
    expect(previews).toHaveLength(1);
  });

  it('abort mid-request frees the socket', async () => {
    let closedByClient = false;
    fake.server.use(
      http.post(generations, async ({ request: received }) => {
        received.signal.addEventListener('abort', () => {
          closedByClient = true;
        });
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = provider().generate(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await pending.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ code: 'aborted' });
    await expect.poll(() => closedByClient).toBe(true);
  });

  it('abort while the stream is being read', async () => {
    answerWith(
      () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(': waiting\n\n'));
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    const controller = new AbortController();
    const pending = provider({ bodyTimeoutMs: 10_000 }, 1).generate(
      request({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 50);
    const error = await pending.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: 'aborted' });
  });

  it('an aborted signal sends nothing', async () => {
    const before = fake.calls().length;
    const controller = new AbortController();
    controller.abort();
    const error = await provider()
      .generate(request({ signal: controller.signal }))
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(fake.calls().length).toBe(before);
  });
});

describe('bad responses', () => {
  const image = pngImage(8, 8);
  const ok = (b64: string) =>
    HttpResponse.json({
      ...gptImageResponse({
        image,
        size: '1024x1024',
        quality: 'medium',
        background: 'opaque',
        outputFormat: 'png',
        usage: usageFixture(20, 0, 1056),
      }),
      data: [{ b64_json: b64 }],
    });

  it.each<[string, () => Response, string, RegExp]>([
    [
      'malformed JSON',
      () =>
        new HttpResponse('{"created": 1, "data": [', {
          headers: { 'content-type': 'application/json' },
        }),
      'provider_bad_response',
      /not JSON/,
    ],
    [
      'JSON without data',
      () => HttpResponse.json({ created: 1, data: [] }),
      'provider_bad_response',
      /without an image/,
    ],
    [
      'data without b64_json or url',
      () => HttpResponse.json({ created: 1, data: [{ revised_prompt: 'x' }] }),
      'provider_bad_response',
      /neither `b64_json` nor `url`/,
    ],
    [
      'base64 cut mid-quantum',
      () => ok(base64(image).slice(0, 61)),
      'provider_bad_response',
      /not valid base64/,
    ],
    [
      'base64 with foreign characters',
      () => ok(`${base64(image).slice(0, 40)}!@#$`),
      'provider_bad_response',
      /not valid base64/,
    ],
    [
      'a truncated image (valid base64)',
      () => ok(base64(image.subarray(0, 60))),
      'provider_bad_response',
      /truncated/,
    ],
    [
      'bytes that are not an image',
      () => ok(base64(new TextEncoder().encode('<html><body>Service unavailable</body></html>'))),
      'provider_bad_response',
      /not a PNG, JPEG or WebP file \(45 bytes starting 3c 68 74 6d/,
    ],
    [
      'a header declaring 100000x100000 pixels',
      () => ok(base64(pngWithDeclaredSize(100_000, 100_000))),
      'provider_response_too_large',
      /declares 100000x100000 pixels/,
    ],
  ])('%s', async (_name, response, code, message) => {
    answerWith(response);
    const error = await failure(provider().generate(request()));
    expect(error).toMatchObject({ code, retryable: false, provider: 'openai' });
    expect(error.message).toMatch(message);
  });

  it('checks the base64 size before decoding it', async () => {
    answerWith(() => ok(base64(new Uint8Array(4000))));
    const decode = vi.spyOn(Buffer, 'from');
    const error = await failure(provider({ maxImageBytes: 1000 }).generate(request()));
    expect(error).toMatchObject({ code: 'provider_response_too_large', retryable: false });
    expect(decode.mock.calls.some((call) => (call as unknown[])[1] === 'base64')).toBe(false);
    decode.mockRestore();
  });

  it.each<[string, string, Partial<ProviderError>]>([
    [
      'an error event',
      'event: error\ndata: {"error":{"message":"The server had an error","type":"server_error","code":null}}\n\n',
      { code: 'provider_server_error', retryable: true },
    ],
    [
      'a content-policy error in a data frame',
      sseFrame('image_generation.failed', {
        error: {
          message: 'Your request was rejected by the safety system.',
          type: 'image_generation_user_error',
          code: 'moderation_blocked',
        },
      }),
      { code: 'provider_content_policy', retryable: false, providerCode: 'moderation_blocked' },
    ],
    [
      'a stream that ends without the image',
      sseFrame('image_generation.partial_image', {
        type: 'image_generation.partial_image',
        b64_json: base64(pngImage(2, 2)),
        partial_image_index: 0,
      }),
      { code: 'provider_bad_response', retryable: false },
    ],
    [
      'a frame that is not JSON',
      'event: image_generation.partial_image\ndata: {"type":\n\n',
      { code: 'provider_bad_response', retryable: false },
    ],
    [
      'a completed event without b64_json',
      sseFrame('image_generation.completed', {
        type: 'image_generation.completed',
        usage: usageFixture(1, 0, 1),
      }),
      { code: 'provider_bad_response', retryable: false },
    ],
  ])('stream: %s', async (_name, body, expected) => {
    answerWith(
      () =>
        new HttpResponse(body, {
          headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_sse' },
        }),
    );
    const error = await failure(provider({}, 1).generate(request()));
    expect(error).toMatchObject({ requestId: 'req_sse', ...expected });
  });
});

describe('the API key', () => {
  it('never appears in an error, a result, a progress event or the console', async () => {
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      }),
    );
    const echo = (received: Request) => `key ${received.headers.get('authorization')}`;
    const scenarios: ((received: Request) => Response)[] = [
      (received) =>
        HttpResponse.json(
          errorBody(
            `Incorrect API key provided: ${echo(received)}`,
            'invalid_request_error',
            'invalid_api_key',
          ),
          { status: 401 },
        ),
      (received) => HttpResponse.json(errorBody(echo(received), 'server_error'), { status: 500 }),
      (received) => new HttpResponse(`<html>${echo(received)}</html>`, { status: 502 }),
      (received) => new HttpResponse(`not json ${echo(received)}`),
      (received) =>
        new HttpResponse(`event: error\ndata: {"error":{"message":"${echo(received)}"}}\n\n`, {
          headers: { 'content-type': 'text/event-stream' },
        }),
      (received) =>
        HttpResponse.json({
          created: 1,
          data: [{ b64_json: base64(new TextEncoder().encode(echo(received))) }],
        }),
    ];
    for (const [index, scenario] of scenarios.entries()) {
      fake.server.resetHandlers();
      fake.server.use(http.post(generations, ({ request: received }) => scenario(received)));
      await failure(provider({}, index === 4 ? 1 : 0).generate(request()));
    }
    fake.server.resetHandlers();
    const progress: unknown[] = [];
    const result = await provider({}, 2).generate(
      request({ onProgress: (update) => progress.push(update) }),
    );
    record(result);
    record(progress);
    for (const spy of spies) spy.mockRestore();
    const everything = [...emitted, ...logged].join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(testApiKey);
    expect(everything).toContain('[redacted]');
  });
});
