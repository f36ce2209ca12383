/**
 * The fault matrix: every fault the fake can produce, driven through a real scheduler (core's
 * `createScheduler`, and `createLoom` for one), each ending in a success after retry or in a
 * typed error — no hang, no unhandled rejection, no key in any error. The observed outcomes are
 * the table in docs/providers/stability.md (`LAYERLOOM_UPDATE_DOCS=1` rewrites it).
 */
import {
  AbortError,
  createLoom,
  createScheduler,
  type ImageRequest,
  isLayerloomError,
  ProviderError,
  type RetryNotice,
  ValidationError,
} from '@layerloom/core';
import {
  createImageRequest,
  createRecordingCompositor,
  type DocTableRow,
  rejectionOf,
  syncDocTable,
  thrownBy,
} from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStability } from './create-stability.js';
import {
  createFakeStability,
  errorBody,
  type FakeStability,
  testApiKey,
} from './fixtures/fake-stability-server.js';
import { pngDeclaring, testPng } from './fixtures/test-images.js';
import type { StabilityImageOptions } from './stability-image-options.js';
import type { StabilityProviderSettings } from './stability-provider-settings.js';

const docPath = new URL('../../../docs/providers/stability.md', import.meta.url);
const core = '*/v2beta/stable-image/generate/core';

let fake: FakeStability;
const rows: DocTableRow[] = [];
/** Everything the adapter emitted, scanned for the key at the end. */
const emitted: string[] = [];

beforeAll(async () => {
  fake = await createFakeStability();
});
afterEach(() => fake.server.resetHandlers());
afterAll(async () => {
  await fake.close();
  const everything = emitted.join('\n');
  expect(everything).not.toContain(testApiKey);
  const check = await syncDocTable(docPath, 'fault-matrix', rows);
  expect(check.upToDate || check.written, 'docs/providers/stability.md fault matrix').toBe(true);
});

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

const provider = (options: StabilityImageOptions = {}, settings: StabilityProviderSettings = {}) =>
  createStability({
    apiKey: testApiKey,
    baseURL: fake.baseURL,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    rateLimitRetryAfterMs: 50,
    ...settings,
  }).image('stable-image-core', options);

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a lighthouse', ...fields });

/** Answers with `failure` the first `times` calls, then lets the fake answer normally. */
function failFirst(times: number, failure: () => Response | Promise<Response>, path = core) {
  let calls = 0;
  fake.server.use(
    http.post(path, () => {
      calls += 1;
      return calls <= times ? failure() : undefined;
    }),
  );
}

interface Observed {
  readonly calls: number;
  readonly retries: readonly RetryNotice[];
  readonly error: unknown;
  readonly warnings: readonly string[];
}

