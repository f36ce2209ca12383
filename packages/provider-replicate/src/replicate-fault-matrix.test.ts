/**
 * The fault matrix: every way the Replicate API (or the network, or an output file) can fail,
 * against the fake server, and what the adapter does. Each fault ends in a success after a
 * retry by a real `createScheduler`, or in a typed error; none hangs, and the token appears in
 * no error, result, progress report or console line. The outcomes observed here are written
 * into docs/providers/replicate.md (`LAYERLOOM_UPDATE_DOCS=1` rewrites the table).
 */
import type { LookupFunction } from 'node:net';
import {
  AbortError,
  createScheduler,
  type ImageRequest,
  type ImageResult,
  isLayerloomError,
  type Provider,
  ProviderError,
} from '@layerloom/core';
import { createImageRequest, syncDocTable } from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createReplicate } from './create-replicate.js';
import {
  createFakeReplicate,
  type FakeReplicate,
  fakeImageDownload,
  type PredictionScript,
  testApiKey,
} from './fixtures/fake-replicate-server.js';
import { pngClaiming, testPng } from './fixtures/test-images.js';
import type { ReplicateProviderSettings } from './replicate-provider-settings.js';

let fake: FakeReplicate;
beforeAll(async () => {
  fake = await createFakeReplicate();
});
afterEach(() => fake.reset());

const docPath = new URL('../../../docs/providers/replicate.md', import.meta.url);
const rows: { fault: string; outcome: string }[] = [];
/** Everything the adapter emitted, scanned for the token at the end. */
const emitted: string[] = [];

const flux = 'black-forest-labs/flux-schnell';
const createPath = `*/v1/models/${flux}/predictions`;

const provider = (settings: ReplicateProviderSettings = {}, model = flux): Provider =>
  createReplicate({
    apiKey: testApiKey,
    baseURL: fake.baseURL,
    imageDownload: fakeImageDownload,
    pollIntervalMs: 10,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    ...settings,
  }).image(model);

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a lighthouse at dusk', ...fields });

function remember(value: unknown): void {
  let current = value;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      emitted.push(current.message, current.stack ?? '', JSON.stringify(current));
      current = current.cause;
    } else {
      emitted.push(
        JSON.stringify(current, (_key, entry) => (entry instanceof Uint8Array ? '[bytes]' : entry)),
      );
      current = undefined;
    }
  }
}

const describeError = (error: unknown): string => {
  if (!isLayerloomError(error)) return `untyped ${String(error)}`;
  if (error instanceof ProviderError) {
    const parts = [error.retryable ? 'retryable' : 'not retryable'];
    if (error.status !== undefined) parts.unshift(`HTTP ${error.status}`);
    if (error.retryAfterMs !== undefined) parts.push(`retryAfterMs ${error.retryAfterMs}`);
    return `\`${error.code}\` (${parts.join(', ')})`;
  }
  return `\`${error.code}\` (${error.name})`;
};

/** Runs the request through a real scheduler (2 retries, short backoff) and records the row. */
async function throughScheduler(
  fault: string,
  target: Provider,
  fields: Partial<ImageRequest> = {},
): Promise<{ result?: ImageResult; error?: unknown; failures: unknown[] }> {
  const scheduler = createScheduler({
    defaultLimits: { maxRetries: 2 },
    retry: { baseDelayMs: 1, maxDelayMs: 10, budget: false },
  });
  const failures: unknown[] = [];
  try {
    const result = await scheduler.run(
      'R',
      ({ signal }) => target.generate(request({ ...fields, signal })),
      { onRetry: (notice) => failures.push(notice.error) },
    );
    remember(result);
    failures.forEach(remember);
    const first = failures[0];
    rows.push({
      fault,
      outcome:
        first === undefined
          ? 'succeeded'
          : `${describeError(first)} → retried by the scheduler, succeeded on attempt ${failures.length + 1}`,
    });
    return { result, failures };
  } catch (error) {
    remember(error);
    failures.forEach(remember);
    const outcome =
      failures.length === 0
        ? `${describeError(error)}, final on the first attempt (not retried)`
        : `${describeError(failures[0])} on each of ${failures.length + 1} attempts → ${describeError(error)}`;
    rows.push({ fault, outcome });
    return { error, failures };
  }
}

