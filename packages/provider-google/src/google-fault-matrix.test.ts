/**
 * The fault matrix: every failure the Gemini API or the network can produce, against the fake
 * API over a real socket, each run through core's real scheduler (`createScheduler`, two
 * retries, short backoff) so that what is retried is retried the way a render retries it. Each
 * ends in an image after a retry or in a typed error; the observed outcomes are written into
 * docs/providers/google.md (`LAYERLOOM_UPDATE_DOCS=1` rewrites the table, otherwise the test
 * asserts it is up to date).
 */
import { AbortError, createScheduler, type ImageResult, ProviderError } from '@layerloom/core';
import { createImageRequest, type DocTableRow, syncDocTable } from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGoogle } from './create-google.js';
import { createFakeGoogle, type FakeGoogle, modelCall } from './fixtures/fake-google-server.js';
import {
  base64,
  geminiAnswer,
  googleError,
  imagenAnswer,
  png,
  pngClaiming,
  quotaExceeded,
  retryInfo,
  testApiKey,
} from './fixtures/google-responses.js';
import type { GoogleProviderSettings } from './google-provider-settings.js';

let fake: FakeGoogle;
const rows: DocTableRow[] = [];
/** Everything the adapter emitted (errors, results, retry notices), to scan for the key. */
const emitted: string[] = [];

beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterEach(() => fake.server.resetHandlers());
afterAll(async () => {
  await fake.close();
  const check = await syncDocTable(
    new URL('../../../docs/providers/google.md', import.meta.url),
    'fault-matrix',
    rows,
  );
  // The diff shows what changed; `LAYERLOOM_UPDATE_DOCS=1` writes it into the doc.
  if (!check.written) expect(check.actual).toBe(check.expected);
  expect(check.upToDate || check.written).toBe(true);
});

const settings: GoogleProviderSettings = { headersTimeoutMs: 300, bodyTimeoutMs: 300 };

const provider = (model = 'gemini-2.5-flash-image', extra: GoogleProviderSettings = {}) =>
  createGoogle({ apiKey: testApiKey, baseURL: fake.baseURL, ...settings, ...extra }).image(model);

function record(value: unknown): void {
  let current: unknown = value;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      emitted.push(current.message, String(current), current.stack ?? '', JSON.stringify(current));
      current = current.cause;
    } else {
      emitted.push(
        JSON.stringify(current, (_key, entry) => (entry instanceof Uint8Array ? '[bytes]' : entry)),
      );
      current = undefined;
    }
  }
}

/** Answers with `fault` for the first `times` calls, then lets the fake answer normally. */
function failFirst(times: number, fault: (request: Request) => Response | Promise<Response>) {
  let count = 0;
  fake.server.use(
    http.post(modelCall, ({ request }) => (count++ < times ? fault(request) : undefined)),
  );
}

interface Observed {
  readonly result?: ImageResult;
  readonly error?: unknown;
  readonly calls: number;
  readonly delays: readonly number[];
  readonly retried: readonly string[];
}

/** One generate through a real scheduler (2 retries, 5–20 ms backoff, no jitter surprises). */
async function throughScheduler(model?: string, extra?: GoogleProviderSettings): Promise<Observed> {
  const before = fake.calls().length;
  const scheduler = createScheduler({
    defaultLimits: { concurrency: 1, maxRetries: 2 },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    random: () => 0.5,
  });
  const delays: number[] = [];
  const retried: string[] = [];
  const target = provider(model, extra);
  try {
    const result = await scheduler.run(
      'G',
      ({ signal }) => target.generate(createImageRequest({ prompt: 'a red kite', signal })),
      {
        onRetry: (notice) => {
          delays.push(notice.delayMs);
          retried.push((notice.error as ProviderError).code);
          record(notice.error);
        },
      },
    );
    record(result);
    return { result, calls: fake.calls().length - before, delays, retried };
  } catch (error) {
    record(error);
    return { error, calls: fake.calls().length - before, delays, retried };
  }
}

