import { LayerloomError } from './layerloom-error.js';

/** Fields of a {@link ProviderError}. */
export interface ProviderErrorOptions {
  /** Provider id, e.g. `openai`. */
  readonly provider: string;
  /** HTTP status, when the failure came with one. */
  readonly status?: number;
  /** Whether retrying the same request may succeed (408, 409, 429, 5xx, connection errors). */
  readonly retryable: boolean;
  /** The provider's request id (e.g. `x-request-id`), for support tickets. */
  readonly requestId?: string;
  /** Delay the server asked for before a retry, in milliseconds. */
  readonly retryAfterMs?: number;
  /** The provider's own error code or type, e.g. `content_policy_violation`. */
  readonly providerCode?: string;
  /** Stable Layerloom code. Defaults to `provider_error`. */
  readonly code?: string;
  /** The underlying error (never contains the API key). */
  readonly cause?: unknown;
}

/**
 * A provider call failed. Carries the status, the provider's request id and whether a retry
 * can help; never the API key or any other secret.
 */
export class ProviderError extends LayerloomError {
  /** Provider id, e.g. `openai`. */
  readonly provider: string;
  /** HTTP status, when there was one. */
  readonly status: number | undefined;
  /** Whether a retry of the same request may succeed. */
  readonly retryable: boolean;
  /** The provider's request id, when it sent one. */
  readonly requestId: string | undefined;
  /** Server-requested delay before a retry, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** The provider's own error code or type. */
  readonly providerCode: string | undefined;

  /**
   * @param message - what failed, without secrets.
   * @param options - status, retryability, request id…
   */
  constructor(message: string, options: ProviderErrorOptions) {
    super(options.code ?? 'provider_error', message, { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.status = options.status;
    this.retryable = options.retryable;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
    this.providerCode = options.providerCode;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      provider: this.provider,
      status: this.status,
      retryable: this.retryable,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      providerCode: this.providerCode,
    };
  }
}
