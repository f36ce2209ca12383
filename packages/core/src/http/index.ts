/**
 * HTTP helpers for provider adapters: an undici client with timeouts, JSON bodies, base64, basic auth, Retry-After and the guarded image downloader.
 *
 * @module \@layerloom/core/http
 */

export {
  type AdapterSettings,
  adapterSettingsShape,
  httpUrlSchema,
} from './adapter-settings-shape.js';
export { type BasicCredentials, basicAuthorization } from './basic-authorization.js';
export {
  type ConvertMaskOptions,
  convertMask,
  encodeMaskCoverage,
  type MaskConvention,
  type MaskCoverage,
  readMaskCoverage,
} from './convert-mask.js';
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
export { describeJsonError } from './describe-json-error.js';
export {
  type DownloadContext,
  downloadImage,
  type ImageDownloadLimits,
} from './download-image.js';
export {
  base64DecodedLength,
  base64EncodedLength,
  decodeBase64,
  encodeBase64,
  isBase64,
} from './encode-base64.js';
export {
  type HttpTimeoutSettings,
  httpTimeoutSettingsShape,
  httpTimeoutsOf,
} from './http-timeout-settings.js';
export { type ImageDownloadOptions, imageDownloadOptionsSchema } from './image-download-options.js';
export { isPrivateAddress, normalizeAddress } from './is-private-address.js';
export { isRetryableStatus } from './is-retryable-status.js';
export { type LazyHttpClient, lazyHttpClient } from './lazy-http-client.js';
export { maxRetryAfterMs, parseRetryAfter, parseShouldRetry } from './parse-retry-after.js';
export { readServerAddress, type ServerAddress } from './read-server-address.js';
export { redactSecrets } from './redact-secrets.js';
export {
  type ApiKeySource,
  environmentValue,
  lowerCaseHeaders,
  resolveApiKey,
} from './resolve-api-key.js';
export { type ResponseFailureDetails, responseFailure } from './response-failure.js';
export { serializeJsonBody } from './serialize-json-body.js';
export { parseServerSentEvents, type ServerSentEvent } from './server-sent-events.js';
