import { expected, integerRangeSchema } from '@layerloom/core';
import { adapterSettingsShape } from '@layerloom/core/http';
import { z } from 'zod';
import type { StabilityPriceOverrides } from './stability-prices.js';

/** Settings of `createStability`. Every setting is optional. */
export interface StabilityProviderSettings {
  /**
   * Stability API key, sent as `Authorization: Bearer …` and never shown in an error, warning
   * or event. Read when the first request is sent, so an instance can be created (and plans
   * estimated) without one. @default process.env.STABILITY_API_KEY
   */
  readonly apiKey?: string;
  /** API base URL (a proxy, or a test server). @default 'https://api.stability.ai' */
  readonly baseURL?: string;
  /** Extra headers sent with every API request; they win over the adapter's own. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Your application's name, sent as `stability-client-id`. @default none */
  readonly clientId?: string;
  /** Your application's version, sent as `stability-client-version`. @default none */
  readonly clientVersion?: string;
  /** Limit for a whole API call, in milliseconds (upload, generation, image). @default 300_000 */
  readonly timeoutMs?: number;
  /** Limit for opening a connection, in milliseconds. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /**
   * Limit for the response headers, in milliseconds. The API answers when the image is done,
   * so keep it above the slowest generation. @default 180_000
   */
  readonly headersTimeoutMs?: number;
  /** Limit for silence while the body arrives, in milliseconds. @default 60_000 */
  readonly bodyTimeoutMs?: number;
  /** Largest image accepted, in bytes (checked before decoding base64). @default 32 MiB */
  readonly maxImageBytes?: number;
  /**
   * Largest image accepted, in pixels, as its header declares it (decompression bombs).
   * @default 50_000_000
   */
  readonly maxImagePixels?: number;
  /**
   * Delay given to the scheduler after a 429 that carries no `Retry-After`: Stability documents
   * a 60-second lockout after more than 150 requests in 10 seconds. @default 60_000
   */
  readonly rateLimitRetryAfterMs?: number;
  /**
   * Prices, replacing entries of `defaultStabilityPrices` one by one: `usdPerCredit`, and
   * `credits` by model id or operation. @default defaultStabilityPrices
   */
  readonly prices?: StabilityPriceOverrides;
}

const headerValue = z
  .string(expected('a non-empty string of at most 256 characters'))
  .min(1, expected('a non-empty string of at most 256 characters'))
  .max(256, expected('a non-empty string of at most 256 characters'))
  .optional();

const nonNegative = (phrase: string) => z.number(expected(phrase)).nonnegative(expected(phrase));

/** Schema of {@link StabilityProviderSettings}. */
export const stabilityProviderSettingsSchema = z.strictObject({
  ...adapterSettingsShape,
  clientId: headerValue,
  clientVersion: headerValue,
  rateLimitRetryAfterMs: integerRangeSchema(0, 60_000, 'an integer from 0 to 60000 ms').optional(),
  prices: z
    .strictObject({
      usdPerCredit: nonNegative('a price in US dollars').optional(),
      credits: z.record(z.string(), nonNegative('a number of credits')).optional(),
    })
    .optional(),
});