let faultCount = 0;
const fault = (name: string, test: () => Promise<void>, timeoutMs?: number) => {
  faultCount++;
  it(name, test, timeoutMs);
};

const once = (path: string, response: () => Response | Promise<Response>) =>
  fake.server.use(http.post(path, response, { once: true }));

afterAll(async () => {
  await fake.close();
  const everything = emitted.join('\n');
  expect(everything.length).toBeGreaterThan(1000);
  expect(everything).not.toContain(testApiKey);
  if (rows.length === faultCount) {
    const check = await syncDocTable(docPath, 'fault-matrix', rows);
    // Without LAYERLOOM_UPDATE_DOCS=1 the doc must already hold this table (alignment aside).
    if (!check.written) {
      expect(
        check.upToDate,
        `docs/providers/replicate.md is stale; it should hold:\n${check.expected}`,
      ).toBe(true);
    }
  }
});

describe('rate limits and server errors: retried by the scheduler', () => {
  fault('429 with Retry-After', async () => {
    once(createPath, () =>
      HttpResponse.json(
        {
          title: 'Request was throttled',
          detail: 'Request was throttled. Expected available in 1 second.',
          status: 429,
        },
        { status: 429, headers: { 'retry-after': '1', 'ratelimit-remaining': '0' } },
      ),
    );
    const { result, failures } = await throughScheduler('429 with `Retry-After: 1`', provider());
    expect(result).toBeDefined();
    expect(failures[0]).toMatchObject({
      code: 'provider_rate_limited',
      retryable: true,
      retryAfterMs: 1000,
      providerCode: 'Request was throttled',
    });
  });

  fault('429 without Retry-After, with ratelimit-reset', async () => {
    once(createPath, () =>
      HttpResponse.json(
        { detail: 'Request was throttled.' },
        { status: 429, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '1' } },
      ),
    );
    const { failures } = await throughScheduler(
      '429 without `Retry-After`, with `ratelimit-reset: 1`',
      provider(),
    );
    expect(failures[0]).toMatchObject({ code: 'provider_rate_limited', retryAfterMs: 1000 });
  });

  fault('429 without any delay header', async () => {
    once(createPath, () =>
      HttpResponse.json({ detail: 'Request was throttled.' }, { status: 429 }),
    );
    const { result, failures } = await throughScheduler('429 without any delay header', provider());
    expect(result).toBeDefined();
    expect((failures[0] as ProviderError).retryAfterMs).toBeUndefined();
  });

  for (const status of [500, 502, 503]) {
    fault(`${status} on create`, async () => {
      once(createPath, () =>
        status === 500
          ? HttpResponse.json({ detail: 'Internal server error' }, { status })
          : new HttpResponse('<html>upstream connect error</html>', { status }),
      );
      const { result, failures } = await throughScheduler(`${status} on create`, provider());
      expect(result).toBeDefined();
      expect(failures[0]).toMatchObject({ code: 'provider_server_error', status, retryable: true });
    });
  }

  fault('503 on a poll: the prediction is canceled, then retried', async () => {
    fake.script({ polls: 2 });
    fake.server.use(
      http.get(
        '*/v1/predictions/:id',
        () => HttpResponse.json({ detail: 'Service unavailable' }, { status: 503 }),
        { once: true },
      ),
    );
    const { result } = await throughScheduler(
      '503 on a poll (the abandoned prediction is canceled)',
      provider(),
    );
    expect(result).toBeDefined();
    await expect.poll(() => fake.canceled.length).toBe(1);
  });
});