/** Runs one generate through a real scheduler (2 retries, short backoff), recording everything. */
async function run(
  generate: (signal: AbortSignal) => Promise<{ warnings: readonly string[] }>,
  signal?: AbortSignal,
): Promise<Observed> {
  const scheduler = createScheduler({
    defaultLimits: { maxRetries: 2 },
    retry: { baseDelayMs: 5, maxDelayMs: 10, budget: false },
  });
  const before = fake.calls().length;
  const retries: RetryNotice[] = [];
  try {
    const result = await scheduler.run('S', (context) => generate(context.signal), {
      onRetry: (notice) => retries.push(notice),
      ...(signal === undefined ? {} : { signal }),
    });
    record(result);
    return {
      calls: fake.calls().length - before,
      retries,
      error: undefined,
      warnings: result.warnings,
    };
  } catch (error) {
    record(error);
    for (const notice of retries) record(notice.error);
    return { calls: fake.calls().length - before, retries, error, warnings: [] };
  }
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The outcome as the table says it. */
function outcomeOf(observed: Observed): string {
  const calls = plural(observed.calls, 'call');
  const waits = observed.retries.map((notice) => {
    const error = notice.error as ProviderError;
    return `\`${error.code}\`${error.retryAfterMs === undefined ? '' : ` (waited ${error.retryAfterMs} ms)`}`;
  });
  if (observed.error === undefined) {
    const warned =
      observed.warnings.length === 0 ? '' : `, with ${plural(observed.warnings.length, 'warning')}`;
    return observed.retries.length === 0
      ? `success${warned} (${calls})`
      : `success after retrying ${waits.join(', ')}${warned} (${calls})`;
  }
  const error = observed.error as ProviderError;
  const name = isLayerloomError(error) ? `\`${error.name}\` \`${error.code}\`` : String(error);
  const retry = error instanceof ProviderError && error.retryable ? 'retryable' : 'not retried';
  return `${name}, ${retry} (${calls})`;
}

function observe(fault: string, observed: Observed): void {
  rows.push({ fault, outcome: outcomeOf(observed) });
}

describe('retryable faults end in success through the scheduler', () => {
  it.each<[string, () => Response | Promise<Response>, string]>([
    [
      '429 `rate_limit_exceeded` without Retry-After',
      () =>
        HttpResponse.json(
          errorBody('rate_limit_exceeded', [
            'You have exceeded the rate limit of 150 requests within a 10 second period, and have been timed out for 60 seconds.',
          ]),
          { status: 429 },
        ),
      'provider_rate_limited',
    ],
    [
      '429 with `Retry-After: 1`',
      () =>
        HttpResponse.json(errorBody('rate_limit_exceeded', ['slow down']), {
          status: 429,
          headers: { 'retry-after': '1' },
        }),
      'provider_rate_limited',
    ],
    [
      '500 `internal_error`',
      () =>
        HttpResponse.json(
          errorBody('internal_error', ['An unexpected server error has occurred']),
          {
            status: 500,
          },
        ),
      'provider_server_error',
    ],
    [
      '502 with an HTML body',
      () => new HttpResponse('<html>Bad Gateway</html>', { status: 502 }),
      'provider_server_error',
    ],
    [
      '503 with an empty body',
      () => new HttpResponse(null, { status: 503 }),
      'provider_server_error',
    ],
    ['connection reset', () => HttpResponse.error(), 'provider_connection_error'],
    [
      'response headers never come (headers timeout)',
      async () => {
        await delay('infinite');
        return new HttpResponse(null);
      },
      'provider_timeout',
    ],
    [
      'image body stalls after a few bytes (body timeout)',
      () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(testPng(64, 64).subarray(0, 20));
            },
          }),
          { headers: { 'content-type': 'image/png', 'finish-reason': 'SUCCESS' } },
        ),
      'provider_timeout',
    ],
  ])('%s', async (fault, failure, code) => {
    failFirst(1, failure);
    const observed = await run((signal) => provider().generate(request({ signal })));
    observe(fault, observed);
    expect(observed.error).toBeUndefined();
    expect(observed.calls).toBe(2);
    expect(observed.retries.map((notice) => (notice.error as ProviderError).code)).toEqual([code]);
  });

  it('the 429 lockout without Retry-After is the `rateLimitRetryAfterMs` setting (60 s by default)', async () => {
    failFirst(1, () => HttpResponse.json(errorBody('rate_limit_exceeded', ['x']), { status: 429 }));
    const error = await rejectionOf(
      createStability({ apiKey: testApiKey, baseURL: fake.baseURL })
        .image('stable-image-core')
        .generate(request()),
      ProviderError,
    );
    expect(error).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 60_000,
      providerCode: 'rate_limit_exceeded',
    });
  });

  it('a 503 then a success through createLoom: the layer records two attempts', async () => {
    failFirst(1, () => new HttpResponse(null, { status: 503 }));
    const loom = createLoom({
      providers: { S: provider() },
      compositor: createRecordingCompositor(),
      retry: { baseDelayMs: 5, maxDelayMs: 10, budget: false },
    });
    const result = await loom.render({
      width: 1024,
      height: 1024,
      layers: [{ id: 'sky', prompt: 'sky', provider: 'S' }],
    });
    record(result.manifest);
    expect(result.layers[0]).toMatchObject({ attempts: 2, costUsd: 0.03 });
    rows.push({
      fault: '503 once, through `createLoom`',
      outcome: `success, layer record \`attempts: ${result.layers[0]!.attempts}\``,
    });
  });
});

