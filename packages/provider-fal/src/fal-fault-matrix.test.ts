/**
 * The fault matrix: every failure fal (or the network) can hand the adapter, against the fake
 * fal server over a real socket. Each ends in success after a retry through a real
 * `createScheduler`, or in a typed error; none hangs, none leaks the key. The observed
 * outcomes are written to docs/providers/fal.md (run once with LAYERLOOM_UPDATE_DOCS=1).
 */
import {
  AbortError,
  createScheduler,
  type ImageRequest,
  isLayerloomError,
  type Provider,
  ProviderError,
  type RetryNotice,
} from '@layerloom/core';
import {
  createImageRequest,
  type DocTableRow,
  emittedText,
  syncDocTable,
} from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFal } from './create-fal.js';
import type { FalProviderSettings } from './fal-provider-settings.js';
import { createFakeFal, type FakeFal, mediaHost, testFalKey } from './fixtures/fake-fal-server.js';
import { lyingPng, solidPng } from './fixtures/test-images.js';

const docPath = new URL('../../../docs/providers/fal.md', import.meta.url);

let fake: FakeFal;
const rows: DocTableRow[] = [];
/** Everything the adapter emitted (errors, results, progress), scanned for the key. */
const emitted: string[] = [];

beforeAll(async () => {
  fake = await createFakeFal();
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
  expect(emitted.join('\n')).not.toContain(testFalKey);
  expect(emitted.join('\n')).not.toContain(testFalKey.split(':')[1]);
  const check = await syncDocTable(docPath, 'fault-matrix', rows);
  expect(check.upToDate || check.written).toBe(true);
});

const settings = (extra: FalProviderSettings = {}): FalProviderSettings => ({
  apiKey: testFalKey,
  baseURL: fake.queueURL,
  syncBaseURL: fake.syncURL,
  pollIntervalMs: 5,
  headersTimeoutMs: 300,
  bodyTimeoutMs: 300,
  imageDownload: {
    allowHttp: true,
    allowedAddresses: ['127.0.0.1'],
    lookup: (_hostname, _options, callback) => callback(null, '127.0.0.1', 4),
  },
  ...extra,
});

const provider = (extra?: FalProviderSettings, modelId = 'fal-ai/flux/dev'): Provider =>
  createFal(settings(extra)).image(modelId);

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a red kite', width: 1024, height: 768, ...fields });

const record = (value: unknown) => emitted.push(emittedText(value));

