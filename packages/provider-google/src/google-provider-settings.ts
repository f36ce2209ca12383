import { expected } from '@layerloom/core';
import { type AdapterSettings, adapterSettingsShape } from '@layerloom/core/http';
import { z } from 'zod';
import type { GoogleImagePrices } from './google-image-prices.js';

/**
 * Settings of `createGoogle`. Every setting is optional. Defaults of the shared settings:
 * `timeoutMs` 600_000, `connectTimeoutMs` 10_000, `headersTimeoutMs` 300_000, `bodyTimeoutMs`
 * 300_000, `maxImageBytes` 64 MiB, `maxImagePixels` 50_000_000.
 */
export interface GoogleProviderSettings extends AdapterSettings {
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
