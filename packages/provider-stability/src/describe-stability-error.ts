import { ProviderError } from '@layerloom/core';
import {
  describeJsonError,
  type HttpErrorDescription,
  type HttpResponse,
  responseFailure,
} from '@layerloom/core/http';

/**
 * The stable `code`s of the `ProviderError`s this adapter throws, besides core's
 * `provider_error`, `provider_timeout`, `provider_connection_error`,
 * `provider_response_too_large` and `aborted`.
 */
export const stabilityErrorCodes = {
  /** 403 `content_moderation`, 422 `public_figure`: the prompt or input was refused (not charged). Not retryable. */
  contentPolicy: 'provider_content_policy',
  /** 200 with `finish-reason: CONTENT_FILTERED`: the output was blurred by moderation (charged). Not retryable. */
  contentFiltered: 'provider_content_filtered',
  /** 401: the key is missing, wrong or revoked. */
  authentication: 'provider_authentication',
  /** 402 (`payment_required`): the account has no credits left. Not retryable. */
  quotaExceeded: 'provider_quota_exceeded',
  /** 429 `rate_limit_exceeded`: retryable after `retryAfterMs` (60 s lockout by default). */
  rateLimited: 'provider_rate_limited',
  /** Other 4xx (400 `bad_request`, 404, 413 `payload_too_large`, 422 `invalid_language`). */
  invalidRequest: 'provider_invalid_request',
  /** 5xx (`internal_error`). Retryable. */
  serverError: 'provider_server_error',
  /** The answer is not what the API promises (not JSON, no image, not an image, truncated). */
  badResponse: 'provider_bad_response',
} as const;

const provider = 'stability';

const contentPolicyNames = new Set(['content_moderation', 'public_figure']);
const quotaNames = new Set(['payment_required', 'insufficient_balance']);

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Classifies a Stability error body `{ id, name, errors: [string] }` by its `name` and status.
 *
 * @param body - the parsed error body.
 * @param status - the HTTP status.
 * @returns message (`name: errors…`, with the error id), provider code, stable code and — for
 *   refusals a retry cannot change — `retryable: false`.
 */
export function classifyStabilityError(
  body: Readonly<Record<string, unknown>>,
  status: number,
): HttpErrorDescription {
  const name = text(body.name);
  const errors = Array.isArray(body.errors)
    ? body.errors.filter((entry): entry is string => typeof entry === 'string')
    : [];
  const detail = errors.length > 0 ? errors.join('; ') : (text(body.message) ?? text(body.detail));
  const id = text(body.id);
  const parts = [name, detail].filter(Boolean).join(': ');
  const message =
    parts === ''
      ? undefined
      : id === undefined || id === name
        ? parts
        : `${parts} (error id ${id})`;
  const described = (code: string, retryable?: boolean): HttpErrorDescription => ({
    ...(message === undefined ? {} : { message }),
    ...(name === undefined ? {} : { providerCode: name }),
    code,
    ...(retryable === undefined ? {} : { retryable }),
  });
  if (
    (name !== undefined && contentPolicyNames.has(name)) ||
    (status === 403 && name === undefined)
  ) {
    return described(stabilityErrorCodes.contentPolicy, false);
  }
  if (status === 402 || (name !== undefined && quotaNames.has(name))) {
    return described(stabilityErrorCodes.quotaExceeded, false);
  }
  if (status === 401) return described(stabilityErrorCodes.authentication);
  if (status === 429) return described(stabilityErrorCodes.rateLimited);
  if (status >= 500) return described(stabilityErrorCodes.serverError);
  if (status === 408 || status === 409) return described('provider_error');
  if (status === 403) return described(stabilityErrorCodes.contentPolicy, false);
  return described(stabilityErrorCodes.invalidRequest);
}

/**
 * Reads a Stability error response for core's HTTP client: the `name` and `errors` of the
 * body (an HTML or text body by its text), a stable code, and the retry decision — moderation
 * and billing refusals are final, otherwise the status decides (408, 409, 429, 5xx).
 *
 * @param response - the buffered error response.
 */
export function describeStabilityError(response: HttpResponse): HttpErrorDescription {
  const fromBody = describeJsonError(response, (body) =>
    classifyStabilityError(body, response.status),
  );
  if (fromBody.code !== undefined) return fromBody;
  return { ...classifyStabilityError({}, response.status), ...fromBody };
}

/**
 * A 429 without `Retry-After` gets Stability's documented lockout as its `retryAfterMs`, so that
 * the scheduler waits it out instead of hammering a locked key. Other errors pass unchanged.
 *
 * @param error - what the HTTP client threw.
 * @param lockoutMs - the delay to give (setting `rateLimitRetryAfterMs`).
 */
export function withRateLimitDelay(error: unknown, lockoutMs: number): unknown {
  if (
    !(error instanceof ProviderError) ||
    error.status !== 429 ||
    error.retryAfterMs !== undefined
  ) {
    return error;
  }
  return new ProviderError(error.message, {
    provider: error.provider,
    status: 429,
    retryable: error.retryable,
    retryAfterMs: lockoutMs,
    code: error.code,
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
  });
}

/** Where a response came from, for errors about it. */
export interface ResponseContext {
  /** The request id (`x-request-id`), when sent. */
  readonly requestId?: string | undefined;
  /** The HTTP status. */
  readonly status?: number | undefined;
}

/**
 * A non-retryable `ProviderError` of this adapter about a response.
 *
 * @param message - what was wrong, without secrets.
 * @param code - the stable code.
 * @param context - request id and status.
 * @param cause - the underlying error, if any.
 */
export function stabilityFailure(
  message: string,
  code: string,
  context: ResponseContext = {},
  cause?: unknown,
): ProviderError {
  return responseFailure(provider, message, code, { ...context, cause });
}