describe('final faults end in a typed error, not retried', () => {
  const jsonAnswer = (body: string) => () =>
    new HttpResponse(body, { headers: { 'content-type': 'application/json; type=image/png' } });
  const bytesAnswer =
    (bytes: Uint8Array, headers: Record<string, string> = {}) =>
    () =>
      new HttpResponse(bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': 'image/png', 'finish-reason': 'SUCCESS', ...headers },
      });

  it.each<[string, () => Response, string, StabilityImageOptions?]>([
    [
      'malformed JSON (`Accept: application/json`)',
      jsonAnswer('{"image": "iVBORw0'),
      'provider_bad_response',
      { responseFormat: 'base64' },
    ],
    [
      'JSON without `image`',
      jsonAnswer('{"finish_reason":"SUCCESS"}'),
      'provider_bad_response',
      { responseFormat: 'base64' },
    ],
    [
      '`image` that is not base64',
      jsonAnswer('{"image":"iVBOR!!","finish_reason":"SUCCESS"}'),
      'provider_bad_response',
      { responseFormat: 'base64' },
    ],
    ['truncated PNG bytes', bytesAnswer(testPng(64, 64).subarray(0, 60)), 'provider_bad_response'],
    [
      'bytes that are not an image',
      bytesAnswer(new TextEncoder().encode('<html>maintenance</html>')),
      'provider_bad_response',
    ],
    [
      'a PNG header declaring 100000×100000 pixels',
      bytesAnswer(pngDeclaring(100_000, 100_000)),
      'provider_response_too_large',
    ],
    [
      '403 `content_moderation` (prompt refused, not charged)',
      () =>
        HttpResponse.json(
          errorBody('content_moderation', [
            'Your request was flagged by our content moderation system',
          ]),
          { status: 403 },
        ),
      'provider_content_policy',
    ],
    [
      '422 `public_figure`',
      () =>
        HttpResponse.json(errorBody('public_figure', ['likeness of a public figure']), {
          status: 422,
        }),
      'provider_content_policy',
    ],
    [
      '200 `finish-reason: CONTENT_FILTERED` (output blurred, charged)',
      bytesAnswer(testPng(64, 64), { 'finish-reason': 'CONTENT_FILTERED' }),
      'provider_content_filtered',
    ],
    [
      '402 `payment_required`',
      () =>
        HttpResponse.json(errorBody('payment_required', ['lacks sufficient credits']), {
          status: 402,
        }),
      'provider_quota_exceeded',
    ],
    [
      '413 `payload_too_large`',
      () =>
        HttpResponse.json(
          errorBody('payload_too_large', ['body: payloads cannot be larger than 10MiB in size']),
          { status: 413 },
        ),
      'provider_invalid_request',
    ],
  ])('%s', async (fault, failure, code, options = {}) => {
    failFirst(5, failure);
    const observed = await run((signal) => provider(options).generate(request({ signal })));
    observe(fault, observed);
    expect(observed.error).toBeInstanceOf(ProviderError);
    expect(observed.error).toMatchObject({ code, retryable: false, provider: 'stability' });
    expect(observed.calls).toBe(1);
  });

  it('a filtered image with `contentFiltered: warn` is returned with a warning', async () => {
    failFirst(1, () =>
      HttpResponse.json(
        {
          image: Buffer.from(testPng(64, 64)).toString('base64'),
          finish_reason: 'CONTENT_FILTERED',
          seed: 5,
        },
        { headers: { 'content-type': 'application/json; type=image/png' } },
      ),
    );
    const observed = await run((signal) =>
      provider({ contentFiltered: 'warn', responseFormat: 'base64' }).generate(request({ signal })),
    );
    observe('`CONTENT_FILTERED` in JSON, option `contentFiltered: warn`', observed);
    expect(observed.warnings).toEqual([expect.stringMatching(/moderation blurred it/)]);
  });

  it('401 with a wrong key (echoed by the server) never shows the key', async () => {
    const wrongKey = 'sk-wrong-stability-key-9876543210';
    fake.server.use(
      http.post(core, ({ request: received }) =>
        HttpResponse.json(
          errorBody('unauthorized', [`bad key ${received.headers.get('authorization')}`]),
          { status: 401 },
        ),
      ),
    );
    const observed = await run((signal) =>
      provider({}, { apiKey: wrongKey }).generate(request({ signal })),
    );
    observe('401 with a wrong key, echoed in the body', observed);
    expect(observed.error).toMatchObject({ code: 'provider_authentication', retryable: false });
    const error = observed.error as ProviderError;
    expect(`${error.message}${JSON.stringify(error)}`).not.toContain(wrongKey);
    expect(error.message).toContain('[redacted]');
  });

  it('an unknown sd3 model id: the service answers 400', async () => {
    const stability = createStability({ apiKey: testApiKey, baseURL: fake.baseURL });
    const observed = await run((signal) =>
      stability.image('sd3.9-huge').generate(request({ signal })),
    );
    observe('unknown model id `sd3.9-huge` (sent as `model`)', observed);
    expect(observed.error).toMatchObject({ code: 'provider_invalid_request', status: 400 });
  });

  it('an unknown model id of another family: refused before any call', () => {
    const error = thrownBy(() => createStability().image('dall-e-3'), ValidationError);
    expect(error.issues[0]).toMatchObject({ path: ['modelId'] });
    rows.push({
      fault: 'unknown model id `dall-e-3`',
      outcome: `\`ValidationError\` naming \`${error.issues[0]!.path.join('.')}\` at \`.image()\` (0 calls)`,
    });
  });
});

