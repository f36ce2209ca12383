import { ProviderError } from '../errors/provider-error.js';

/** Where an answer came from, and what else an error about it carries. */
export interface ResponseFailureDetails {
  /** The provider's request id, when known. */
  readonly requestId?: string | undefined;
  /** The HTTP status of the answer. */
  readonly status?: number | undefined;
  /** The provider's own reason, e.g. `IMAGE_SAFETY`. */
  readonly providerCode?: string | undefined;
  /** The underlying error. */
  readonly cause?: unknown;
  /** Whether a retry may help. @default false */
  readonly retryable?: boolean;
}

/**
 * A `ProviderError` about an answer the HTTP exchange itself accepted: a safety block, no
 * image, bytes that are not an image, a refused download. Non-retryable unless said so. The
 * message must hold no secret (it is not redacted here).
 *
 * @param provider - the provider id, e.g. `openai`.
 * @param message - what was wrong.
 * @param code - the stable code, e.g. `provider_bad_response`.
 * @param details - request id, status, the provider's reason, cause, retryability.
 */
export function responseFailure(
  provider: string,
  message: string,
  code: string,
  details: ResponseFailureDetails = {},
): ProviderError {
  const { requestId, status, providerCode, cause, retryable } = details;
  return new ProviderError(message, {
    provider,
    code,
    retryable: retryable ?? false,
    ...(status === undefined ? {} : { status }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(providerCode === undefined ? {} : { providerCode }),
    ...(cause === undefined ? {} : { cause }),
  });
}
