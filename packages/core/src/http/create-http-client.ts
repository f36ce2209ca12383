import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher, FormData, request, errors as undiciErrors } from 'undici';
import { AbortError } from '../errors/abort-error.js';
import { LayerloomError } from '../errors/layerloom-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { describeJsonError } from './describe-json-error.js';
import type { HttpErrorDescription, HttpResponse } from './http-response.js';
import { isRetryableStatus } from './is-retryable-status.js';
import { maxRetryAfterMs, parseRetryAfter, parseShouldRetry } from './parse-retry-after.js';
import { redactSecrets } from './redact-secrets.js';
import { serializeJsonBody } from './serialize-json-body.js';

/** Settings of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Provider id used in errors, e.g. `openai`. */
  readonly provider: string;
  /** Base URL every request path is resolved against, e.g. `https://api.openai.com/v1`. */
  readonly baseURL: string;
  /** Headers sent with every request (e.g. `Authorization`). Never shown in errors. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Values that must never appear in an error, event or log (API keys, passwords). Header
   * values of `headers` are added automatically when they look like credentials.
   */
  readonly secrets?: readonly string[];
  /** Whole-request limit, in milliseconds (headers and body). @default 600_000 */
  readonly timeoutMs?: number;
  /** TCP/TLS connect limit, in milliseconds. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /** Limit for the response headers to arrive, in milliseconds. @default 300_000 */
  readonly headersTimeoutMs?: number;
  /** Limit for silence between body chunks, in milliseconds. @default 300_000 */
  readonly bodyTimeoutMs?: number;
  /** Largest response body read, in bytes. @default 100 MiB */
  readonly maxResponseBytes?: number;
  /** Response header that carries the provider's request id. @default 'x-request-id' */
  readonly requestIdHeader?: string;
  /**
   * Turns an error response into a message and codes. The default reads a JSON
   * `{ error: { message, code, type } }`, `{ detail }` or `{ message }` body.
   */
  readonly describeError?: (response: HttpResponse) => HttpErrorDescription;
  /** undici dispatcher to use instead of the client's own keep-alive agent (tests, proxies). */
  readonly dispatcher?: Dispatcher;
  /**
   * DNS lookup used when the client's own agent opens a socket (`net.connect`'s `lookup`).
   * Lets a caller check every resolved address at connect time, e.g. to refuse private
   * networks without a gap between the check and the connection. Ignored with `dispatcher`.
   * @default the operating system's resolver (`dns.lookup`)
   */
  readonly lookup?: LookupFunction;
}

/** A request body: JSON (any plain value), multipart form data, raw bytes or text. */
export type HttpBody =
  | { readonly json: unknown }
  | { readonly form: FormData }
  | { readonly bytes: Uint8Array; readonly contentType: string }
  | { readonly text: string; readonly contentType?: string };

