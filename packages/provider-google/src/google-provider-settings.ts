import { expected } from '@layerloom/core';
import { adapterSettingsShape } from '@layerloom/core/http';
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

const dollars = expected('a price in US dollars');
const price = z.number(dollars).nonnegative(dollars);

/** Schema of {@link GoogleProviderSettings}. */
export const googleProviderSettingsSchema = z.strictObject({
  ...adapterSettingsShape,
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
