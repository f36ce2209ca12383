import { expected } from '@layerloom/core';
import {
  type AdapterSettings,
  adapterSettingsShape,
  type ImageDownloadOptions,
  imageDownloadOptionsSchema,
} from '@layerloom/core/http';
import { z } from 'zod';
import type { OpenAIImagePrices } from './openai-image-prices.js';

/**
 * Settings of `createOpenAI`. Every setting is optional. Defaults of the shared settings:
 * `timeoutMs` 600_000, `connectTimeoutMs` 10_000, `headersTimeoutMs` 300_000, `bodyTimeoutMs`
 * 300_000, `maxImageBytes` 64 MiB, `maxImagePixels` 50_000_000.
 */
export interface OpenAIProviderSettings extends AdapterSettings {
  /**
   * OpenAI API key, sent as `Authorization: Bearer …` and never shown in an error, warning or
   * event. Read when the first request is sent, so an instance can be created (and plans
   * estimated) without one. @default process.env.OPENAI_API_KEY
   */
  readonly apiKey?: string;
  /**
   * API base URL, e.g. a proxy or a compatible server.
   * @default process.env.OPENAI_BASE_URL, else 'https://api.openai.com/v1'
   */
  readonly baseURL?: string;
  /** Organization id, sent as `OpenAI-Organization`. @default process.env.OPENAI_ORG_ID */
  readonly organization?: string;
  /** Project id, sent as `OpenAI-Project`. @default process.env.OPENAI_PROJECT_ID */
  readonly project?: string;
  /**
   * Prices by model id, replacing entries of `defaultOpenAIImagePrices` model by model (add
   * prices for models the table lacks, or update them). @default defaultOpenAIImagePrices
   */
  readonly prices?: OpenAIImagePrices;
  /**
   * How image URLs in responses are downloaded (DALL·E with `responseFormat: 'url'`).
   * @default {} (https only, OpenAI's image host, no private addresses, 3 redirects, 60 s)
   */
  readonly imageDownload?: ImageDownloadOptions;
}

const nonEmptyString = z
  .string(expected('a non-empty string'))
  .min(1, expected('a non-empty string'))
  .optional();

const perSize = z.record(
  z.string(),
  z.number(expected('a price in US dollars')).nonnegative(expected('a price in US dollars')),
);

/** Schema of {@link OpenAIProviderSettings}. */
export const openAIProviderSettingsSchema = z.strictObject({
  ...adapterSettingsShape,
  organization: nonEmptyString,
  project: nonEmptyString,
  prices: z
    .record(
      z.string(),
      z.strictObject({
        perImage: z.record(z.string(), perSize).optional(),
        tokens: z
          .strictObject({
            textInput: z.number().nonnegative(),
            imageInput: z.number().nonnegative(),
            imageOutput: z.number().nonnegative(),
          })
          .optional(),
      }),
    )
    .optional(),
  imageDownload: imageDownloadOptionsSchema.optional(),
});