describe('transport faults', () => {
  fault('connection reset', async () => {
    once(createPath, () => HttpResponse.error());
    const { failures } = await throughScheduler('connection reset on create', provider());
    expect(failures[0]).toMatchObject({ code: 'provider_connection_error', retryable: true });
  });

  fault('headers that never come', async () => {
    once(createPath, async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const { failures } = await throughScheduler(
      'headers that never come (`headersTimeoutMs`)',
      provider(),
    );
    expect(failures[0]).toMatchObject({ code: 'provider_timeout', retryable: true });
  });

  fault('a body that stalls', async () => {
    once(
      createPath,
      () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"id":"p1","status":"star'));
            },
          }),
          { status: 201, headers: { 'content-type': 'application/json' } },
        ),
    );
    const { failures } = await throughScheduler('a body that stalls (`bodyTimeoutMs`)', provider());
    expect(failures[0]).toMatchObject({ code: 'provider_timeout', retryable: true });
  });

  fault('malformed JSON', async () => {
    once(
      createPath,
      () =>
        new HttpResponse('{"id": "p1", "status": ', {
          status: 201,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const { error } = await throughScheduler('malformed JSON from create', provider());
    expect(error).toMatchObject({ code: 'provider_bad_response', retryable: false });
  });

  fault('an answer that is not a prediction', async () => {
    once(createPath, () => HttpResponse.json({ hello: 'world' }, { status: 201 }));
    const { error } = await throughScheduler('JSON that is not a prediction', provider());
    expect(error).toMatchObject({ code: 'provider_bad_response', retryable: false });
  });
});

describe('output files', () => {
  const script = (entry: PredictionScript) => () => fake.script(entry);

  fault('an output URL that 404s', async () => {
    script({
      output: { raw: [`http://replicate.delivery:${fake.server.port}/xezq/gone/out-0.png`] },
    })();
    const { error } = await throughScheduler('an output URL that 404s', provider());
    expect(error).toMatchObject({ status: 404, retryable: false });
  });

  fault('an output URL on a host that is not allowed', async () => {
    script({ output: { raw: 'https://169.254.169.254/latest/meta-data/x.png' } })();
    const { error } = await throughScheduler(
      'an output URL on a host not allowed (`169.254.169.254`)',
      provider(),
    );
    expect(error).toMatchObject({ code: 'provider_download_refused', retryable: false });
    expect(fake.server.requestLines().some((line) => line.includes('meta-data'))).toBe(false);
  });

  fault('an allowed host that resolves to a private address', async () => {
    const privateLookup: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: '10.0.0.8', family: 4 }]);
      else callback(null, '10.0.0.8', 4);
    };
    const { error } = await throughScheduler(
      'an output URL whose allowed host resolves to a private address',
      provider({ imageDownload: { allowHttp: true, lookup: privateLookup } }),
    );
    expect(error).toMatchObject({ code: 'provider_download_refused', retryable: false });
    expect((error as Error).message).toMatch(/10\.0\.0\.8, which is not a public address/);
  });

  fault('truncated image bytes', async () => {
    script({ image: testPng(16, 16).subarray(0, 60) })();
    const { error } = await throughScheduler('truncated image bytes', provider());
    expect(error).toMatchObject({ code: 'provider_bad_response', retryable: false });
    expect((error as Error).message).toMatch(/truncated/);
  });

  fault('bytes that are not an image', async () => {
    script({ image: new TextEncoder().encode('<html><body>Service unavailable</body></html>') })();
    const { error } = await throughScheduler('bytes that are not an image', provider());
    expect((error as Error).message).toMatch(/not an image \(45 bytes starting 3c 68 74 6d/);
  });

  fault('a 100k x 100k image header', async () => {
    script({ image: pngClaiming(100_000, 100_000) })();
    const { error } = await throughScheduler('a PNG header declaring 100000×100000', provider());
    expect(error).toMatchObject({ code: 'provider_response_too_large', retryable: false });
  });

  fault('a succeeded prediction without an output file', async () => {
    script({ output: { raw: null } })();
    const { error } = await throughScheduler(
      'a succeeded prediction without an output file',
      provider(),
    );
    expect(error).toMatchObject({ code: 'provider_bad_response', retryable: false });
  });
});