/** The outcome of an error, as the doc table shows it. */
function errorOutcome(error: unknown): string {
  if (!isLayerloomError(error)) return `untyped ${String(error)}`;
  if (error instanceof ProviderError) {
    const parts = [`\`${error.code}\``, error.retryable ? 'retryable' : 'not retryable'];
    if (error.status !== undefined) parts.push(`HTTP ${error.status}`);
    if (error.retryAfterMs !== undefined) parts.push(`retryAfterMs ${error.retryAfterMs}`);
    return `ProviderError ${parts.join(', ')}`;
  }
  return `${error.name} \`${error.code}\``;
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

/** Runs the call through a real scheduler with fast backoff; returns the outcome text. */
async function scheduled(target: Provider, fields: Partial<ImageRequest> = {}) {
  const scheduler = createScheduler({
    defaultLimits: { maxRetries: 2 },
    retry: { baseDelayMs: 5, maxDelayMs: 20, budget: false },
  });
  const retries: RetryNotice[] = [];
  const outcome = await scheduler
    .run('fal', ({ signal }) => target.generate(request({ ...fields, signal })), {
      onRetry: (notice) => retries.push(notice),
    })
    .then(
      (result) => {
        record(result);
        return { result, error: undefined };
      },
      (error: unknown) => {
        record(error);
        return { result: undefined, error };
      },
    );
  const first = retries[0]?.error;
  const why = first === undefined ? '' : `${errorOutcome(first)}; `;
  const text =
    outcome.result !== undefined
      ? `${why}retried by the scheduler after ${retries.map((notice) => `${notice.delayMs} ms`).join(', ')}, then success`
      : `${why}${errorOutcome(outcome.error)} after ${retries.length + 1} attempt(s)`;
  return { ...outcome, retries, text };
}

const once = { once: true } as const;
const submitPath = '*/queue/fal-ai/flux/dev';
const statusPath = '*/queue/fal-ai/flux/requests/:id/status';
const resultPath = '*/queue/fal-ai/flux/requests/:id';

describe('rate limits and server errors (through createScheduler)', () => {
  it('429 with Retry-After: waits the server’s delay, then succeeds', async () => {
    fake.server.use(
      http.post(
        submitPath,
        () =>
          HttpResponse.json(
            { detail: 'Too many requests' },
            { status: 429, headers: { 'retry-after': '1' } },
          ),
        once,
      ),
    );
    const run = await scheduled(provider());
    expect(run.result).toBeDefined();
    expect(run.retries.map((notice) => notice.delayMs)).toEqual([1000]);
    expect(run.retries[0]!.error).toMatchObject({
      code: 'provider_rate_limited',
      retryable: true,
      retryAfterMs: 1000,
    });
    rows.push({ fault: '429 with `Retry-After: 1` on submit', outcome: run.text });
  });

  it('429 without Retry-After: backoff, then success', async () => {
    fake.server.use(
      http.post(
        submitPath,
        () => HttpResponse.json({ detail: 'Too many requests' }, { status: 429 }),
        once,
      ),
    );
    const run = await scheduled(provider());
    expect(run.result).toBeDefined();
    expect((run.retries[0]!.error as ProviderError).retryAfterMs).toBeUndefined();
    rows.push({
      fault: '429 without `Retry-After` on submit',
      outcome: run.text.replace(/\d+ ms/, 'backoff'),
    });
  });

  it.each<[string, string, number]>([
    ['500 on a status poll', statusPath, 500],
    ['502 on submit', submitPath, 502],
    ['503 on the result', resultPath, 503],
  ])('%s: retried, then success', async (fault, path, status) => {
    const method = path === submitPath ? http.post : http.get;
    fake.server.use(
      method(
        path,
        () =>
          HttpResponse.json(
            { detail: 'Runner disconnected', error_type: 'runner_disconnected' },
            { status, headers: { 'x-fal-error-type': 'runner_disconnected' } },
          ),
        once,
      ),
    );
    const run = await scheduled(provider());
    expect(run.result).toBeDefined();
    expect(run.retries[0]!.error).toMatchObject({ code: 'provider_server_error', status });
    const cancelledFirst = path === submitPath ? '' : ' (the failed request was cancelled first)';
    expect(fake.cancelled.length).toBe(path === statusPath ? 1 : 0);
    rows.push({
      fault,
      outcome: `${run.text.replace(/\d+ ms/, 'backoff')}${path === statusPath ? cancelledFirst : ''}`,
    });
  });

  it('503 with X-Fal-Retryable: false is final', async () => {
    fake.server.use(
      http.post(submitPath, () =>
        HttpResponse.json(
          { detail: 'No runner' },
          { status: 503, headers: { 'x-fal-retryable': 'false' } },
        ),
      ),
    );
    const run = await scheduled(provider());
    expect(run.error).toMatchObject({ retryable: false, status: 503 });
    rows.push({ fault: '503 with `X-Fal-Retryable: false`', outcome: run.text });
  });

  it('504 that fal marks as the caller’s own start timeout is final', async () => {
    fake.server.use(
      http.get(statusPath, () =>
        HttpResponse.json(
          { detail: 'Request timed out', error_type: 'request_timeout' },
          { status: 504, headers: { 'x-fal-request-timeout-type': 'user' } },
        ),
      ),
    );
    const error = await failure(provider().generate(request()));
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: false, status: 504 });
    rows.push({
      fault: '504 with `X-Fal-Request-Timeout-Type: user`',
      outcome: errorOutcome(error),
    });
  });
});