describe('aborts', () => {
  it('abort mid-request closes the socket: the fake sees its request aborted', async () => {
    let closedByClient = false;
    fake.server.use(
      http.post(core, async ({ request: received }) => {
        received.signal.addEventListener('abort', () => {
          closedByClient = true;
        });
        await delay('infinite');
        return new HttpResponse(null);
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const observed = await run(
      (signal) => provider({}, { headersTimeoutMs: 10_000 }).generate(request({ signal })),
      controller.signal,
    );
    await expect.poll(() => closedByClient).toBe(true);
    expect(observed.error).toBeInstanceOf(AbortError);
    rows.push({
      fault: 'abort mid-request (Stability has no cancel endpoint)',
      outcome: `${outcomeOf(observed)}; the server saw the connection close`,
    });
  });

  it('abort while the image body arrives', async () => {
    let closedByClient = false;
    fake.server.use(
      http.post(core, ({ request: received }) => {
        received.signal.addEventListener('abort', () => {
          closedByClient = true;
        });
        return new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(testPng(64, 64).subarray(0, 30));
            },
          }),
          { headers: { 'content-type': 'image/png' } },
        );
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const observed = await run(
      (signal) => provider({}, { bodyTimeoutMs: 10_000 }).generate(request({ signal })),
      controller.signal,
    );
    await expect.poll(() => closedByClient).toBe(true);
    expect(observed.error).toMatchObject({ code: 'aborted' });
    rows.push({
      fault: 'abort while the image body arrives',
      outcome: `${outcomeOf(observed)}; the server saw the connection close`,
    });
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = fake.calls().length;
    const error = await provider()
      .generate(request({ signal: controller.signal }))
      .catch((thrown: unknown) => thrown);
    record(error);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(fake.calls().length).toBe(before);
    rows.push({
      fault: 'signal already aborted',
      outcome: `\`AbortError\` \`aborted\` (${plural(fake.calls().length - before, 'call')})`,
    });
  });
});