function describeOutcome(observed: Observed, serverDelay: boolean): string {
  if (observed.result !== undefined) {
    const wait = serverDelay ? `, waited the server's ${observed.delays.join(', ')} ms` : '';
    return `retried (${observed.retried.join(', ')}${wait}) → image after ${observed.calls} calls`;
  }
  const error = observed.error as ProviderError;
  const provider = error.providerCode === undefined ? '' : ` (${error.providerCode})`;
  const again = error.retryable ? `retryable, ${observed.calls} calls` : 'not retried';
  return `${error.name} \`${error.code}\`${provider}, ${again}`;
}

describe('retryable faults end in an image after a retry', () => {
  it.each<
    [string, (request: Request) => Response | Promise<Response>, string, number[] | undefined]
  >([
    [
      '429 RESOURCE_EXHAUSTED with RetryInfo 0.05s, no Retry-After',
      () => HttpResponse.json(quotaExceeded('0.05s'), { status: 429 }),
      'provider_rate_limited',
      [50],
    ],
    [
      '429 with Retry-After: 0 (header wins over RetryInfo)',
      () =>
        HttpResponse.json(quotaExceeded('30s'), { status: 429, headers: { 'retry-after': '0' } }),
      'provider_rate_limited',
      [0],
    ],
    [
      '429 with neither (backoff)',
      () =>
        HttpResponse.json(googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted'), {
          status: 429,
        }),
      'provider_rate_limited',
      undefined,
    ],
    [
      '500 INTERNAL',
      () =>
        HttpResponse.json(googleError(500, 'INTERNAL', 'An internal error has occurred.'), {
          status: 500,
        }),
      'provider_server_error',
      undefined,
    ],
    [
      '502 with an HTML body',
      () => new HttpResponse('<html><body>502 Bad Gateway</body></html>', { status: 502 }),
      'provider_server_error',
      undefined,
    ],
    [
      '503 UNAVAILABLE (model overloaded)',
      () =>
        HttpResponse.json(
          googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
          { status: 503 },
        ),
      'provider_server_error',
      undefined,
    ],
    ['connection reset', () => HttpResponse.error(), 'provider_connection_error', undefined],
    [
      'headers that never come (headersTimeoutMs 300)',
      async () => {
        await delay('infinite');
        return HttpResponse.json({});
      },
      'provider_timeout',
      undefined,
    ],
    [
      'a body that stalls (bodyTimeoutMs 300)',
      () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(
                new TextEncoder().encode('{"candidates":[{"content":{"parts":[{"inl'),
              );
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        ),
      'provider_timeout',
      undefined,
    ],
  ])('%s', async (fault, answer, code, serverDelays) => {
    failFirst(1, answer);
    const observed = await throughScheduler();
    expect(observed.error).toBeUndefined();
    expect(observed.result!.image.mediaType).toBe('image/png');
    expect(observed.calls).toBe(2);
    expect(observed.retried).toEqual([code]);
    if (serverDelays !== undefined) expect(observed.delays).toEqual(serverDelays);
    rows.push({ fault, outcome: describeOutcome(observed, serverDelays !== undefined) });
  });

  it('a fault that persists ends in the typed error after the retries', async () => {
    failFirst(10, () =>
      HttpResponse.json(googleError(503, 'UNAVAILABLE', 'The model is overloaded.'), {
        status: 503,
      }),
    );
    const observed = await throughScheduler();
    expect(observed.calls).toBe(3);
    expect(observed.error).toMatchObject({ code: 'retry_exhausted' });
    const last = (observed.error as { errors: ProviderError[] }).errors.at(-1)!;
    expect(last).toMatchObject({ code: 'provider_server_error', status: 503, retryable: true });
    rows.push({
      fault: '503 on every attempt',
      outcome: `\`retry_exhausted\` after ${observed.calls} calls, last \`${last.code}\``,
    });
  });
});

const safetyAnswer = (fields: Record<string, unknown>) => () => HttpResponse.json(fields);

