import {
  describeJsonError,
  type HttpErrorDescription,
  type HttpResponse,
  maxRetryAfterMs,
  redactSecrets,
} from '@layerloom/core/http';

/**
 * The stable `code`s of the `ProviderError`s this adapter throws, besides core's
 * `provider_timeout`, `provider_connection_error`, `provider_response_too_large` and `aborted`.
 */
export const replicateErrorCodes = {
  /** The prediction failed on a safety check (NSFW, sensitive content). Not retryable. */
  contentPolicy: 'provider_content_policy',
  /** 401: the token is missing, wrong or revoked. */
  authentication: 'provider_authentication',
  /** 402: the account's credit or spend limit is reached. Not retryable. */
  quotaExceeded: 'provider_quota_exceeded',
  /** 403: the token may not run this model. */
  permissionDenied: 'provider_permission_denied',
  /** 404, or 422 "invalid version": no such model or version (or no access to it). */
  modelNotFound: 'provider_model_not_found',
  /** 429: retryable after `retryAfterMs`. */
  rateLimited: 'provider_rate_limited',
  /** Other 4xx (422: an input the model refuses). */
  invalidRequest: 'provider_invalid_request',
  /** 5xx. Retryable. */
  serverError: 'provider_server_error',
  /** The prediction ran and failed (`status: "failed"`) for another reason. Not retryable. */
  predictionFailed: 'provider_prediction_failed',
  /** The prediction was canceled by someone else (the web UI, another client). */
  predictionCanceled: 'provider_prediction_canceled',
  /** The answer was not what the API promises (not JSON, no output, not an image, truncated). */
  badResponse: 'provider_bad_response',
  /** The guarded download of an output URL refused the URL (scheme, host, address, redirects). */
  downloadRefused: 'provider_download_refused',
} as const;

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Messages of Replicate's safety checkers (FLUX, SDXL, Ideogram…), as predictions fail with them. */
const safetyPattern =
  /\bnsfw\b|safety (?:checker|filter|system)|flagged as sensitive|sensitive content|content (?:policy|moderation|filter)|moderation/i;

/**
 * Whether a failed prediction's `error` is a safety refusal (an NSFW or sensitive-content check).
 *
 * @param message - the prediction's `error`.
 */
export function isSafetyFailure(message: string): boolean {
  return safetyPattern.test(message);
}

/**
 * Replicate's own rate-limit headers: `ratelimit-reset` (seconds until the window resets) when
 * `ratelimit-remaining` is 0 or absent.
 *
 * @param headers - the response headers, lower-case names.
 * @returns the delay in milliseconds, or `undefined`.
 */
export function rateLimitResetMs(headers: Readonly<Record<string, string>>): number | undefined {
  const remaining = headers['ratelimit-remaining'];
  if (remaining !== undefined && Number(remaining) > 0) return undefined;
  const reset = headers['ratelimit-reset']?.trim();
  if (reset === undefined || !/^\d+(\.\d+)?$/.test(reset)) return undefined;
  const ms = Number(reset) * 1000;
  return ms <= maxRetryAfterMs ? ms : undefined;
}

const invalidVersion = /invalid version|version .*(?:does not exist|not found)|not permitted/i;

/**
 * Reads a Replicate error response for core's HTTP client: `{ detail }` or the problem details
 * `{ title, detail, status }`, a stable code by status (402 quota, 404 and 422 "invalid version"
 * model not found), and the delay from `ratelimit-reset` when no `Retry-After` is sent. The
 * `title` becomes the error's `providerCode`, with the secrets redacted from it (core redacts
 * the message only).
 *
 * @param response - the buffered error response.
 * @param secrets - values to redact from the `title`.
 */
export function describeReplicateError(
  response: HttpResponse,
  secrets: readonly string[] = [],
): HttpErrorDescription {
  const found = describeJsonError(response, (body) => {
    const raw = text(body.title);
    const title = raw === undefined ? undefined : redactSecrets(raw, secrets).slice(0, 100);
    const detail =
      text(body.detail) ?? (body.detail === undefined ? undefined : JSON.stringify(body.detail));
    const message =
      title !== undefined && detail !== undefined && !detail.startsWith(title)
        ? `${title}: ${detail}`
        : (detail ?? title);
    return {
      ...(message === undefined ? {} : { message: message.slice(0, 500) }),
      ...(title === undefined ? {} : { providerCode: title }),
    };
  });
  const { status } = response;
  const code = (() => {
    if (status === 401) return replicateErrorCodes.authentication;
    if (status === 402) return replicateErrorCodes.quotaExceeded;
    if (status === 403) return replicateErrorCodes.permissionDenied;
    if (status === 404) return replicateErrorCodes.modelNotFound;
    if (status === 422 && invalidVersion.test(found.message ?? '')) {
      return replicateErrorCodes.modelNotFound;
    }
    if (status === 429) return replicateErrorCodes.rateLimited;
    if (status >= 500) return replicateErrorCodes.serverError;
    if (status === 408 || status === 409) return 'provider_error';
    return replicateErrorCodes.invalidRequest;
  })();
  const retryAfterMs = rateLimitResetMs(response.headers);
  return {
    ...found,
    code,
    ...(status === 402 ? { retryable: false } : {}),
    ...(retryAfterMs === undefined || status !== 429 ? {} : { retryAfterMs }),
  };
}
