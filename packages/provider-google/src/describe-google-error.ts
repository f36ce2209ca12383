import {
  describeJsonError,
  type HttpErrorDescription,
  type HttpResponse,
} from '@layerloom/core/http';

/**
 * The stable `code`s of the `ProviderError`s this adapter throws, besides core's
 * `provider_timeout`, `provider_connection_error`, `provider_response_too_large` and `aborted`.
 */
export const googleErrorCodes = {
  /**
   * A safety filter refused the prompt or the image: `promptFeedback.blockReason`, a
   * `finishReason` such as `SAFETY` or `IMAGE_SAFETY`, Imagen's `raiFilteredReason`. Not retryable.
   */
  contentPolicy: 'provider_content_policy',
  /** The model answered without an image (`NO_IMAGE`, `IMAGE_OTHER`, text only). Not retryable. */
  noImage: 'provider_no_image',
  /** The key is missing, wrong or revoked (401, or 400 with reason `API_KEY_INVALID`). */
  authentication: 'provider_authentication',
  /** 403 `PERMISSION_DENIED`, or 400 `FAILED_PRECONDITION` (region, billing). */
  permissionDenied: 'provider_permission_denied',
  /** 404 `NOT_FOUND`: no such model (or it does not support the method). */
  modelNotFound: 'provider_model_not_found',
  /** 429 `RESOURCE_EXHAUSTED`: retryable, after `RetryInfo.retryDelay` when given. */
  rateLimited: 'provider_rate_limited',
  /** Other 4xx (`INVALID_ARGUMENT`…): the request was refused as invalid. */
  invalidRequest: 'provider_invalid_request',
  /** 5xx (`INTERNAL`, `UNAVAILABLE`, `DEADLINE_EXCEEDED`). Retryable. */
  serverError: 'provider_server_error',
  /** The answer was not what the API promises (not JSON, no image, not an image, truncated). */
  badResponse: 'provider_bad_response',
} as const;

/** One entry of `error.details`: a `google.rpc.*` message tagged by `@type`. */
interface ErrorDetail {
  readonly '@type'?: unknown;
  readonly retryDelay?: unknown;
  readonly reason?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Reads a protobuf `Duration` as JSON writes it (`"37s"`, `"1.5s"`) in milliseconds.
 *
 * @param value - the `retryDelay` value.
 * @returns milliseconds, or `undefined` when it is not a duration.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match === null ? undefined : Math.round(Number(match[1]) * 1000);
}

/** Imagen refuses a prompt its filters block as a 400 with such a message. */
const safetyMessage = /safety|responsible ai|prohibited|filtered|sensitive words/i;

/**
 * Reads a Google API error response, `{ "error": { code, message, status, details } }`, for
 * core's HTTP client: the message with its status name, a stable code from the status name (and
 * `ErrorInfo.reason`), and the `google.rpc.RetryInfo` delay. Retry decisions stay the status's
 * (408, 409, 429, 5xx), except that a refused key or a safety refusal is never retried.
 *
 * @param response - the buffered error response.
 */
export function describeGoogleError(response: HttpResponse): HttpErrorDescription {
  let error: Record<string, unknown> = {};
  // A body that is not Google's JSON (a proxy's HTML page) is described by its text.
  const fallback = describeJsonError(response, (body) => {
    const inner = body.error;
    if (inner !== null && typeof inner === 'object') error = inner as Record<string, unknown>;
    return {};
  });
  const status = text(error.status);
  const message = text(error.message) ?? fallback.message;
  const details = Array.isArray(error.details) ? (error.details as ErrorDetail[]) : [];
  const typed = (suffix: string) =>
    details.find((detail) => String(detail['@type'] ?? '').endsWith(suffix));
  const reason = text(typed('google.rpc.ErrorInfo')?.reason);
  const retryAfterMs = parseDuration(typed('google.rpc.RetryInfo')?.retryDelay);
  const described = (code: string, retryable?: boolean): HttpErrorDescription => ({
    ...(message === undefined
      ? status === undefined
        ? {}
        : { message: status }
      : { message: status === undefined ? message : `${message} (${status})` }),
    ...((reason ?? status) === undefined ? {} : { providerCode: (reason ?? status)! }),
    code,
    ...(retryable === undefined ? {} : { retryable }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  const code = response.status;
  if (code === 401 || status === 'UNAUTHENTICATED' || reason === 'API_KEY_INVALID') {
    return described(googleErrorCodes.authentication, false);
  }
  if (code === 403 || status === 'PERMISSION_DENIED' || status === 'FAILED_PRECONDITION') {
    return described(googleErrorCodes.permissionDenied, false);
  }
  if (code === 404 || status === 'NOT_FOUND') return described(googleErrorCodes.modelNotFound);
  if (code === 429 || status === 'RESOURCE_EXHAUSTED') {
    return described(googleErrorCodes.rateLimited);
  }
  if (code >= 500) return described(googleErrorCodes.serverError);
  if (code === 400 && message !== undefined && safetyMessage.test(message)) {
    return described(googleErrorCodes.contentPolicy, false);
  }
  if (code === 408 || code === 409) return described('provider_error');
  return described(googleErrorCodes.invalidRequest);
}
