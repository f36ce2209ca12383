import { AbortError, type ImageProgress } from '@layerloom/core';
import type { HttpClient } from '@layerloom/core/http';
import { falErrorCodes } from './describe-fal-error.js';
import { type FalResponseContext, falFailure } from './verify-fal-image.js';

/**
 * Progress of a fal call: core's `ImageProgress` plus where the request is in fal's queue.
 * Core's render events carry `fraction`, `etaMs`, `preview` and `queuePosition`; a caller of
 * `generate` gets the whole object.
 */
export interface FalProgress extends ImageProgress {
  /** fal's status of the request. */
  readonly status: 'IN_QUEUE' | 'IN_PROGRESS';
  /** The new log lines of the runner, while `IN_PROGRESS`. */
  readonly logs?: readonly string[];
}

/** How a queued request is driven. */
export interface FalQueueOptions {
  /** Wait between two status polls, in milliseconds. */
  readonly pollIntervalMs: number;
  /** Longest the whole request may take, in milliseconds. */
  readonly queueTimeoutMs: number;
  /** Largest result body, in bytes. */
  readonly maxResponseBytes: number;
  /** Aborts the request (it is then cancelled on fal's side). */
  readonly signal: AbortSignal;
  /** Receives queue positions and log progress. */
  readonly onProgress?: ((progress: FalProgress) => void) | undefined;
}

/** What a queued request answered. */
export interface FalQueueResult {
  /** The model's output (the result body). */
  readonly output: unknown;
  /** fal's request id. */
  readonly requestId: string;
  /** The HTTP status of the result. */
  readonly status: number;
  /** The first queue position reported, if the request waited. */
  readonly queuePosition: number | undefined;
  /** Status polls made. */
  readonly polls: number;
}

/** How long a cancel may take after an abort or a failure, in milliseconds. */
export const cancelTimeoutMs = 5000;

const namespaces = new Set(['workflows', 'comfy']);
const requestIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The app part of an endpoint id, which status, result and cancel URLs use: `fal-ai/flux` for
 * `fal-ai/flux/dev` (the sub-path is only for submitting), `workflows/owner/name` for
 * workflows.
 *
 * @param endpoint - the endpoint id, e.g. `fal-ai/flux/dev/image-to-image`.
 */
export function falAppId(endpoint: string): string {
  const parts = endpoint.split('/');
  return parts.slice(0, namespaces.has(parts[0]!) ? 3 : 2).join('/');
}

/**
 * A percentage in a runner log line (`45%`, `Step 12/28`), as a fraction.
 *
 * @param line - the log message.
 */
