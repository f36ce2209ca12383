import {
  type HttpErrorDescription,
  type HttpResponse,
  parseShouldRetry,
} from '@layerloom/core/http';

/**
 * The stable `code`s of the `ProviderError`s this adapter throws, besides core's
 * `provider_timeout`, `provider_connection_error`, `provider_response_too_large` and `aborted`.
 */
export const openAIErrorCodes = {
  /** The prompt or an input image was refused by OpenAI's safety system. Not retryable. */
  contentPolicy: 'provider_content_policy',
  /** 401: the key is missing, wrong or revoked. */
  authentication: 'provider_authentication',
  /** 403: the key may not use this model (e.g. the organization is not verified). */
  permissionDenied: 'provider_permission_denied',
  /** 429 rate limit: retryable after `retryAfterMs`. */
  rateLimited: 'provider_rate_limited',
  /** Quota or billing limit reached (429 `insufficient_quota`, `billing_hard_limit_reached`). Not retryable. */
  quotaExceeded: 'provider_quota_exceeded',
  /** Other 4xx: the request was refused as invalid. */
  invalidRequest: 'provider_invalid_request',
  /** 5xx, or a `server_error` in a stream. Retryable. */
  serverError: 'provider_server_error',
  /** The response was not what the API promises (not JSON, no image, not an image, truncated). */
  badResponse: 'provider_bad_response',
  /** The guarded download of an image URL refused the URL (scheme, host, address, redirects). */
  downloadRefused: 'provider_download_refused',
} as const;

/** The inner object of OpenAI's error body `{ "error": { message, type, param, code } }`. */
export interface OpenAIErrorBody {
  readonly message?: unknown;
  readonly type?: unknown;
  readonly param?: unknown;
  readonly code?: unknown;
}

const contentPolicyCodes = new Set(['moderation_blocked', 'content_policy_violation']);
const quotaCodes = new Set(['insufficient_quota', 'billing_hard_limit_reached']);

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Classifies an OpenAI error object (from an error response or a stream's `error` frame).
 *
 * @param error - the inner error object.
 * @param status - the HTTP status, when there was one.
 * @returns message, provider code, stable code and — where the status alone would be wrong —
 *   whether a retry can help.
 */
export function classifyOpenAIError(
  error: OpenAIErrorBody,
  status: number | undefined,
): HttpErrorDescription {
  const code = text(error.code);
  const type = text(error.type);
  const param = text(error.param);
  const details = [type && `type ${type}`, code && `code ${code}`, param && `param ${param}`]
    .filter(Boolean)
    .join(', ');
  const base = text(error.message);
  const message =
    base === undefined
      ? details === ''
        ? undefined
        : details
      : details === ''
        ? base
        : `${base} (${details})`;
  const described = (stable: string, retryable?: boolean): HttpErrorDescription => ({
    ...(message === undefined ? {} : { message }),
    ...((code ?? type) === undefined ? {} : { providerCode: (code ?? type)! }),
    code: stable,
    ...(retryable === undefined ? {} : { retryable }),
  });
  if (
    (code !== undefined && contentPolicyCodes.has(code)) ||
    type === 'image_generation_user_error'
  ) {
    return described(openAIErrorCodes.contentPolicy, false);
  }
  if (
    (code !== undefined && quotaCodes.has(code)) ||
    (type !== undefined && quotaCodes.has(type))
  ) {
    return described(openAIErrorCodes.quotaExceeded, false);
  }
  if (status === 401 || code === 'invalid_api_key') {
    return described(openAIErrorCodes.authentication, status === undefined ? false : undefined);
  }
  if (status === 403) return described(openAIErrorCodes.permissionDenied);
  if (status === 429 || code === 'rate_limit_exceeded') {
    return described(openAIErrorCodes.rateLimited, status === undefined ? true : undefined);
  }
  if ((status !== undefined && status >= 500) || type === 'server_error') {
    return described(openAIErrorCodes.serverError, status === undefined ? true : undefined);
  }
  if (status === 408 || status === 409) return described('provider_error');
  if (status !== undefined && status >= 400) return described(openAIErrorCodes.invalidRequest);
  // An error frame in a stream without a known type: most likely a transient server fault.
  return described('provider_error', type !== 'invalid_request_error');
}

/**
 * Reads an OpenAI error response for core's HTTP client: OpenAI's `error.message`, `type`,
 * `code` and `param`, a stable code, and the retry decision — `x-should-retry` wins, then quota
 * and content-policy errors are final, then the status decides (408, 409, 429, 5xx).
 *
 * @param response - the buffered error response.
 */
export function describeOpenAIError(response: HttpResponse): HttpErrorDescription {
  let error: OpenAIErrorBody = {};
  try {
    const parsed: unknown = JSON.parse(response.text());
    const inner = (parsed as { error?: unknown } | null)?.error;
    if (inner !== null && typeof inner === 'object') error = inner as OpenAIErrorBody;
    else if (typeof inner === 'string') error = { message: inner };
  } catch {
    const body = response.text().trim().slice(0, 300);
    if (body !== '') error = { message: body };
  }
  const description = classifyOpenAIError(error, response.status);
  const shouldRetry = parseShouldRetry(response.headers);
  if (shouldRetry === undefined) return description;
  return { ...description, retryable: shouldRetry };
}
