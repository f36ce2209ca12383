import {
  describeJsonError,
  type HttpErrorDescription,
  type HttpResponse,
} from '@layerloom/core/http';

/**
 * The stable `code`s of the `ProviderError`s this adapter throws, besides core's
 * `provider_timeout`, `provider_connection_error`, `provider_response_too_large` and `aborted`.
 */
export const falErrorCodes = {
  /**
   * A content checker refused the prompt or an input image (422 `content_policy_violation`), or
   * the safety checker flagged the output (`has_nsfw_concepts`). Not retryable.
   */
  contentPolicy: 'provider_content_policy',
  /** 401: the key is missing, malformed or revoked. */
  authentication: 'provider_authentication',
  /** 403: the key may not use this endpoint, or the account is out of credit. */
  permissionDenied: 'provider_permission_denied',
  /** 404 on submit: no fal model (application) has this id. Not retryable. */
  modelNotFound: 'provider_model_not_found',
  /** 429: retryable after `retryAfterMs` when fal sends `Retry-After`. */
  rateLimited: 'provider_rate_limited',
  /** Other 4xx, e.g. a 422 validation error naming the input field. Not retryable. */
  invalidRequest: 'provider_invalid_request',
  /** 5xx (runner failures, scheduling failures, timeouts on fal's side). Retryable. */
  serverError: 'provider_server_error',
  /** The answer was not what the API promises (not JSON, no image, not an image, truncated). */
  badResponse: 'provider_bad_response',
  /** The guarded download of an output URL refused the URL (scheme, host, address, redirects). */
  downloadRefused: 'provider_download_refused',
} as const;

/** One entry of a fal model error's `detail` array. */
interface FalErrorDetail {
  readonly loc?: unknown;
  readonly msg?: unknown;
  readonly type?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function describeDetail(entry: FalErrorDetail): string | undefined {
  const message = text(entry.msg);
  if (message === undefined) return undefined;
  const location = Array.isArray(entry.loc)
    ? entry.loc.filter((part) => part !== 'body').join('.')
    : '';
  const type = text(entry.type);
  return `${location === '' ? '' : `${location}: `}${message}${type === undefined ? '' : ` (${type})`}`;
}

function stableCode(status: number, providerCode: string | undefined): string {
  if (providerCode === 'content_policy_violation') return falErrorCodes.contentPolicy;
  if (status === 401) return falErrorCodes.authentication;
  if (status === 403) return falErrorCodes.permissionDenied;
  if (status === 404) return falErrorCodes.modelNotFound;
  if (status === 429) return falErrorCodes.rateLimited;
  if (status === 408 || status === 409) return 'provider_error';
  if (status >= 500) return falErrorCodes.serverError;
  return falErrorCodes.invalidRequest;
}

/**
 * Reads a fal error response for core's HTTP client. fal answers model errors with
 * `{ detail: [{ loc, msg, type, url, ctx }] }` and infrastructure errors with
 * `{ detail: "…", error_type }` (also in `X-Fal-Error-Type`); `X-Fal-Retryable` is fal's own
 * word on a retry and wins over the status, except that a content-policy refusal is never
 * retried, and a 504 fal marks `X-Fal-Request-Timeout-Type: user` (the caller's own start
 * timeout) is not either.
 *
 * @param response - the buffered error response.
 */
export function describeFalError(response: HttpResponse): HttpErrorDescription {
  const described = describeJsonError(response, (body) => {
    const { detail } = body;
    if (Array.isArray(detail)) {
      const entries = detail.filter(
        (entry): entry is FalErrorDetail => entry !== null && typeof entry === 'object',
      );
      const message = entries.map(describeDetail).filter(Boolean).join('; ');
      const type = text(entries[0]?.type);
      return {
        ...(message === '' ? {} : { message }),
        ...(type === undefined ? {} : { providerCode: type }),
      };
    }
    const message = text(detail) ?? text(body.message) ?? text(body.error);
    const type = text(body.error_type);
    return {
      ...(message === undefined ? {} : { message }),
      ...(type === undefined ? {} : { providerCode: type }),
    };
  });
  const providerCode = described.providerCode ?? text(response.headers['x-fal-error-type']);
  const code = stableCode(response.status, providerCode);
  const header = response.headers['x-fal-retryable']?.trim().toLowerCase();
  const userTimeout =
    response.status === 504 &&
    response.headers['x-fal-request-timeout-type']?.trim().toLowerCase() === 'user';
  const retryable =
    code === falErrorCodes.contentPolicy || userTimeout
      ? false
      : header === 'true'
        ? true
        : header === 'false'
          ? false
          : undefined;
  return {
    ...(described.message === undefined ? {} : { message: described.message }),
    ...(providerCode === undefined ? {} : { providerCode }),
    code: userTimeout ? 'provider_timeout' : code,
    ...(retryable === undefined ? {} : { retryable }),
  };
}