/** One HTTP request. */
export interface HttpRequest {
  /** HTTP method. @default 'GET' */
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path relative to the base URL, e.g. `/images/generations`. */
  readonly path: string;
  /** Query-string parameters. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Extra headers for this request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body. */
  readonly body?: HttpBody;
  /** Aborts the request and frees its socket at once. */
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs`. */
  readonly timeoutMs?: number;
  /** Overrides the client's `maxResponseBytes`. */
  readonly maxResponseBytes?: number;
  /**
   * What a 3xx answer does: `'error'` throws a `ProviderError`; `'manual'` returns it (with its
   * `location` header) so the caller can check the target before following it. Redirects are
   * never followed automatically. Applies to `request()`; `stream()` always throws.
   * @default 'error'
   */
  readonly redirect?: 'error' | 'manual';
}

/** A response whose body is read as it arrives (server-sent events). */
export interface HttpStreamResponse {
  /** HTTP status (always 2xx: error statuses throw). */
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The provider's request id, when sent. */
  readonly requestId: string | undefined;
  /** The body chunks; iteration throws `ProviderError` on timeouts and size overflow. */
  readonly body: AsyncIterable<Uint8Array>;
}

/** An HTTP client bound to one provider origin. */
export interface HttpClient {
  /** The absolute URL of `path` (with query). */
  url(path: string, query?: HttpRequest['query']): URL;
  /**
   * Sends a request and reads the whole body.
   *
   * @returns the response, for any 2xx status (and 3xx with `redirect: 'manual'`).
   * @throws ProviderError for error statuses and connection failures (with `retryable`),
   *   AbortError when aborted.
   */
  request(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Sends a request and returns the body as a stream (for `text/event-stream`).
   *
   * @throws ProviderError for error statuses (the error body is read first), AbortError.
   */
  stream(request: HttpRequest): Promise<HttpStreamResponse>;
  /** Redacts the client's secrets from `text`. */
  redact(text: string): string;
  /** Closes the keep-alive pool. */
  close(): Promise<void>;
}

const credentialHeaders = new Set([
  'authorization',
  'x-api-key',
  'api-key',
  'proxy-authorization',
  'cookie',
]);

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const textDecoder = new TextDecoder();

/** A body-given retry delay, when it is one `parseRetryAfter` would honour. */
const boundedRetryAfter = (ms: number | undefined) =>
  ms !== undefined && Number.isFinite(ms) && ms >= 0 && ms <= maxRetryAfterMs ? ms : undefined;

function defaultDescribeError(response: HttpResponse): HttpErrorDescription {
  return describeJsonError(response, (body) => {
    const error = body.error;
    if (error !== null && typeof error === 'object') {
      const details = error as Record<string, unknown>;
      const providerCode = [details.code, details.type].find(
        (value) => typeof value === 'string',
      ) as string | undefined;
      return {
        ...(typeof details.message === 'string' ? { message: details.message } : {}),
        ...(providerCode === undefined ? {} : { providerCode }),
      };
    }
    if (typeof error === 'string') return { message: error };
    if (typeof body.detail === 'string') return { message: body.detail };
    if (body.detail !== undefined) return { message: JSON.stringify(body.detail).slice(0, 500) };
    if (typeof body.message === 'string') return { message: body.message };
    return {};
  });
}

function lowerCaseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/**
 * Creates the HTTP client adapters use: undici with one keep-alive pool per origin, connect,
 * headers, body and whole-request timeouts, a response size cap, abort that frees the socket at
 * once, and provider errors that carry the status, request id, retryability and the server's
 * retry delay — never a secret.
 *
 * @param options - base URL, headers, secrets, limits.
 * @returns a client bound to `options.baseURL`.
 * @throws ValidationError when `baseURL` is not an http(s) URL.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  let base: URL;
  try {
    base = new URL(options.baseURL);
  } catch {
    throw ValidationError.field(
      ['baseURL'],
      `Expected \`baseURL\` to be an absolute http(s) URL, got ${JSON.stringify(options.baseURL)}`,
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw ValidationError.field(
      ['baseURL'],
      `Expected \`baseURL\` to use http: or https:, got ${JSON.stringify(base.protocol)}`,
    );
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const provider = options.provider;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const maxResponseBytes = options.maxResponseBytes ?? 100 * 1024 * 1024;
  const requestIdHeader = (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const describeError = options.describeError ?? defaultDescribeError;
  const secrets = [...(options.secrets ?? [])];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (credentialHeaders.has(name.toLowerCase())) {
      secrets.push(value, value.replace(/^(Bearer|Basic|Token)\s+/i, ''));
    }
  }
  const redact = (text: string) => redactSecrets(text, secrets);
  const ownAgent =
    options.dispatcher === undefined
      ? new Agent({
          keepAliveTimeout: 30_000,
          connect: {
            timeout: options.connectTimeoutMs ?? 10_000,
            ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
          },
          headersTimeout: options.headersTimeoutMs ?? 300_000,
          bodyTimeout: options.bodyTimeoutMs ?? 300_000,
        })
      : undefined;
  const dispatcher: Dispatcher = options.dispatcher ?? ownAgent!;
  const origin = base.origin;