describe('transport faults', () => {
  it('connection reset on a status poll: retryable, the request is cancelled', async () => {
    fake.server.use(http.get(statusPath, () => HttpResponse.error(), once));
    const run = await scheduled(provider());
    expect(run.result).toBeDefined();
    expect(run.retries[0]!.error).toMatchObject({ code: 'provider_connection_error' });
    expect(fake.cancelled).toEqual(['req-1-5f1c']);
    rows.push({
      fault: 'connection reset on a status poll',
      outcome: `${run.text.replace(/\d+ ms/, 'backoff')} (the first request was cancelled)`,
    });
  });

  it('headers that never come (submit)', async () => {
    fake.server.use(
      http.post(submitPath, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const error = await failure(provider().generate(request()));
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true });
    rows.push({ fault: 'headers timeout on submit', outcome: errorOutcome(error) });
  });

  it('a result body that stalls', async () => {
    fake.server.use(
      http.get(
        resultPath,
        () =>
          new HttpResponse(
            new ReadableStream({
              start(controller) {
                controller.enqueue(new TextEncoder().encode('{"images":[{"url":"'));
              },
            }),
            { headers: { 'content-type': 'application/json' } },
          ),
      ),
    );
    const error = await failure(provider().generate(request()));
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true });
    rows.push({ fault: 'result body stalls', outcome: errorOutcome(error) });
  });

  it('the whole queue deadline passes: cancelled, retryable timeout', async () => {
    fake.configure({ queuedPolls: 1000 });
    const error = await failure(provider({ queueTimeoutMs: 60 }).generate(request()));
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true });
    expect(error.message).toContain('60 ms');
    expect(fake.cancelled).toEqual(['req-1-5f1c']);
    rows.push({
      fault: '`queueTimeoutMs` passes while queued',
      outcome: `${errorOutcome(error)}; cancel observed by the server`,
    });
  });
});

