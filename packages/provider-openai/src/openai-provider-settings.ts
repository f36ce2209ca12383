import { expected } from '@layerloom/core';
import { type ImageDownloadOptions, imageDownloadOptionsSchema } from '@layerloom/core/http';
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

const positiveMilliseconds = z
  .number(expected('a positive number of milliseconds'))
  .positive(expected('a positive number of milliseconds'))
  .optional();

const nonEmptyString = z
  .string(expected('a non-empty string'))
  .min(1, expected('a non-empty string'))
  .optional();

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

const perSize = z.record(
  z.string(),
  z.number(expected('a price in US dollars')).nonnegative(expected('a price in US dollars')),
);

/** Schema of {@link OpenAIProviderSettings}. */
export const openAIProviderSettingsSchema = z.strictObject({
  apiKey: nonEmptyString,
  baseURL: z
    .string(expected('an absolute http(s) URL'))
    .refine(isHttpUrl, expected('an absolute http(s) URL'))
    .optional(),
  organization: nonEmptyString,
  project: nonEmptyString,
  headers: z
    .record(z.string(), z.string(expected('a string')), expected('an object of header strings'))
    .optional(),
  timeoutMs: positiveMilliseconds,
  connectTimeoutMs: positiveMilliseconds,
  headersTimeoutMs: positiveMilliseconds,
  bodyTimeoutMs: positiveMilliseconds,
  maxImageBytes: z
    .number(expected('a positive integer number of bytes'))
    .int(expected('a positive integer number of bytes'))
    .positive(expected('a positive integer number of bytes'))
    .optional(),
  maxImagePixels: z
    .number(expected('a positive integer number of pixels'))
    .int(expected('a positive integer number of pixels'))
    .positive(expected('a positive integer number of pixels'))
    .optional(),
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