  const url = (path: string, query?: HttpRequest['query']): URL => {
    const target = new URL(origin);
    // A path may carry its own query string (`/file.png?sig=…`), kept as sent.
    const questionMark = path.indexOf('?');
    const pathname = questionMark === -1 ? path : path.slice(0, questionMark);
    if (questionMark !== -1) target.search = path.slice(questionMark);
    target.pathname = `${basePath}${pathname.startsWith('/') ? pathname : `/${pathname}`}`;
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) target.searchParams.set(key, String(value));
    }
    return target;
  };

  const failure = (
    message: string,
    fields: {
      code: string;
      retryable: boolean;
      status?: number;
      requestId?: string | undefined;
      cause?: unknown;
    },
  ) =>
    new ProviderError(redact(message), {
      provider,
      code: fields.code,
      retryable: fields.retryable,
      ...(fields.status === undefined ? {} : { status: fields.status }),
      ...(fields.requestId === undefined ? {} : { requestId: fields.requestId }),
      ...(fields.cause === undefined ? {} : { cause: fields.cause }),
    });

  /** Maps what undici throws to our errors; `what` names the request without secrets. */
  const mapThrown = (
    error: unknown,
    what: string,
    signals: { user?: AbortSignal; timeout: AbortSignal },
    limit: number,
  ): LayerloomError => {
    if (error instanceof LayerloomError) return error;
    if (signals.user?.aborted) return AbortError.fromSignal(signals.user, what);
    if (signals.timeout.aborted) {
      return failure(`${what} timed out after ${limit} ms`, {
        code: 'provider_timeout',
        retryable: true,
      });
    }
    const code = (error as { code?: unknown }).code;
    const causeCode = (error as { cause?: { code?: unknown } }).cause?.code;
    if (
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      return failure(`${what} timed out waiting for the server (${(error as Error).message})`, {
        code: 'provider_timeout',
        retryable: true,
      });
    }
    const anyCode =
      typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined;
    if (
      anyCode !== undefined &&
      (connectionErrorCodes.has(anyCode) || anyCode.startsWith('UND_ERR'))
    ) {
      return failure(`${what} failed: cannot reach ${origin} (${anyCode})`, {
        code: 'provider_connection_error',
        retryable: true,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return failure(`${what} failed: ${message}`, {
      code: 'provider_connection_error',
      retryable: true,
    });
  };

  const encodeBody = (
    body: HttpBody | undefined,
  ): { body?: string | Uint8Array | FormData; contentType?: string } => {
    if (body === undefined) return {};
    if ('json' in body) {
      const { text, contentType } = serializeJsonBody(body.json, 'body', `${provider} request`);
      return { body: text, contentType };
    }
    if ('form' in body) return { body: body.form };
    if ('bytes' in body) return { body: body.bytes, contentType: body.contentType };
    return { body: body.text, contentType: body.contentType ?? 'text/plain; charset=utf-8' };
  };

  async function readAll(
    chunks: AsyncIterable<Uint8Array>,
    limit: number,
    what: string,
    status: number,
    requestId: string | undefined,
  ): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of chunks) {
      size += chunk.byteLength;
      if (size > limit) {
        throw failure(`${what} returned more than ${limit} bytes`, {
          code: 'provider_response_too_large',
          retryable: false,
          status,
          requestId,
        });
      }
      parts.push(chunk);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    return bytes;
  }

  const makeResponse = (
    status: number,
    headers: Record<string, string>,
    body: Uint8Array,
    what: string,
  ): HttpResponse => {
    const requestId = headers[requestIdHeader];
    return {
      status,
      headers,
      body,
      requestId,
      text: () => textDecoder.decode(body),
      json<T>(): T {
        try {
          return JSON.parse(textDecoder.decode(body)) as T;
        } catch (cause) {
          throw failure(`${what} returned a body that is not JSON (${body.byteLength} bytes)`, {
            code: 'provider_bad_response',
            retryable: false,
            status,
            requestId,
            cause,
          });
        }
      },
    };
  };

  const errorFor = (response: HttpResponse, what: string): ProviderError => {
    const description = describeError(response);
    const shouldRetry = parseShouldRetry(response.headers);
    const retryable = description.retryable ?? shouldRetry ?? isRetryableStatus(response.status);
    const retryAfterMs =
      parseRetryAfter(response.headers) ?? boundedRetryAfter(description.retryAfterMs);
    const reason = description.message === undefined ? '' : `: ${description.message}`;
    return new ProviderError(redact(`${what} failed with HTTP ${response.status}${reason}`), {
      provider,
      status: response.status,
      retryable,
      code: description.code ?? 'provider_error',
      ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(description.providerCode === undefined
        ? {}
        : { providerCode: redact(description.providerCode) }),
    });
  };

  async function send(
    input: HttpRequest,
    mode: 'buffer' | 'stream',
  ): Promise<HttpResponse | HttpStreamResponse> {
    const method = input.method ?? 'GET';
    const target = url(input.path, input.query);
    const what = `${provider} ${method} ${target.pathname}`;
    if (input.signal?.aborted) throw AbortError.fromSignal(input.signal, what);
    const limit = input.timeoutMs ?? timeoutMs;
    const timeoutController = new AbortController();
    const timer = setTimeout(() => timeoutController.abort(), limit);
    const signal =
      input.signal === undefined
        ? timeoutController.signal
        : AbortSignal.any([input.signal, timeoutController.signal]);
    const signals = {
      ...(input.signal === undefined ? {} : { user: input.signal }),
      timeout: timeoutController.signal,
    };
    const encoded = encodeBody(input.body);
    const headers: Record<string, string> = { ...options.headers, ...input.headers };
    if (encoded.contentType !== undefined) headers['content-type'] = encoded.contentType;
    const byteLimit = input.maxResponseBytes ?? maxResponseBytes;
    let streaming = false;
    try {
      const response = await request(target, {
        method,
        headers,
        ...(encoded.body === undefined ? {} : { body: encoded.body }),
        signal,
        dispatcher,
      });
      const responseHeaders = lowerCaseHeaders(response.headers);
      const requestId = responseHeaders[requestIdHeader];
      const returnedRedirect =
        input.redirect === 'manual' &&
        mode === 'buffer' &&
        response.statusCode >= 300 &&
        response.statusCode < 400;
      const failed = (response.statusCode < 200 || response.statusCode >= 300) && !returnedRedirect;
      if (failed || returnedRedirect || mode === 'buffer') {
        const body = await readAll(response.body, byteLimit, what, response.statusCode, requestId);
        const buffered = makeResponse(response.statusCode, responseHeaders, body, what);
        if (failed) throw errorFor(buffered, what);
        return buffered;
      }
      streaming = true;
      const body = response.body;
      const stream: AsyncIterable<Uint8Array> = {
        async *[Symbol.asyncIterator]() {
          let size = 0;
          try {
            for await (const chunk of body) {
              size += (chunk as Uint8Array).byteLength;
              if (size > byteLimit) {
                throw failure(`${what} streamed more than ${byteLimit} bytes`, {
                  code: 'provider_response_too_large',
                  retryable: false,
                  status: response.statusCode,
                  requestId,
                });
              }
              yield chunk as Uint8Array;
            }
          } catch (error) {
            throw mapThrown(error, what, signals, limit);
          } finally {
            clearTimeout(timer);
            body.destroy();
          }
        },
      };
      return { status: response.statusCode, headers: responseHeaders, requestId, body: stream };
    } catch (error) {
      throw mapThrown(error, what, signals, limit);
    } finally {
      if (!streaming) clearTimeout(timer);
    }
  }

  return {
    url,
    request: (input) => send(input, 'buffer') as Promise<HttpResponse>,
    stream: (input) => send(input, 'stream') as Promise<HttpStreamResponse>,
    redact,
    async close() {
      await ownAgent?.close();
    },
  };
}

export type { HttpErrorDescription, HttpResponse } from './http-response.js';
export { FormData };
