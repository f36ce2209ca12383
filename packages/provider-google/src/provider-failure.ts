import type { ProviderError } from '@layerloom/core';
import { responseFailure } from '@layerloom/core/http';

/** Where an answer came from, for errors about it. */
export interface AnswerContext {
  /** The answer's id (`responseId`), when known. */
  readonly requestId?: string | undefined;
  /** The HTTP status of the answer. */
  readonly status?: number | undefined;
}

/** What {@link providerFailure} puts on the error besides its message and code. */
export interface FailureDetails extends AnswerContext {
  /** Google's own reason, e.g. `IMAGE_SAFETY`. */
  readonly providerCode?: string | undefined;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * A non-retryable `ProviderError` of the Google adapter about an answer: a safety block, no
 * image, or something that is not what the API promises.
 *
 * @param message - what was wrong, without secrets.
 * @param code - the stable code, e.g. `provider_content_policy`.
 * @param details - request id, status, Google's reason, cause.
 */
export function providerFailure(
  message: string,
  code: string,
  details: FailureDetails = {},
): ProviderError {
  return responseFailure('google', message, code, details);
}
