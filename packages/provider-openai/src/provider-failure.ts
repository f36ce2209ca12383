import type { ProviderError } from '@layerloom/core';
import { responseFailure } from '@layerloom/core/http';

/** Where a response came from, for errors about it. */
export interface ResponseContext {
  /** The provider's request id, when known. */
  readonly requestId?: string | undefined;
  /** The HTTP status of the response. */
  readonly status?: number | undefined;
}

/**
 * A non-retryable `ProviderError` from the OpenAI adapter about a response or a refused
 * download.
 *
 * @param message - what was wrong, without secrets.
 * @param code - the stable code, e.g. `provider_bad_response`.
 * @param context - request id and status.
 * @param cause - the underlying error, if any.
 */
export function providerFailure(
  message: string,
  code: string,
  context: ResponseContext = {},
  cause?: unknown,
): ProviderError {
  return responseFailure('openai', message, code, { ...context, cause });
}
