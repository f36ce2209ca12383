import { expected, type Provider, parseWithSchema } from '@layerloom/core';
import {
  createHttpClient,
  environmentValue,
  httpTimeoutsOf,
  lazyHttpClient,
  lowerCaseHeaders,
  resolveApiKey,
} from '@layerloom/core/http';
import { z } from 'zod';
import { createOpenAIImageProvider } from './create-openai-image-provider.js';
import { describeOpenAIError } from './describe-openai-error.js';
import { type OpenAIImageModelId, resolveOpenAIImageModel } from './openai-image-models.js';
import { type OpenAIImageOptions, openAIImageOptionsSchema } from './openai-image-options.js';
import { defaultOpenAIImagePrices } from './openai-image-prices.js';
import {
  type OpenAIProviderSettings,
  openAIProviderSettingsSchema,
} from './openai-provider-settings.js';

/** What `createOpenAI` returns: a factory of OpenAI image providers sharing one connection pool. */
export interface OpenAIProvider {
  /**
   * A Layerloom `Provider` for one OpenAI image model.
   *
   * @param modelId - e.g. `gpt-image-1`, `dall-e-3`.
   * @param defaults - options for every request to this model; a layer's `options` win.
   * @throws ValidationError when the model id is empty or an option is invalid.
   */
  image(modelId: OpenAIImageModelId, defaults?: OpenAIImageOptions): Provider;
  /** Closes the keep-alive connections. The instance can still be used afterwards. */
  close(): Promise<void>;
}

/** The default API base URL. */
export const defaultOpenAIBaseURL = 'https://api.openai.com/v1';

const modelIdSchema = z
  .string(expected('a model id such as "gpt-image-1"'))
  .min(1, expected('a model id such as "gpt-image-1"'));

/**
 * Creates the OpenAI Images adapter.
 *
 * The API key (and `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID` when not given) is
 * read from the environment when the first request is sent, not before: creating an instance,
 * building providers and estimating costs never need a key.
 *
 * @param settings - key, base URL, organization, project, headers, limits, prices.
 * @returns an object whose `.image(modelId, defaults)` builds a `Provider`.
 * @throws ValidationError naming the bad setting.
 *
 * @example
 * const openai = createOpenAI({ project: 'proj_123' }); // key from OPENAI_API_KEY
 * const loom = createLoom({ providers: { A: openai.image('gpt-image-1', { quality: 'high' }) }, compositor });
 */
export function createOpenAI(settings: OpenAIProviderSettings = {}): OpenAIProvider {
  const parsed = parseWithSchema(openAIProviderSettingsSchema, settings, 'OpenAI settings');

  const client = lazyHttpClient(() => {
    const apiKey = resolveApiKey(parsed.apiKey, {
      variables: ['OPENAI_API_KEY'],
      expected: 'the OPENAI_API_KEY environment variable to hold an OpenAI API key',
      subject: 'OpenAI settings',
    });
    const organization = parsed.organization ?? environmentValue('OPENAI_ORG_ID');
    const project = parsed.project ?? environmentValue('OPENAI_PROJECT_ID');
    const own: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (organization !== undefined) own['openai-organization'] = organization;
    if (project !== undefined) own['openai-project'] = project;
    return createHttpClient({
      provider: 'openai',
      baseURL: parsed.baseURL ?? environmentValue('OPENAI_BASE_URL') ?? defaultOpenAIBaseURL,
      headers: { ...own, ...lowerCaseHeaders(parsed.headers) },
      secrets: [apiKey],
      describeError: describeOpenAIError,
      ...httpTimeoutsOf(parsed),
    });
  });

  const context = {
    client: client.get,
    prices: { ...defaultOpenAIImagePrices, ...settings.prices },
    maxImageBytes: parsed.maxImageBytes ?? 64 * 1024 * 1024,
    maxImagePixels: parsed.maxImagePixels ?? 50_000_000,
    // The original object, not the parsed copy: it may hold an injected `lookup` function.
    imageDownload: settings.imageDownload ?? {},
  };

  return {
    image(modelId, defaults = {}) {
      const id = parseWithSchema(modelIdSchema, modelId, 'model id');
      const options = parseWithSchema(openAIImageOptionsSchema, defaults, 'OpenAI image options');
      return createOpenAIImageProvider(id, resolveOpenAIImageModel(id), options, context);
    },
    async close() {
      await client.close();
    },
  };
}

/**
 * The default OpenAI adapter, configured from the environment (`OPENAI_API_KEY`…). Importing it
 * never throws: a missing key is reported by the first request, as a `ValidationError` naming
 * `OPENAI_API_KEY`.
 *
 * @example
 * import { openai } from '@layerloom/provider-openai';
 * const provider = openai.image('gpt-image-1');
 */
export const openai: OpenAIProvider = createOpenAI();
