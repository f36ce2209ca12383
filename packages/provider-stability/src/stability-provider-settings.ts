import { expected, integerRangeSchema } from '@layerloom/core';
import { type AdapterSettings, adapterSettingsShape } from '@layerloom/core/http';
import { z } from 'zod';
import type { StabilityPriceOverrides } from './stability-prices.js';

/**
 * Settings of `createStability`. Every setting is optional. Defaults of the shared settings:
 * `timeoutMs` 300_000, `connectTimeoutMs` 10_000, `headersTimeoutMs` 180_000, `bodyTimeoutMs`
 * 60_000, `maxImageBytes` 32 MiB, `maxImagePixels` 50_000_000.
 */
export interface StabilityProviderSettings extends AdapterSettings {
  /**
   * Stability API key, sent as `Authorization: Bearer …` and never shown in an error, warning
   * or event. Read when the first request is sent, so an instance can be created (and plans
   * estimated) without one. @default process.env.STABILITY_API_KEY
   */
  readonly apiKey?: string;
  /** API base URL (a proxy, or a test server). @default 'https://api.stability.ai' */
  readonly baseURL?: string;
  /** Your application's name, sent as `stability-client-id`. @default none */
  readonly clientId?: string;
  /** Your application's version, sent as `stability-client-version`. @default none */
  readonly clientVersion?: string;
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
