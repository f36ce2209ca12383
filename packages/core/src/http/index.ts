export {
  createHttpClient,
  FormData,
  type HttpBody,
  type HttpClient,
  type HttpClientOptions,
  type HttpErrorDescription,
  type HttpRequest,
  type HttpResponse,
  type HttpStreamResponse,
} from './create-http-client.js';
export { isRetryableStatus } from './is-retryable-status.js';
export { maxRetryAfterMs, parseRetryAfter, parseShouldRetry } from './parse-retry-after.js';
export { redactSecrets } from './redact-secrets.js';
export { parseServerSentEvents, type ServerSentEvent } from './server-sent-events.js';
