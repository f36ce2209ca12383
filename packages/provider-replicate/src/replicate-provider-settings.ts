import { expected } from '@layerloom/core';
import {
  type AdapterSettings,
  adapterSettingsShape,
  type ImageDownloadOptions,
  imageDownloadOptionsSchema,
} from '@layerloom/core/http';
import { z } from 'zod';
import type { ReplicateImagePrices } from './replicate-image-prices.js';

/**
 * Settings of `createReplicate`. Every setting is optional. Defaults of the shared settings:
 * `timeoutMs` 120_000, `connectTimeoutMs` 10_000, `headersTimeoutMs` 90_000, `bodyTimeoutMs`
 * 60_000, `maxImageBytes` 64 MiB, `maxImagePixels` 50_000_000.
 */
export interface ReplicateProviderSettings extends AdapterSettings {
  /**
   * Replicate API token, sent as `Authorization: Bearer …` and never shown in an error, warning
   * or event. Read when the first request is sent, so an instance can be created (and plans
   * estimated) without one. @default process.env.REPLICATE_API_TOKEN
   */
  readonly apiKey?: string;
  /** API base URL, e.g. a proxy. @default 'https://api.replicate.com/v1' */
  readonly baseURL?: string;
  /**
   * How long the create call asks Replicate to hold the answer until the prediction is done
   * (`Prefer: wait=N`), 1–60 seconds; `false` creates without waiting and polls at once.
   * @default 60
   */
  readonly waitSeconds?: number | false;
  /** Pause between two polls of an unfinished prediction, in milliseconds. @default 1_000 */
  readonly pollIntervalMs?: number;
  /**
   * Limit for a whole prediction, in milliseconds: sent as the `Cancel-After` deadline (so
   * Replicate stops it even if this process is gone), and the adapter cancels it and fails with
   * a retryable `provider_timeout` when it is still running then. @default 900_000
   */
  readonly predictionTimeoutMs?: number;
  /**
   * Your prices by model: each entry replaces that model's entry of
   * `defaultReplicateImagePrices` (or adds a model it lacks); the others stay.
   * @default defaultReplicateImagePrices
   */
  readonly prices?: ReplicateImagePrices;
  /**
   * How output URLs are downloaded.
   * @default {} (https only, `replicate.delivery` and `*.replicate.delivery`, no private
   *   addresses, 3 redirects, 60 s)
   */
  readonly imageDownload?: ImageDownloadOptions;
}

const positiveMilliseconds = z
  .number(expected('a positive number of milliseconds'))
  .positive(expected('a positive number of milliseconds'))
  .optional();

const dollars = z
  .number(expected('a price in US dollars'))
  .nonnegative(expected('a price in US dollars'));

const waitPhrase = 'an integer from 1 to 60, or false';

/** Schema of {@link ReplicateProviderSettings}. */
export const replicateProviderSettingsSchema = z.strictObject({
  ...adapterSettingsShape,
  waitSeconds: z
    .union([z.number(), z.literal(false)], expected(waitPhrase))
    .refine(
      (value) => value === false || (Number.isInteger(value) && value >= 1 && value <= 60),
      expected(waitPhrase),
    )
    .optional(),
  pollIntervalMs: positiveMilliseconds,
  predictionTimeoutMs: z
    .number(expected('a number of milliseconds from 1000 to 86400000'))
    .min(1000, expected('a number of milliseconds from 1000 to 86400000'))
    .max(86_400_000, expected('a number of milliseconds from 1000 to 86400000'))
    .optional(),
  prices: z
    .record(
      z.string(),
      z.union(
        [
          z.strictObject({ perImage: dollars }),
          z.strictObject({
            perSecond: dollars,
            estimatedSeconds: z.number().positive().optional(),
          }),
        ],
        expected('`{ perImage }` or `{ perSecond, estimatedSeconds? }` in US dollars'),
      ),
    )
    .optional(),
  imageDownload: imageDownloadOptionsSchema.optional(),
});