describe('predictions that end badly', () => {
  fault('a safety block', async () => {
    fake.script({
      outcome: { error: 'NSFW content detected. Try running it again, or try a different prompt.' },
    });
    const { error, failures } = await throughScheduler(
      'a prediction failed by the safety checker (NSFW)',
      provider(),
    );
    expect(failures).toHaveLength(0);
    expect(error).toMatchObject({ code: 'provider_content_policy', retryable: false });
  });

  fault('a prediction that fails otherwise', async () => {
    fake.script({ outcome: { error: 'CUDA error: out of memory' } });
    const { error } = await throughScheduler('a prediction that fails otherwise', provider());
    expect(error).toMatchObject({ code: 'provider_prediction_failed', retryable: false });
  });

  fault('a prediction canceled elsewhere', async () => {
    fake.script({ outcome: 'canceled' });
    const { error } = await throughScheduler('a prediction canceled elsewhere', provider());
    expect(error).toMatchObject({ code: 'provider_prediction_canceled', retryable: false });
  });

  fault('a prediction aborted by its deadline', async () => {
    fake.script({ outcome: 'aborted' });
    const { result, failures } = await throughScheduler(
      'a prediction `aborted` (deadline passed before it started)',
      provider(),
    );
    expect(result).toBeDefined();
    expect(failures[0]).toMatchObject({ code: 'provider_timeout', retryable: true });
  });

  fault('a prediction past predictionTimeoutMs', async () => {
    fake.script({ polls: 10_000 });
    const { result, failures } = await throughScheduler(
      'a prediction still running at `predictionTimeoutMs` (canceled)',
      provider({ predictionTimeoutMs: 1000, pollIntervalMs: 50 }),
    );
    expect(result).toBeDefined();
    expect(failures[0]).toMatchObject({ code: 'provider_timeout', retryable: true });
    await expect.poll(() => fake.canceled.length).toBe(1);
  });

  fault('an unknown model', async () => {
    const { error } = await throughScheduler(
      'an unknown model (`black-forest-labs/flux-nonexistent`)',
      provider({}, 'black-forest-labs/flux-nonexistent'),
    );
    expect(error).toMatchObject({
      code: 'provider_model_not_found',
      status: 404,
      retryable: false,
    });
  });

  fault('an unknown version', async () => {
    const { error } = await throughScheduler('an unknown version id', provider({}, 'a'.repeat(64)));
    expect(error).toMatchObject({
      code: 'provider_model_not_found',
      status: 422,
      retryable: false,
    });
  });

  fault('a wrong token', async () => {
    const wrong = 'r8_wrong-token-0123456789abcdef';
    const { error } = await throughScheduler('a wrong token (401)', provider({ apiKey: wrong }));
    expect(error).toMatchObject({ code: 'provider_authentication', status: 401, retryable: false });
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect((error as Error).message).not.toContain(wrong);
  });

  fault('a spend limit', async () => {
    once(createPath, () =>
      HttpResponse.json(
        {
          title: 'Payment required',
          detail: 'You have reached your monthly spend limit.',
          status: 402,
        },
        { status: 402 },
      ),
    );
    const { error } = await throughScheduler('402 spend limit', provider());
    expect(error).toMatchObject({ code: 'provider_quota_exceeded', retryable: false });
  });
});

