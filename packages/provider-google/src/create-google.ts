import { expected, type Provider, parseWithSchema } from '@layerloom/core';
import {
  createHttpClient,
  httpTimeoutsOf,
  lazyHttpClient,
  lowerCaseHeaders,
  resolveApiKey,
} from '@layerloom/core/http';
import { z } from 'zod';
import { createGoogleImageProvider } from './create-google-image-provider.js';
import { describeGoogleError } from './describe-google-error.js';
import { type GoogleImageModelId, resolveGoogleImageModel } from './google-image-models.js';
import { type GoogleImageOptions, googleImageOptionsSchema } from './google-image-options.js';
import { defaultGoogleImagePrices } from './google-image-prices.js';
import {
  type GoogleProviderSettings,
  googleProviderSettingsSchema,
} from './google-provider-settings.js';

/** What `createGoogle` returns: a factory of Google image providers sharing one connection pool. */
export interface GoogleProvider {
  /**
   * A Layerloom `Provider` for one image model of the Gemini API.
   *
   * @param modelId - e.g. `gemini-2.5-flash-image`, `imagen-4.0-generate-001`.
   * @param defaults - options for every request to this model; a layer's `options` win.
   * @throws ValidationError when the model id is empty or an option is invalid or unknown.
   */
  image(modelId: GoogleImageModelId, defaults?: GoogleImageOptions): Provider;
  /** Closes the keep-alive connections. The instance can still be used afterwards. */
  close(): Promise<void>;
}

/** The default API base URL (the Gemini API, version v1beta). */
export const defaultGoogleBaseURL = 'https://generativelanguage.googleapis.com/v1beta';

const modelIdSchema = z
  .string(expected('a model id such as "gemini-2.5-flash-image"'))
  .min(1, expected('a model id such as "gemini-2.5-flash-image"'));

/**
 * Creates the Google adapter: the Gemini API's image models — Gemini image generation and
 * editing (`generateContent`) and Imagen (`predict`).
 *
 * The API key is read from the environment (`GOOGLE_API_KEY`, else `GEMINI_API_KEY`) when the
 * first request is sent, not before: creating an instance, building providers and estimating
 * costs never need a key.
 *
 * @param settings - key, base URL, headers, limits, prices.
 * @returns an object whose `.image(modelId, defaults)` builds a `Provider`.
 * @throws ValidationError naming the bad setting.
 *
 * @example
 * const google = createGoogle(); // key from GOOGLE_API_KEY or GEMINI_API_KEY
 * const loom = createLoom({ providers: { G: google.image('gemini-2.5-flash-image') }, compositor });
 */
export function createGoogle(settings: GoogleProviderSettings = {}): GoogleProvider {
  const parsed = parseWithSchema(googleProviderSettingsSchema, settings, 'Google settings');

  const client = lazyHttpClient(() => {
    const apiKey = resolveApiKey(parsed.apiKey, {
      variables: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
      expected:
        'the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable to hold a Gemini API key',
      subject: 'Google settings',
    });
    return createHttpClient({
      provider: 'google',
      baseURL: parsed.baseURL ?? defaultGoogleBaseURL,
      headers: { 'x-goog-api-key': apiKey, ...lowerCaseHeaders(parsed.headers) },
      secrets: [apiKey],
      describeError: describeGoogleError,
      ...httpTimeoutsOf(parsed),
    });
  });

  const context = {
    client: client.get,
    prices: { ...defaultGoogleImagePrices, ...parsed.prices },
    maxImageBytes: parsed.maxImageBytes ?? 64 * 1024 * 1024,
    maxImagePixels: parsed.maxImagePixels ?? 50_000_000,
  };

  return {
    image(modelId, defaults = {}) {
      const id = parseWithSchema(modelIdSchema, modelId, 'model id');
      const options = parseWithSchema(googleImageOptionsSchema, defaults, 'Google image options');
      return createGoogleImageProvider(id, resolveGoogleImageModel(id), options, context);
    },
    async close() {
      await client.close();
    },
  };
}

/**
 * The default Google adapter, configured from the environment (`GOOGLE_API_KEY` or
 * `GEMINI_API_KEY`). Importing it never throws: a missing key is reported by the first
 * request, as a `ValidationError` naming `GEMINI_API_KEY`.
 *
 * @example
 * import { google } from '@layerloom/provider-google';
 * const provider = google.image('gemini-2.5-flash-image');
 */
export const google: GoogleProvider = createGoogle();