export function logFraction(line: string): number | undefined {
  const percent = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(line);
  if (percent !== null) {
    const value = Number(percent[1]) / 100;
    return value >= 0 && value <= 1 ? value : undefined;
  }
  const steps = /\b(\d{1,5})\s*\/\s*(\d{1,5})\b/.exec(line);
  if (steps !== null) {
    const done = Number(steps[1]);
    const total = Number(steps[2]);
    return total > 0 && done <= total ? done / total : undefined;
  }
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(AbortError.fromSignal(signal, 'The fal queue poll'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface StatusBody {
  readonly status?: unknown;
  readonly queue_position?: unknown;
  readonly logs?: unknown;
}

const logMessages = (logs: unknown): string[] =>
  Array.isArray(logs)
    ? logs
        .map((entry) => (entry as { message?: unknown } | null)?.message)
        .filter((message): message is string => typeof message === 'string')
    : [];

/**
 * Runs one request through fal's queue: submits it, polls its status (queue position and log
 * percentages become progress), and reads the result. When the signal aborts, the deadline
 * passes or a poll fails after the submit, the request is cancelled on fal's side
 * (`PUT …/requests/{id}/cancel`, awaited for at most {@link cancelTimeoutMs}) so that it
 * stops costing money, and the call fails. Never retries: the scheduler does.
 *
 * @param client - the queue API's client.
 * @param endpoint - the endpoint id, e.g. `fal-ai/flux/dev`.
 * @param input - the JSON input.
 * @param options - polling, deadline, signal, progress.
 * @throws ProviderError (retryable `provider_timeout` at the deadline), AbortError.
 */
export async function runFalQueue(
  client: HttpClient,
  endpoint: string,
  input: unknown,
  options: FalQueueOptions,
): Promise<FalQueueResult> {
  const { signal } = options;
  const started = Date.now();
  const submitted = await client.request({
    method: 'POST',
    path: `/${endpoint}`,
    body: { json: input },
    signal,
  });
  const handle = submitted.json<{ request_id?: unknown }>();
  const requestId = handle?.request_id;
  if (typeof requestId !== 'string' || !requestIdPattern.test(requestId)) {
    throw falFailure(
      'fal answered the submit without a usable `request_id`',
      falErrorCodes.badResponse,
      { status: submitted.status, requestId: submitted.requestId },
    );
  }
  const base = `/${falAppId(endpoint)}/requests/${requestId}`;
  const context: FalResponseContext = { requestId };
  let queuePosition: number | undefined;
  let lastPosition: number | undefined;
  let logsSeen = 0;
  let lastFraction = -1;
  let polls = 0;
  let reportedRunning = false;

  const report = (progress: FalProgress) => options.onProgress?.(progress);

  const cancel = async () => {
    try {
      await client.request({
        method: 'PUT',
        path: `${base}/cancel`,
        signal: AbortSignal.timeout(cancelTimeoutMs),
        timeoutMs: cancelTimeoutMs,
      });
    } catch {
      // Best effort: the call fails with its own error either way.
    }
  };

  try {
    for (;;) {
      const response = await client.request({
        path: `${base}/status`,
        query: { logs: 1 },
        signal,
      });
      polls++;
      const body = response.json<StatusBody>();
      const status = body?.status;
      if (status === 'IN_QUEUE') {
        const position =
          typeof body.queue_position === 'number' && body.queue_position >= 0
            ? body.queue_position + 1 // fal counts the requests ahead; core's place is 1 = next
            : undefined;
        queuePosition ??= position;
        if (position !== lastPosition || polls === 1) {
          lastPosition = position;
          report({
            status: 'IN_QUEUE',
            fraction: 0,
            ...(position === undefined ? {} : { queuePosition: position }),
          });
        }
      } else if (status === 'IN_PROGRESS') {
        const messages = logMessages(body.logs);
        const fresh = messages.length >= logsSeen ? messages.slice(logsSeen) : messages;
        logsSeen = messages.length;
        const fraction = fresh
          .map(logFraction)
          .filter((value) => value !== undefined)
          .at(-1);
        const advanced = fraction !== undefined && fraction > lastFraction;
        if (advanced) lastFraction = fraction;
        if (!reportedRunning || advanced || fresh.length > 0) {
          reportedRunning = true;
          report({
            status: 'IN_PROGRESS',
            ...(advanced ? { fraction } : {}),
            ...(fresh.length === 0 ? {} : { logs: fresh }),
          });
        }
      } else if (status === 'COMPLETED') {
        break;
      } else {
        throw falFailure(
          `fal answered a status poll with an unknown status ${JSON.stringify(status)}`,
          falErrorCodes.badResponse,
          { ...context, status: response.status },
        );
      }
      const left = options.queueTimeoutMs - (Date.now() - started);
      if (left <= 0) {
        throw falFailure(
          `The fal request did not complete within ${options.queueTimeoutMs} ms (setting \`queueTimeoutMs\`); it was cancelled`,
          'provider_timeout',
          context,
          true,
        );
      }
      await sleep(Math.min(options.pollIntervalMs, left), signal);
    }
  } catch (error) {
    await cancel();
    throw error;
  }

  const result = await client.request({
    path: base,
    signal,
    maxResponseBytes: options.maxResponseBytes,
  });
  return { output: result.json(), requestId, status: result.status, queuePosition, polls };
}
