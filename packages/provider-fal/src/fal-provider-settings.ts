import { expected } from '@layerloom/core';
import {
  type AdapterSettings,
  adapterSettingsShape,
  type HttpTimeoutSettings,
  httpTimeoutSettingsShape,
  httpUrlSchema,
  type ImageDownloadOptions,
  imageDownloadOptionsSchema,
} from '@layerloom/core/http';
import { z } from 'zod';
import type { FalImagePrices } from './fal-image-prices.js';

/**
 * Settings of `createFal`. Every setting is optional. The HTTP limits (`timeoutMs` for one
 * call — a submit, a status poll, a result, a sync run —, `connectTimeoutMs`,
 * `headersTimeoutMs`, keep it above the slowest generation with `mode: 'sync'`, and
 * `bodyTimeoutMs`) are core's {@link HttpTimeoutSettings}.
 *
 * Defaults of the shared settings: `maxImageBytes` 64 MiB, `maxImagePixels` 50_000_000.
 */
export interface FalProviderSettings extends AdapterSettings {
  /**
   * fal API key, sent as `Authorization: Key …` and never shown in an error, warning, event or
   * `providerMetadata`. Read when the first request is sent, so an instance can be created (and
   * plans estimated) without one. @default process.env.FAL_KEY
   */
  readonly apiKey?: string;
  /** Base URL of the queue API (submit, status, result, cancel). @default 'https://queue.fal.run' */
  readonly baseURL?: string;
  /** Base URL of the synchronous API, used with the option `mode: 'sync'`. @default 'https://fal.run' */
  readonly syncBaseURL?: string;
  /** Wait between two status polls of a queued request, in milliseconds. @default 500 */
  readonly pollIntervalMs?: number;
  /**
   * Longest a queued request may take from submit to result, in milliseconds. When it passes,
   * the request is cancelled and the call fails with a retryable `provider_timeout`.
   * @default 600_000
   */
  readonly queueTimeoutMs?: number;
  /**
   * Prices by model id, replacing entries of `defaultFalImagePrices` model by model (add prices
   * for models the table lacks, or update them). @default defaultFalImagePrices
   */
  readonly prices?: FalImagePrices;
  /**
   * How the output image URLs are downloaded. @default {} (https only, fal's media hosts
   * `defaultFalImageHosts`, no private addresses, 3 redirects, 60 s)
   */
  readonly imageDownload?: ImageDownloadOptions;
}

const httpUrl = httpUrlSchema.optional();

const dollars = z
  .number(expected('a price in US dollars'))
  .nonnegative(expected('a price in US dollars'));

/** Schema of {@link FalProviderSettings}. */
export const falProviderSettingsSchema = z.strictObject({
  ...adapterSettingsShape,
  syncBaseURL: httpUrl,
  pollIntervalMs: httpTimeoutSettingsShape.timeoutMs,
  queueTimeoutMs: httpTimeoutSettingsShape.timeoutMs,
  prices: z
    .record(
      z.string(),
      z.strictObject({
        perMegapixel: dollars.optional(),
        perImage: dollars.optional(),
        perImageByStyle: z.record(z.string(), dollars).optional(),
      }),
    )
    .optional(),
  imageDownload: imageDownloadOptionsSchema.optional(),
});
