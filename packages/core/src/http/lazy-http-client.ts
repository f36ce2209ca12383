import type { HttpClient } from './create-http-client.js';

/** An {@link HttpClient} made on first use; see {@link lazyHttpClient}. */
export interface LazyHttpClient {
  /**
   * The client: made by `create` on the first call (and on the first call after
   * {@link LazyHttpClient.close}), the same one after that. A `create` that throws (a missing
   * API key, say) throws here, and the next call tries again.
   */
  readonly get: () => HttpClient;
  /** Closes the client if one was made; the next {@link LazyHttpClient.get} makes a new one. */
  readonly close: () => Promise<void>;
}

/**
 * Defers making an adapter's HTTP client to its first request, so that creating the adapter
 * (or importing its default, environment-configured instance) never throws for a missing API
 * key: the first request reports it, as a `ValidationError` from `resolveApiKey`.
 *
 * @example
 * ```ts
 * const client = lazyHttpClient(() => {
 *   const apiKey = resolveApiKey(settings.apiKey, { variables: ['ACME_API_KEY'], … });
 *   return createHttpClient({ provider: 'acme', baseURL, headers: { authorization: `Bearer ${apiKey}` }, secrets: [apiKey] });
 * });
 * const context = { client: client.get };
 * return { image: …, close: client.close };
 * ```
 *
 * @param create - makes the client (reads the key, builds the headers).
 * @returns the deferred client.
 */
export function lazyHttpClient(create: () => HttpClient): LazyHttpClient {
  let client: HttpClient | undefined;
  return {
    get() {
      client ??= create();
      return client;
    },
    async close() {
      const open = client;
      client = undefined;
      await open?.close();
    },
  };
}
