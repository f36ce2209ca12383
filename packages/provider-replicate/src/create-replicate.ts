import { expected, type Provider, parseWithSchema } from '@layerloom/core';
import {
  createHttpClient,
  lazyHttpClient,
  lowerCaseHeaders,
  resolveApiKey,
} from '@layerloom/core/http';
import { z } from 'zod';
import { createReplicateImageProvider } from './create-replicate-image-provider.js';
import { describeReplicateError } from './describe-replicate-error.js';
import {
  modelIdShapes,
  type ReplicateImageModelId,
  resolveReplicateModel,
} from './replicate-image-models.js';
import {
  type ReplicateImageOptions,
  replicateImageOptionsSchema,
} from './replicate-image-options.js';
import { defaultReplicateImagePrices } from './replicate-image-prices.js';
import {
  type ReplicateProviderSettings,
  replicateProviderSettingsSchema,
} from './replicate-provider-settings.js';

/** What `createReplicate` returns: a factory of Replicate image providers sharing one pool. */
export interface ReplicateProvider {
  /**
   * A Layerloom `Provider` for one Replicate model.
   *
   * @param modelId - `owner/name` (e.g. `black-forest-labs/flux-schnell`), `owner/name:version`
   *   or a bare version id.
   * @param defaults - options for every request to this model; a layer's `options` win.
   * @throws ValidationError when the model id has none of those shapes or an option is invalid.
   */
  image(modelId: ReplicateImageModelId, defaults?: ReplicateImageOptions): Provider;
  /**
   * Waits for the cancellations of abandoned predictions still in flight (at most a few
   * seconds), then closes the keep-alive connections. The instance can still be used afterwards.
   */
  close(): Promise<void>;
}

/** The default API base URL. */
export const defaultReplicateBaseURL = 'https://api.replicate.com/v1';

const modelIdSchema = z
  .string(expected(`a Replicate model id: ${modelIdShapes}`))
  .min(1, expected(`a Replicate model id: ${modelIdShapes}`));

/**
 * Creates the Replicate adapter: runs image models as Replicate predictions (sync mode with
 * `Prefer: wait`, then polling), cancels the predictions it gives up on, and downloads the
 * output files through core's guarded downloader.
 *
 * The API token is read from the environment (`REPLICATE_API_TOKEN`) when the first request is
 * sent, not before: creating an instance, building providers and estimating costs never need
 * a token.
 *
 * @param settings - token, base URL, headers, timeouts, wait and polling, prices, downloads.
 * @returns an object whose `.image(modelId, defaults)` builds a `Provider`.
 * @throws ValidationError naming the bad setting.
 *
 * @example
 * const replicate = createReplicate(); // token from REPLICATE_API_TOKEN
 * const loom = createLoom({
 *   providers: { A: replicate.image('black-forest-labs/flux-dev', { numInferenceSteps: 28 }) },
 *   compositor,
 * });
 */
export function createReplicate(settings: ReplicateProviderSettings = {}): ReplicateProvider {
  const parsed = parseWithSchema(replicateProviderSettingsSchema, settings, 'Replicate settings');
  const detached = new Set<Promise<unknown>>();

  const client = lazyHttpClient(() => {
    const apiKey = resolveApiKey(parsed.apiKey, {
      variables: ['REPLICATE_API_TOKEN'],
      expected: 'the REPLICATE_API_TOKEN environment variable to hold a Replicate API token',
      subject: 'Replicate settings',
    });
    return createHttpClient({
      provider: 'replicate',
      baseURL: parsed.baseURL ?? defaultReplicateBaseURL,
      headers: { authorization: `Bearer ${apiKey}`, ...lowerCaseHeaders(parsed.headers) },
      secrets: [apiKey],
      describeError: (response) => describeReplicateError(response, [apiKey]),
      timeoutMs: parsed.timeoutMs ?? 120_000,
      headersTimeoutMs: parsed.headersTimeoutMs ?? 90_000,
      bodyTimeoutMs: parsed.bodyTimeoutMs ?? 60_000,
      ...(parsed.connectTimeoutMs === undefined
        ? {}
        : { connectTimeoutMs: parsed.connectTimeoutMs }),
    });
  });

  const context = {
    client: client.get,
    prices: { ...defaultReplicateImagePrices, ...settings.prices },
    maxImageBytes: parsed.maxImageBytes ?? 64 * 1024 * 1024,
    maxImagePixels: parsed.maxImagePixels ?? 50_000_000,
    // The original object, not the parsed copy: it may hold an injected `lookup` function.
    imageDownload: settings.imageDownload ?? {},
    waitSeconds: parsed.waitSeconds ?? 60,
    pollIntervalMs: parsed.pollIntervalMs ?? 1000,
    predictionTimeoutMs: parsed.predictionTimeoutMs ?? 900_000,
    detach(work: Promise<unknown>) {
      const settled = work.catch(() => undefined);
      detached.add(settled);
      void settled.then(() => detached.delete(settled));
    },
  };

  return {
    image(modelId, defaults = {}) {
      const id = parseWithSchema(modelIdSchema, modelId, 'model id');
      const options = parseWithSchema(
        replicateImageOptionsSchema,
        defaults,
        'Replicate image options',
      );
      return createReplicateImageProvider(id, resolveReplicateModel(id), options, context);
    },
    async close() {
      await Promise.all([...detached]);
      await client.close();
    },
  };
}

/**
 * The default Replicate adapter, configured from the environment (`REPLICATE_API_TOKEN`).
 * Importing it never throws: a missing token is reported by the first request, as a
 * `ValidationError` naming `REPLICATE_API_TOKEN`.
 *
 * @example
 * import { replicate } from '@layerloom/provider-replicate';
 * const provider = replicate.image('black-forest-labs/flux-schnell');
 */
export const replicate: ReplicateProvider = createReplicate();