describe('final faults end in a typed error, not retried', () => {
  it.each<[string, string | undefined, (request: Request) => Response, Partial<ProviderError>]>([
    [
      'prompt blocked: promptFeedback.blockReason SAFETY',
      undefined,
      safetyAnswer({ promptFeedback: { blockReason: 'SAFETY' }, responseId: 'resp_blocked' }),
      { code: 'provider_content_policy', providerCode: 'SAFETY', requestId: 'resp_blocked' },
    ],
    [
      'finishReason IMAGE_SAFETY',
      undefined,
      safetyAnswer({
        candidates: [{ content: { parts: [] }, finishReason: 'IMAGE_SAFETY' }],
      }),
      { code: 'provider_content_policy', providerCode: 'IMAGE_SAFETY' },
    ],
    [
      'finishReason PROHIBITED_CONTENT',
      undefined,
      safetyAnswer({ candidates: [{ finishReason: 'PROHIBITED_CONTENT' }] }),
      { code: 'provider_content_policy', providerCode: 'PROHIBITED_CONTENT' },
    ],
    [
      'Imagen raiFilteredReason',
      'imagen-4.0-generate-001',
      safetyAnswer({
        predictions: [
          {
            raiFilteredReason:
              "We can't create this image: it may violate our policies. Support code: 39322892.",
          },
        ],
      }),
      { code: 'provider_content_policy', providerCode: 'raiFilteredReason' },
    ],
    [
      'Imagen answers with no prediction (all filtered)',
      'imagen-4.0-generate-001',
      safetyAnswer({}),
      { code: 'provider_content_policy' },
    ],
    [
      'Imagen 400 for a prompt its safety filter refuses',
      'imagen-4.0-generate-001',
      () =>
        HttpResponse.json(
          googleError(
            400,
            'INVALID_ARGUMENT',
            'Image generation failed with the following error: The prompt could not be submitted. Your current safety filter threshold prohibited one or more words in this prompt.',
          ),
          { status: 400 },
        ),
      { code: 'provider_content_policy', status: 400, providerCode: 'INVALID_ARGUMENT' },
    ],
    [
      'finishReason NO_IMAGE with text only',
      undefined,
      () =>
        HttpResponse.json(
          geminiAnswer({ text: 'I can only describe this scene.', finishReason: 'NO_IMAGE' }),
        ),
      { code: 'provider_no_image', providerCode: 'NO_IMAGE' },
    ],
    [
      '400 INVALID_ARGUMENT',
      undefined,
      () =>
        HttpResponse.json(
          googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'),
          { status: 400 },
        ),
      { code: 'provider_invalid_request', status: 400, providerCode: 'INVALID_ARGUMENT' },
    ],
    [
      '403 PERMISSION_DENIED',
      undefined,
      () =>
        HttpResponse.json(
          googleError(403, 'PERMISSION_DENIED', 'Method doesn\u2019t allow unregistered callers.'),
          { status: 403 },
        ),
      { code: 'provider_permission_denied', status: 403 },
    ],
    [
      'malformed JSON',
      undefined,
      () =>
        new HttpResponse('{"candidates": [', { headers: { 'content-type': 'application/json' } }),
      { code: 'provider_bad_response' },
    ],
    [
      'image data cut mid-base64',
      undefined,
      () =>
        HttpResponse.json({
          candidates: [
            {
              content: {
                parts: [
                  { inlineData: { mimeType: 'image/png', data: base64(png(8, 8)).slice(0, 61) } },
                ],
              },
            },
          ],
        }),
      { code: 'provider_bad_response' },
    ],
    [
      'a truncated PNG (valid base64)',
      undefined,
      () => HttpResponse.json(geminiAnswer({ image: png(8, 8).subarray(0, 60) })),
      { code: 'provider_bad_response' },
    ],
    [
      'bytes that are not an image',
      'imagen-4.0-generate-001',
      () => HttpResponse.json(imagenAnswer([new TextEncoder().encode('<html>quota</html>')])),
      { code: 'provider_bad_response' },
    ],
    [
      'a PNG header declaring 100000x100000',
      undefined,
      () => HttpResponse.json(geminiAnswer({ image: pngClaiming(100_000, 100_000) })),
      { code: 'provider_response_too_large' },
    ],
  ])('%s', async (fault, model, answer, expected) => {
    failFirst(1, answer);
    const observed = await throughScheduler(model);
    expect(observed.calls).toBe(1);
    expect(observed.error).toBeInstanceOf(ProviderError);
    expect(observed.error).toMatchObject({ provider: 'google', retryable: false, ...expected });
    rows.push({ fault, outcome: describeOutcome(observed, false) });
  });

  it('an unknown model id is a 404, not retried', async () => {
    const observed = await throughScheduler('gemini-0-nonexistent-image');
    expect(observed.calls).toBe(1);
    expect(observed.error).toMatchObject({
      code: 'provider_model_not_found',
      status: 404,
      retryable: false,
      providerCode: 'NOT_FOUND',
    });
    expect((observed.error as Error).message).toContain(
      'models/gemini-0-nonexistent-image is not found for API version v1beta',
    );
    rows.push({
      fault: 'unknown model id (404 NOT_FOUND)',
      outcome: describeOutcome(observed, false),
    });
  });

  it('a wrong key is a 400 API_KEY_INVALID, not retried, the key nowhere', async () => {
    const wrongKey = 'AIzaSy-wrong-key-0123456789abcdef';
    const observed = await throughScheduler(undefined, { apiKey: wrongKey });
    expect(observed.error).toMatchObject({
      code: 'provider_authentication',
      status: 400,
      retryable: false,
      providerCode: 'API_KEY_INVALID',
    });
    expect(JSON.stringify(observed.error)).not.toContain(wrongKey);
    expect(String(observed.error)).not.toContain(wrongKey);
    rows.push({
      fault: 'wrong key (400 API_KEY_INVALID)',
      outcome: describeOutcome(observed, false),
    });
  });
});

