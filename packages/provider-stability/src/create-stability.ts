import { expected, parseWithSchema } from '@layerloom/core';
import {
  createHttpClient,
  lazyHttpClient,
  lowerCaseHeaders,
  resolveApiKey,
} from '@layerloom/core/http';
import { z } from 'zod';
import {
  createStabilityImageProvider,
  type StabilityImageProvider,
} from './create-stability-image-provider.js';
import { describeStabilityError } from './describe-stability-error.js';
import {
  type StabilityImageOptions,
  stabilityImageOptionsSchema,
} from './stability-image-options.js';
import { resolveStabilityModel, type StabilityImageModelId } from './stability-models.js';
import { mergeStabilityPrices } from './stability-prices.js';
import {
  type StabilityProviderSettings,
  stabilityProviderSettingsSchema,
} from './stability-provider-settings.js';

/** Options of the remove-background provider. */
export type StabilityRemoveBackgroundOptions = Pick<
  StabilityImageOptions,
  'outputFormat' | 'responseFormat' | 'contentFiltered' | 'user'
>;

/** What `createStability` returns: a factory of Stability providers sharing one connection pool. */
export interface StabilityProvider {
  /**
   * A Layerloom `Provider` for one Stability generate model. Layers with an input image (`from`)
   * can also run an edit (`options.operation`) or a control service (`options.control`).
   *
   * @param modelId - `stable-image-core`, `stable-image-ultra`, `sd3.5-large`,
   *   `sd3.5-large-turbo`, `sd3.5-medium`, `sd3.5-flash` (or another `sd3…` id).
   * @param defaults - options for every request to this model; a layer's `options` win.
   * @throws ValidationError when the model id is not a Stability model or an option is invalid.
   */
  image(modelId: StabilityImageModelId, defaults?: StabilityImageOptions): StabilityImageProvider;
  /**
   * A `Provider` that cuts the subject out of its input image (`edit/remove-background`): a
   * transparent PNG or WebP of the input's size. Its `capabilities.cutsOutSubject` is true.
   *
   * @param defaults - output format, response format, content-filter handling, user id.
   * @throws ValidationError when an option is invalid.
   */
  removeBackground(defaults?: StabilityRemoveBackgroundOptions): StabilityImageProvider;
  /** Closes the keep-alive connections. The instance can still be used afterwards. */
  close(): Promise<void>;
}

/** The default API base URL. */
export const defaultStabilityBaseURL = 'https://api.stability.ai';

/** The environment variable the API key is read from. */
export const stabilityApiKeyVariable = 'STABILITY_API_KEY';

const modelIdSchema = z
  .string(expected('a model id such as "stable-image-core"'))
  .min(1, expected('a model id such as "stable-image-core"'));

const removeBackgroundOptionsSchema = stabilityImageOptionsSchema.pick({
  outputFormat: true,
  responseFormat: true,
  contentFiltered: true,
  user: true,
});

/**
 * Creates the Stability AI adapter (REST v2beta, Stable Image).
 *
 * The API key is read from `STABILITY_API_KEY` when none is given, at the first request and not
 * before: creating an instance, building providers and estimating costs never need a key.
 *
 * @param settings - key, base URL, headers, client id, limits, prices.
 * @returns an object whose `.image(modelId, defaults)` and `.removeBackground()` build providers.
 * @throws ValidationError naming the bad setting.
 *
 * @example
 * const stability = createStability(); // key from STABILITY_API_KEY
 * const loom = createLoom({
 *   providers: { S: stability.image('sd3.5-large', { stylePreset: 'cinematic' }), CUT: stability.removeBackground() },
 *   compositor,
 * });
 */
export function createStability(settings: StabilityProviderSettings = {}): StabilityProvider {
  const parsed = parseWithSchema(stabilityProviderSettingsSchema, settings, 'Stability settings');

  const client = lazyHttpClient(() => {
    const apiKey = resolveApiKey(parsed.apiKey, {
      variables: [stabilityApiKeyVariable],
      expected: `the ${stabilityApiKeyVariable} environment variable to hold a Stability API key`,
      subject: 'Stability settings',
    });
    const own: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (parsed.clientId !== undefined) own['stability-client-id'] = parsed.clientId;
    if (parsed.clientVersion !== undefined) own['stability-client-version'] = parsed.clientVersion;
    return createHttpClient({
      provider: 'stability',
      baseURL: parsed.baseURL ?? defaultStabilityBaseURL,
      headers: { ...own, ...lowerCaseHeaders(parsed.headers) },
      secrets: [apiKey],
      describeError: describeStabilityError,
      timeoutMs: parsed.timeoutMs ?? 300_000,
      connectTimeoutMs: parsed.connectTimeoutMs ?? 10_000,
      headersTimeoutMs: parsed.headersTimeoutMs ?? 180_000,
      bodyTimeoutMs: parsed.bodyTimeoutMs ?? 60_000,
    });
  });

  const context = {
    client: client.get,
    prices: mergeStabilityPrices(parsed.prices),
    maxImageBytes: parsed.maxImageBytes ?? 32 * 1024 * 1024,
    maxImagePixels: parsed.maxImagePixels ?? 50_000_000,
    rateLimitRetryAfterMs: parsed.rateLimitRetryAfterMs ?? 60_000,
  };

  return {
    image(modelId, defaults = {}) {
      const id = parseWithSchema(modelIdSchema, modelId, 'model id');
      const spec = resolveStabilityModel(id);
      const options = parseWithSchema(
        stabilityImageOptionsSchema,
        defaults,
        'Stability image options',
      );
      return createStabilityImageProvider({ modelId: id, spec }, options, context);
    },
    removeBackground(defaults = {}) {
      const options = parseWithSchema(
        removeBackgroundOptionsSchema,
        defaults,
        'Stability remove-background options',
      );
      return createStabilityImageProvider(
        { modelId: 'remove-background', spec: undefined },
        options,
        context,
      );
    },
    async close() {
      await client.close();
    },
  };
}

/**
 * The default Stability adapter, configured from the environment (`STABILITY_API_KEY`).
 * Importing it never throws: a missing key is reported by the first request, as a
 * `ValidationError` naming `STABILITY_API_KEY`.
 *
 * @example
 * import { stability } from '@layerloom/provider-stability';
 * const provider = stability.image('stable-image-core');
 */
export const stability: StabilityProvider = createStability();
