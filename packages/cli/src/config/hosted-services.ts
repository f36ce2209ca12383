import type { Provider } from '@layerloom/core';
import { createFal, type FalImageModelId, type FalImageOptions } from '@layerloom/provider-fal';
import {
  createGoogle,
  type GoogleImageModelId,
  type GoogleImageOptions,
} from '@layerloom/provider-google';
import {
  createReplicate,
  type ReplicateImageModelId,
  type ReplicateImageOptions,
} from '@layerloom/provider-replicate';
import {
  createStability,
  type StabilityImageModelId,
  type StabilityImageOptions,
  type StabilityRemoveBackgroundOptions,
} from '@layerloom/provider-stability';

/** The hosted image services a config can name by `type`, with a model and an API key. */
export const hostedServiceTypes = ['stability', 'google', 'fal', 'replicate'] as const;

/** One of {@link hostedServiceTypes}. */
export type HostedServiceType = (typeof hostedServiceTypes)[number];

/** What the CLI knows of a hosted service: where its key lives and how to build a provider. */
export interface HostedService {
  /** The service's name in messages. */
  readonly label: string;
  /** Environment variables the key is read from when `apiKeyEnv` is not set, first wins. */
  readonly keyVariables: readonly string[];
  /** A model id to show in examples. */
  readonly exampleModel: string;
  /** Builds the provider of a model. */
  build(settings: {
    readonly apiKey: string;
    readonly baseURL: string | undefined;
    readonly model: string;
    readonly options: Readonly<Record<string, unknown>> | undefined;
  }): Provider;
}

const baseURLOf = (baseURL: string | undefined) => (baseURL === undefined ? {} : { baseURL });

/** The hosted services by config `type`. */
export const hostedServices: Readonly<Record<HostedServiceType, HostedService>> = {
  stability: {
    label: 'Stability AI',
    keyVariables: ['STABILITY_API_KEY'],
    exampleModel: 'sd3.5-large',
    build: ({ apiKey, baseURL, model, options }) => {
      const service = createStability({ apiKey, ...baseURLOf(baseURL) });
      return model === 'remove-background'
        ? service.removeBackground(options as StabilityRemoveBackgroundOptions | undefined)
        : service.image(
            model as StabilityImageModelId,
            options as StabilityImageOptions | undefined,
          );
    },
  },
  google: {
    label: 'Google Gemini',
    keyVariables: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
    exampleModel: 'gemini-2.5-flash-image',
    build: ({ apiKey, baseURL, model, options }) =>
      createGoogle({ apiKey, ...baseURLOf(baseURL) }).image(
        model as GoogleImageModelId,
        options as GoogleImageOptions | undefined,
      ),
  },
  fal: {
    label: 'fal',
    keyVariables: ['FAL_KEY'],
    exampleModel: 'fal-ai/flux/dev',
    build: ({ apiKey, baseURL, model, options }) =>
      createFal({ apiKey, ...baseURLOf(baseURL) }).image(
        model as FalImageModelId,
        options as FalImageOptions | undefined,
      ),
  },
  replicate: {
    label: 'Replicate',
    keyVariables: ['REPLICATE_API_TOKEN'],
    exampleModel: 'black-forest-labs/flux-schnell',
    build: ({ apiKey, baseURL, model, options }) =>
      createReplicate({ apiKey, ...baseURLOf(baseURL) }).image(
        model as ReplicateImageModelId,
        options as ReplicateImageOptions | undefined,
      ),
  },
};