describe('abort', () => {
  const aborted = async (pending: Promise<unknown>) => {
    const error = await pending.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    remember(error);
    expect(error).toBeInstanceOf(AbortError);
    return error;
  };

  fault('abort mid-poll', async () => {
    fake.script({ polls: 10_000 });
    const controller = new AbortController();
    const pending = provider().generate(request({ signal: controller.signal }));
    await expect
      .poll(() => fake.server.requestLines().filter((l) => l.startsWith('GET')).length)
      .toBeGreaterThan(1);
    controller.abort();
    await aborted(pending);
    await expect.poll(() => fake.canceled.length).toBe(1);
    rows.push({
      fault: 'abort mid-poll',
      outcome: '`aborted` (AbortError) at once; `POST /v1/predictions/{id}/cancel` observed',
    });
  });

  fault('abort while a poll is in flight', async () => {
    fake.script({ polls: 5 });
    let socketClosed = false;
    fake.server.use(
      http.get('*/v1/predictions/:id', async ({ request: received }) => {
        received.signal.addEventListener('abort', () => {
          socketClosed = true;
        });
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = provider({ bodyTimeoutMs: 10_000, headersTimeoutMs: 10_000 }).generate(
      request({ signal: controller.signal }),
    );
    await expect.poll(() => fake.server.requestLines().some((l) => l.startsWith('GET'))).toBe(true);
    controller.abort();
    await aborted(pending);
    await expect.poll(() => socketClosed).toBe(true);
    await expect.poll(() => fake.canceled.length).toBe(1);
    rows.push({
      fault: 'abort while a poll request is in flight',
      outcome: '`aborted` at once; the poll socket closed and the cancel observed',
    });
  });

  fault('abort during Prefer: wait', async () => {
    fake.script({ polls: 3, holdCreateMs: 300 });
    const instance = createReplicate({
      apiKey: testApiKey,
      baseURL: fake.baseURL,
      imageDownload: fakeImageDownload,
    });
    const controller = new AbortController();
    const pending = instance.image(flux).generate(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await aborted(pending);
    // It rejected before the create call answered; the cancel follows the answer.
    expect(fake.canceled).toHaveLength(0);
    await instance.close();
    expect(fake.canceled).toHaveLength(1);
    rows.push({
      fault: 'abort during the `Prefer: wait` create call',
      outcome:
        '`aborted` at once; when the create call answers with the prediction id, the cancel is sent (observed; `close()` awaits it)',
    });
  });

  fault('an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await aborted(provider().generate(request({ signal: controller.signal })));
    expect(fake.calls()).toHaveLength(0);
    rows.push({ fault: 'an already aborted signal', outcome: '`aborted`; nothing sent' });
  });
});

describe('the token', () => {
  it('never appears in an error, a result, a progress report or the console, even when echoed', async () => {
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      }),
    );
    const echo = (received: Request) => `token ${received.headers.get('authorization')}`;
    const scenarios: ((received: Request) => Response)[] = [
      (received) => HttpResponse.json({ detail: echo(received) }, { status: 401 }),
      (received) =>
        HttpResponse.json(
          { title: echo(received), detail: echo(received), status: 500 },
          { status: 500 },
        ),
      (received) => new HttpResponse(`<html>${echo(received)}</html>`, { status: 502 }),
      (received) => new HttpResponse(`not json ${echo(received)}`, { status: 201 }),
    ];
    for (const scenario of scenarios) {
      fake.server.use(
        http.post(createPath, ({ request: received }) => scenario(received), { once: true }),
      );
      const error = await provider()
        .generate(request())
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ProviderError);
      remember(error);
    }
    // A prediction whose error echoes the token.
    fake.script({ outcome: { error: `failed with Bearer ${testApiKey}` } });
    const failed = await provider()
      .generate(request())
      .catch((thrown: unknown) => thrown);
    expect((failed as Error).message).toContain('[redacted]');
    remember(failed);
    fake.script({ polls: 2 });
    const progress: unknown[] = [];
    const result = await provider().generate(
      request({ onProgress: (update) => progress.push(update) }),
    );
    remember(result);
    remember(progress);
    for (const spy of spies) spy.mockRestore();
    const everything = [...emitted, ...logged].join('\n');
    expect(everything).not.toContain(testApiKey);
    expect(everything).toContain('[redacted]');
  });
});
