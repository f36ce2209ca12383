import { expected } from '@layerloom/core';
import { z } from 'zod';
import type { GoogleImagePrices } from './google-image-prices.js';

/** Settings of `createGoogle`. Every setting is optional. */
export interface GoogleProviderSettings {
  /**
   * Gemini API key, sent as `x-goog-api-key` and never shown in an error, warning or event.
   * Read when the first request is sent, so an instance can be created (and plans estimated)
   * without one. When both environment variables are set, `GOOGLE_API_KEY` wins, as in
   * Google's own client. @default process.env.GOOGLE_API_KEY ?? process.env.GEMINI_API_KEY
   */
  readonly apiKey?: string;
  /**
   * API base URL with its version, e.g. a proxy.
   * @default 'https://generativelanguage.googleapis.com/v1beta'
   */
  readonly baseURL?: string;
  /** Extra headers sent with every API request; they win over the adapter's own. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Limit for a whole API call, in milliseconds (upload, generation, answer). @default 600_000 */
  readonly timeoutMs?: number;
  /** Limit for opening a connection, in milliseconds. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /**
   * Limit for the response headers to arrive, in milliseconds. The API answers only when the
   * image is done, so keep it above the slowest generation. @default 300_000
   */
  readonly headersTimeoutMs?: number;
  /** Limit for silence while the body arrives, in milliseconds. @default 300_000 */
  readonly bodyTimeoutMs?: number;
  /** Largest image accepted, in bytes (checked before decoding base64). @default 64 MiB */
  readonly maxImageBytes?: number;
  /**
   * Largest image accepted, in pixels, as declared by the image header (guards against
   * decompression bombs). @default 50_000_000
   */
  readonly maxImagePixels?: number;
  /**
   * Prices by model id, replacing entries of `defaultGoogleImagePrices` model by model (add
   * prices for models the table lacks, or update them). @default defaultGoogleImagePrices
   */
  readonly prices?: GoogleImagePrices;
}

const milliseconds = expected('a positive number of milliseconds');
const positiveMilliseconds = z.number(milliseconds).positive(milliseconds).optional();

const positiveInteger = (unit: string) => {
  const message = expected(`a positive integer number of ${unit}`);
  return z.number(message).int(message).positive(message).optional();
};

const httpUrl = expected('an absolute http(s) URL');

const dollars = expected('a price in US dollars');
const price = z.number(dollars).nonnegative(dollars);

/** Schema of {@link GoogleProviderSettings}. */
export const googleProviderSettingsSchema = z.strictObject({
  apiKey: z
    .string(expected('a non-empty string'))
    .min(1, expected('a non-empty string'))
    .optional(),
  baseURL: z
    .string(httpUrl)
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), httpUrl)
    .optional(),
  headers: z
    .record(z.string(), z.string(expected('a string')), expected('an object of header strings'))
    .optional(),
  timeoutMs: positiveMilliseconds,
  connectTimeoutMs: positiveMilliseconds,
  headersTimeoutMs: positiveMilliseconds,
  bodyTimeoutMs: positiveMilliseconds,
  maxImageBytes: positiveInteger('bytes'),
  maxImagePixels: positiveInteger('pixels'),
  prices: z
    .record(
      z.string(),
      z.strictObject({
        perImage: z
          .strictObject({ '1K': price.optional(), '2K': price.optional(), '4K': price.optional() })
          .optional(),
        tokens: z.strictObject({ input: price, textOutput: price, imageOutput: price }).optional(),
      }),
    )
    .optional(),
});
