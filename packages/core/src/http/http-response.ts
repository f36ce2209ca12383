/** What {@link HttpClientOptions.describeError} extracts from an error response. */
export interface HttpErrorDescription {
  /** Human-readable reason given by the provider. */
  readonly message?: string;
  /** The provider's own error code or type. */
  readonly providerCode?: string;
  /** A stable Layerloom code for this failure, e.g. `provider_content_policy`. */
  readonly code?: string;
  /** Overrides the status-based retry decision. */
  readonly retryable?: boolean;
  /**
   * The delay the server asked for in its body or its own headers (Google's
   * `google.rpc.RetryInfo`, Replicate's `ratelimit-reset`), in milliseconds. Used when the
   * standard headers (`retry-after-ms`, `Retry-After`) give none; ignored when negative, not
   * finite or over `maxRetryAfterMs`.
   */
  readonly retryAfterMs?: number;
}

/** A buffered response. */
export interface HttpResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole body. */
  readonly body: Uint8Array;
  /** The provider's request id, when sent. */
  readonly requestId: string | undefined;
  /** The body as UTF-8 text. */
  text(): string;
  /**
   * The body parsed as JSON.
   *
   * @throws ProviderError (`provider_bad_response`) when it is not JSON.
   */
  json<T = unknown>(): T;
}