describe('abort', () => {
  it('mid-request (submit): the socket is closed', async () => {
    let closedByClient = false;
    fake.server.use(
      http.post(submitPath, async ({ request: received }) => {
        received.signal.addEventListener('abort', () => {
          closedByClient = true;
        });
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = provider({ headersTimeoutMs: 10_000 }).generate(
      request({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((thrown: unknown) => thrown);
    record(error);
    expect(error).toBeInstanceOf(AbortError);
    await expect.poll(() => closedByClient).toBe(true);
    rows.push({
      fault: 'abort mid-request (submit)',
      outcome: `${errorOutcome(error)}; socket closed (server saw the disconnect)`,
    });
  });

  it('mid-poll: the request is cancelled on fal’s side', async () => {
    fake.configure({ queuedPolls: 1000 });
    const controller = new AbortController();
    const positions: unknown[] = [];
    const pending = provider().generate(
      request({
        signal: controller.signal,
        onProgress: (progress) => {
          positions.push(progress);
          if (positions.length === 3) controller.abort();
        },
      }),
    );
    const error = await pending.catch((thrown: unknown) => thrown);
    record(error);
    expect(error).toBeInstanceOf(AbortError);
    expect(fake.cancelled).toEqual(['req-1-5f1c']);
    const cancel = fake.calls().find((call) => call.method === 'PUT')!;
    expect(cancel.path).toBe('/queue/fal-ai/flux/requests/req-1-5f1c/cancel');
    expect(cancel.headers.authorization).toBe(`Key ${testFalKey}`);
    rows.push({
      fault: 'abort mid-poll',
      outcome: `${errorOutcome(error)}; \`PUT …/requests/{id}/cancel\` observed by the server`,
    });
  });

  it('an aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await provider()
      .generate(request({ signal: controller.signal }))
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(fake.calls()).toEqual([]);
  });
});

describe('bad answers', () => {
  const answer = (body: Record<string, unknown>) =>
    fake.server.use(http.get(resultPath, () => HttpResponse.json(body)));
  const withImage = (url: string) => ({ images: [{ url, width: 1024, height: 768 }], seed: 1 });
  const serve = (bytes: Uint8Array) =>
    fake.server.use(
      http.get('*/files/bad.png', () => new HttpResponse(bytes.slice(), { status: 200 })),
    );
  const local = (path: string) => `http://${mediaHost}:${fake.server.port}${path}`;

  it.each<[string, () => void, string]>([
    [
      'malformed JSON result',
      () =>
        fake.server.use(
          http.get(
            resultPath,
            () =>
              new HttpResponse('{"images": [', { headers: { 'content-type': 'application/json' } }),
          ),
        ),
      'provider_bad_response',
    ],
    ['result without `images`', () => answer({ seed: 1 }), 'provider_bad_response'],
    [
      'output URL that 404s',
      () => answer(withImage(local('/files/missing.png'))),
      'provider_error',
    ],
    [
      'output URL on a private address',
      () => answer(withImage('https://10.1.2.3/files/x.png')),
      'provider_download_refused',
    ],
    [
      'output URL on a host not allowed',
      () => answer(withImage('https://images.example.com/x.png')),
      'provider_download_refused',
    ],
    [
      'truncated image bytes',
      () => {
        serve(solidPng(8, 8).subarray(0, 40));
        answer(withImage(local('/files/bad.png')));
      },
      'provider_bad_response',
    ],
    [
      'bytes that are not an image',
      () => {
        serve(new TextEncoder().encode('<html>Service unavailable</html>'));
        answer(withImage(local('/files/bad.png')));
      },
      'provider_bad_response',
    ],
    [
      'a header declaring 100000x100000 pixels',
      () => {
        serve(lyingPng(100_000, 100_000));
        answer(withImage(local('/files/bad.png')));
      },
      'provider_response_too_large',
    ],
  ])('%s', async (fault, arrange, code) => {
    arrange();
    const error = await failure(provider().generate(request()));
    expect(error).toMatchObject({ code, retryable: false, provider: 'fal' });
    rows.push({ fault, outcome: errorOutcome(error) });
  });
});

describe('refusals', () => {
  it('a content-policy refusal is typed and not retried', async () => {
    const run = await scheduled(provider(), { prompt: 'something forbidden' });
    expect(run.retries).toEqual([]);
    expect(run.error).toMatchObject({
      code: 'provider_content_policy',
      providerCode: 'content_policy_violation',
      retryable: false,
      status: 422,
    });
    expect((run.error as Error).message).toContain(
      'prompt: The content was flagged by a content checker. (content_policy_violation)',
    );
    rows.push({ fault: '422 `content_policy_violation` (moderation)', outcome: run.text });
  });

  it('an output flagged by the safety checker is typed and not retried', async () => {
    fake.configure({ nsfw: true });
    const run = await scheduled(provider());
    expect(run.error).toMatchObject({ code: 'provider_content_policy', retryable: false });
    rows.push({ fault: 'output flagged `has_nsfw_concepts: [true]`', outcome: run.text });
  });

  it('an unknown model id', async () => {
    const run = await scheduled(provider({}, 'fal-ai/no-such-model'));
    expect(run.error).toMatchObject({ code: 'provider_model_not_found', status: 404 });
    rows.push({ fault: 'unknown model id (404 on submit)', outcome: run.text });
  });

  it('a wrong key, echoed by the server, is redacted', async () => {
    const wrongKey = 'fal-key-wrong:0123456789abcdef';
    fake.server.use(
      http.post(submitPath, ({ request: received }) =>
        HttpResponse.json(
          { detail: `Invalid key ${received.headers.get('authorization')}` },
          { status: 401 },
        ),
      ),
    );
    const error = await failure(provider({ apiKey: wrongKey }).generate(request()));
    expect(error).toMatchObject({ code: 'provider_authentication', retryable: false });
    expect(JSON.stringify(error)).not.toContain(wrongKey);
    expect(error.message).toContain('[redacted]');
    rows.push({
      fault: '401 whose body echoes the key',
      outcome: `${errorOutcome(error)}; key redacted`,
    });
  });

  it('the real key never appears, even when the server echoes it everywhere', async () => {
    const echo = (received: Request) => `key ${received.headers.get('authorization')}`;
    fake.server.use(
      http.post(submitPath, ({ request: received }) =>
        HttpResponse.json(
          { detail: [{ loc: ['body'], msg: echo(received), type: 'x' }] },
          { status: 422 },
        ),
      ),
    );
    const error = await failure(provider().generate(request()));
    expect(error.message).toContain('[redacted]');
    fake.reset();
    const progress: unknown[] = [];
    const result = await provider().generate(request({ onProgress: (p) => progress.push(p) }));
    record(result);
    record(progress);
    expect(emitted.join('\n')).not.toContain(testFalKey);
  });
});
