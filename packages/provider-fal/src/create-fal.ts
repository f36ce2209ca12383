import { expected, type Provider, parseWithSchema } from '@layerloom/core';
import {
  createHttpClient,
  type HttpClient,
  httpTimeoutsOf,
  lazyHttpClient,
  lowerCaseHeaders,
  resolveApiKey,
} from '@layerloom/core/http';
import { z } from 'zod';
import { createFalImageProvider } from './create-fal-image-provider.js';
import { describeFalError } from './describe-fal-error.js';
import { type FalImageModelId, resolveFalImageModel } from './fal-image-models.js';
import { type FalImageOptions, falImageOptionsSchema } from './fal-image-options.js';
import { defaultFalImagePrices } from './fal-image-prices.js';
import { type FalProviderSettings, falProviderSettingsSchema } from './fal-provider-settings.js';

/** What `createFal` returns: a factory of fal image providers sharing connection pools. */
export interface FalProvider {
  /**
   * A Layerloom `Provider` for one fal model.
   *
   * @param modelId - a fal model id, e.g. `fal-ai/flux/dev`, `fal-ai/flux-lora`,
   *   `fal-ai/recraft-v3`, or any other (`owner/app[/path]`).
   * @param defaults - options for every request to this model; a layer's `options` win.
   * @throws ValidationError when the model id is malformed or an option is invalid.
   */
  image(modelId: FalImageModelId, defaults?: FalImageOptions): Provider;
  /** Closes the keep-alive connections. The instance can still be used afterwards. */
  close(): Promise<void>;
}

/** The default queue API base URL. */
export const defaultFalQueueURL = 'https://queue.fal.run';

/** The default synchronous API base URL (`mode: 'sync'`). */
export const defaultFalSyncURL = 'https://fal.run';

const modelIdPhrase = 'a fal model id such as "fal-ai/flux/dev"';
const modelIdSchema = z
  .string(expected(modelIdPhrase))
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, expected(modelIdPhrase))
  .refine(
    (id) => !id.split('/').some((part) => part === '.' || part === '..'),
    expected(modelIdPhrase),
  );

/**
 * Creates the fal.ai adapter: FLUX, FLUX LoRA, Recraft and any other fal model, through fal's
 * queue API (or its synchronous API with the option `mode: 'sync'`).
 *
 * The API key is read from `FAL_KEY` when the first request is sent, not before: creating an
 * instance, building providers and estimating costs never need a key.
 *
 * @param settings - key, base URLs, headers, limits, polling, prices, download guard.
 * @returns an object whose `.image(modelId, defaults)` builds a `Provider`.
 * @throws ValidationError naming the bad setting.
 *
 * @example
 * const fal = createFal(); // key from FAL_KEY
 * const loom = createLoom({
 *   providers: { F: fal.image('fal-ai/flux/dev', { numInferenceSteps: 28 }) },
 *   compositor,
 * });
 */
export function createFal(settings: FalProviderSettings = {}): FalProvider {
  const parsed = parseWithSchema(falProviderSettingsSchema, settings, 'fal settings');
  const clientFor = (kind: 'queue' | 'sync'): HttpClient => {
    const apiKey = resolveApiKey(parsed.apiKey, {
      variables: ['FAL_KEY'],
      expected: 'the FAL_KEY environment variable to hold a fal API key',
      subject: 'fal settings',
    });
    return createHttpClient({
      provider: 'fal',
      baseURL:
        kind === 'queue'
          ? (parsed.baseURL ?? defaultFalQueueURL)
          : (parsed.syncBaseURL ?? defaultFalSyncURL),
      headers: {
        authorization: `Key ${apiKey}`,
        accept: 'application/json',
        ...lowerCaseHeaders(parsed.headers),
      },
      secrets: [apiKey],
      requestIdHeader: 'x-fal-request-id',
      describeError: describeFalError,
      ...httpTimeoutsOf(parsed),
    });
  };
  const queueClient = lazyHttpClient(() => clientFor('queue'));
  const syncClient = lazyHttpClient(() => clientFor('sync'));

  const context = {
    queueClient: queueClient.get,
    syncClient: syncClient.get,
    prices: { ...defaultFalImagePrices, ...settings.prices },
    maxImageBytes: parsed.maxImageBytes ?? 64 * 1024 * 1024,
    maxImagePixels: parsed.maxImagePixels ?? 50_000_000,
    pollIntervalMs: parsed.pollIntervalMs ?? 500,
    queueTimeoutMs: parsed.queueTimeoutMs ?? 600_000,
    // The original object, not the parsed copy: it may hold an injected `lookup` function.
    imageDownload: settings.imageDownload ?? {},
  };

  return {
    image(modelId, defaults = {}) {
      const id = parseWithSchema(modelIdSchema, modelId, 'model id');
      const options = parseWithSchema(falImageOptionsSchema, defaults, 'fal image options');
      return createFalImageProvider(id, resolveFalImageModel(id), options, context);
    },
    async close() {
      await Promise.all([queueClient.close(), syncClient.close()]);
    },
  };
}

/**
 * The default fal adapter, configured from the environment (`FAL_KEY`). Importing it never
 * throws: a missing key is reported by the first request, as a `ValidationError` naming
 * `FAL_KEY`.
 *
 * @example
 * import { fal } from '@layerloom/provider-fal';
 * const provider = fal.image('fal-ai/flux/dev');
 */
export const fal: FalProvider = createFal();