describe('abort', () => {
  it('mid-request closes the socket: the server sees the connection closed', async () => {
    let closedByClient = false;
    let started = false;
    fake.server.use(
      http.post(modelCall, async ({ request }) => {
        started = true;
        request.signal.addEventListener('abort', () => {
          closedByClient = true;
        });
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = provider(undefined, { headersTimeoutMs: 10_000 }).generate(
      createImageRequest({ signal: controller.signal }),
    );
    await expect.poll(() => started).toBe(true);
    controller.abort();
    const error = await pending.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    record(error);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ code: 'aborted' });
    await expect.poll(() => closedByClient).toBe(true);
    rows.push({
      fault: 'abort mid-request (no cancel endpoint exists)',
      outcome: `AbortError \`aborted\`; the server saw the connection closed: ${closedByClient}`,
    });
  });

  it('an aborted signal sends nothing', async () => {
    const before = fake.calls().length;
    const controller = new AbortController();
    controller.abort();
    const error = await provider()
      .generate(createImageRequest({ signal: controller.signal }))
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(fake.calls().length).toBe(before);
  });
});

describe('the API key', () => {
  it('never appears in an error, a result, a retry notice or the console, even when echoed', async () => {
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      }),
    );
    const echo = (request: Request) => `key ${request.headers.get('x-goog-api-key')}`;
    const scenarios: ((request: Request) => Response)[] = [
      (request) =>
        HttpResponse.json(googleError(400, 'INVALID_ARGUMENT', `Bad key ${echo(request)}`), {
          status: 400,
        }),
      (request) =>
        HttpResponse.json(googleError(503, 'UNAVAILABLE', echo(request), [retryInfo('0s')]), {
          status: 503,
        }),
      (request) => new HttpResponse(`<html>${echo(request)}</html>`, { status: 502 }),
      (request) => new HttpResponse(`not json ${echo(request)}`),
      (request) =>
        HttpResponse.json({
          promptFeedback: { blockReason: 'OTHER', blockReasonMessage: echo(request) },
        }),
      (request) =>
        HttpResponse.json(geminiAnswer({ text: echo(request), finishReason: 'NO_IMAGE' })),
    ];
    for (const scenario of scenarios) {
      fake.server.resetHandlers();
      failFirst(10, scenario);
      const observed = await throughScheduler();
      expect(observed.error).toBeDefined();
    }
    fake.server.resetHandlers();
    failFirst(10, (request) =>
      HttpResponse.json(geminiAnswer({ image: png(4, 4), text: echo(request) })),
    );
    const answered = await throughScheduler();
    expect(answered.result!.warnings[0]).toContain('[redacted]');
    for (const spy of spies) spy.mockRestore();
    const everything = [...emitted, ...logged].join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(testApiKey);
    expect(everything).toContain('[redacted]');
  });
});
