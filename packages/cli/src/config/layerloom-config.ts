import type { Provider } from '@layerloom/core';
import type { HostedServiceType } from './hosted-services.js';

/** Limits for one provider alias. */
export interface AliasLimits {
  /** Calls in flight at once. */
  readonly concurrency?: number;
  /** Calls started per minute (sliding window). */
  readonly requestsPerMinute?: number;
  /** Limit per call, in milliseconds. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. */
  readonly maxRetries?: number;
}

/** The offline preview provider (no key, no network). */
export interface PreviewProviderConfig {
  readonly type: 'preview';
  /** Simulated latency per call, in milliseconds. @default 0 */
  readonly latencyMs?: number;
}

/** An OpenAI Images model. The key comes from the environment, never from the config. */
export interface OpenAIProviderConfig {
  readonly type: 'openai';
  /** Model id, e.g. `gpt-image-1`. */
  readonly model: string;
  /** API base URL, without credentials (the key comes from `apiKeyEnv`). @default 'https://api.openai.com/v1' */
  readonly baseURL?: string;
  /** OpenAI organization id. */
  readonly organization?: string;
  /** OpenAI project id. */
  readonly project?: string;
  /** Environment variable holding the key. @default 'OPENAI_API_KEY' */
  readonly apiKeyEnv?: string;
  /** Defaults of the model (e.g. `{ quality: 'high' }`; see the provider docs). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * A model of a hosted service: Stability AI (`stability`), Google's Gemini API (`google`), fal
 * (`fal`) or Replicate (`replicate`).
 * The key comes from the environment, never from the config.
 */
export interface HostedServiceConfig {
  readonly type: HostedServiceType;
  /**
   * Model id, e.g. `sd3.5-large` or `remove-background` (Stability), `gemini-2.5-flash-image`
   * or `imagen-4.0-generate-001` (Google), `fal-ai/flux/dev` or any fal model id (fal),
   * `black-forest-labs/flux-schnell` or a version id (Replicate).
   */
  readonly model: string;
  /** API base URL, without credentials. @default the service's */
  readonly baseURL?: string;
  /**
   * Environment variable holding the key. @default `STABILITY_API_KEY`; `GOOGLE_API_KEY`,
   * else `GEMINI_API_KEY`; `FAL_KEY`; `REPLICATE_API_TOKEN`
   */
  readonly apiKeyEnv?: string;
  /** Defaults of the model (see the provider's docs). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** An AUTOMATIC1111 or Forge server. */
export interface A1111ProviderConfig {
  readonly type: 'a1111';
  /** Server URL, e.g. `http://127.0.0.1:7860`, without credentials (use `authEnv`). */
  readonly baseURL: string;
  /** Checkpoint to use (`override_settings.sd_model_checkpoint`). */
  readonly checkpoint?: string;
  /** Environment variable holding `user:password` for `--api-auth`. */
  readonly authEnv?: string;
  /** Typed defaults of the adapter (`sampler`, `steps`, `cfgScale`…; see the provider docs). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Raw request fields sent as they are (e.g. `alwayson_scripts`). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A ComfyUI server with a workflow template. */
export interface ComfyUIProviderConfig {
  readonly type: 'comfyui';
  /** Server URL, e.g. `http://127.0.0.1:8188`, without credentials (use `authEnv`). */
  readonly baseURL: string;
  /** Environment variable holding `user:password` for a server behind HTTP Basic auth. */
  readonly authEnv?: string;
  /** A workflow in API format and its node mapping; the shipped SDXL template when omitted. */
  readonly workflow?: Readonly<Record<string, unknown>>;
  /** Which node input takes the prompt, seed, size… (see docs/providers/stable-diffusion.md). */
  readonly nodes?: Readonly<Record<string, unknown>>;
  /** Checkpoint to load, where the workflow maps one. */
  readonly checkpoint?: string;
  /** Typed defaults of the adapter (`steps`…; see the provider docs). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Raw values injected into the workflow (see the provider docs). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** How an alias is painted: a built-in provider described as data, or any `Provider` object. */
export type ProviderConfig =
  | PreviewProviderConfig
  | OpenAIProviderConfig
  | HostedServiceConfig
  | A1111ProviderConfig
  | ComfyUIProviderConfig
  | Provider;

/** The `layerloom.config.{ts,mjs,js,json}` file. */
export interface LayerloomConfig {
  /** The provider of each alias used in `.loom` files. */
  readonly providers?: Readonly<Record<string, ProviderConfig>>;
  /** Limits per alias. */
  readonly limits?: Readonly<Record<string, AliasLimits>>;
  /** File cache directory, relative to the config file, or `false` to disable. @default '.layerloom/cache' */
  readonly cache?: string | false;
  /** What a failing layer does: fail the render, or be left out. @default 'fail' */
  readonly onLayerError?: 'fail' | 'skip';
}

/**
 * Types a config file's default export.
 *
 * @param config - the configuration.
 * @returns the same object.
 *
 * @example
 * // layerloom.config.mjs
 * import { defineConfig } from '@layerloom/cli';
 * export default defineConfig({ providers: { A: { type: 'openai', model: 'gpt-image-1' } } });
 */
export function defineConfig(config: LayerloomConfig): LayerloomConfig {
  return config;
}
