import { expected } from '@layerloom/core';
import {
  adapterSettingsShape,
  type ImageDownloadOptions,
  imageDownloadOptionsSchema,
} from '@layerloom/core/http';
import { z } from 'zod';
import type { OpenAIImagePrices } from './openai-image-prices.js';

/** Settings of `createOpenAI`. Every setting is optional. */
export interface OpenAIProviderSettings {
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
  /** Extra headers sent with every API request; they win over the adapter's own. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Limit for a whole API call, in milliseconds (the image and the upload). @default 600_000 */
  readonly timeoutMs?: number;
  /** Limit for opening a connection, in milliseconds. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /**
   * Limit for the response headers to arrive, in milliseconds. Image generation answers only
   * when the image is done, so keep it above the slowest generation. @default 300_000
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
