import { createPreviewProvider, type Provider, ValidationError } from '@layerloom/core';
import {
  createOpenAI,
  type OpenAIImageModelId,
  type OpenAIImageOptions,
} from '@layerloom/provider-openai';
import {
  type A1111ImageDefaults,
  type ComfyUIImageDefaults,
  createA1111,
  createComfyUI,
} from '@layerloom/provider-sd';
import { isProviderObject } from './config-schema.js';
import { hostedServices } from './hosted-services.js';
import type { LayerloomConfig, ProviderConfig } from './layerloom-config.js';

/** The providers for a render and how they were chosen. */
export interface ResolvedProviders {
  /** Provider per alias. */
  readonly providers: Record<string, Provider>;
  /** True when no config file named providers and every alias got the preview provider. */
  readonly previewOnly: boolean;
}

function credentials(
  alias: string,
  variable: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const value = env[variable];
  if (value === undefined || value.indexOf(':') < 1) {
    throw ValidationError.field(
      ['providers', alias, 'authEnv'],
      `Expected the environment variable ${variable} (from \`providers.${alias}.authEnv\`) to hold "user:password"`,
      'config',
    );
  }
  return value;
}

/**
 * The base URL with `user:password@` written in: the ComfyUI adapter takes Basic credentials
 * from its URL only, moves them into a header and keeps the password out of its errors.
 */
function withCredentials(baseURL: string, userColonPassword: string): string {
  const colon = userColonPassword.indexOf(':');
  const url = new URL(baseURL);
  url.username = encodeURIComponent(userColonPassword.slice(0, colon));
  url.password = encodeURIComponent(userColonPassword.slice(colon + 1));
  return url.href;
}

function build(
  alias: string,
  entry: ProviderConfig,
  env: Readonly<Record<string, string | undefined>>,
): Provider {
  if (isProviderObject(entry)) return entry as Provider;
  const described = entry as Exclude<ProviderConfig, Provider>;
  switch (described.type) {
    case 'preview':
      return createPreviewProvider(
        described.latencyMs === undefined ? {} : { latencyMs: described.latencyMs },
      );
    case 'openai': {
      const variable = described.apiKeyEnv ?? 'OPENAI_API_KEY';
      const apiKey = env[variable];
      if (apiKey === undefined || apiKey === '') {
        throw ValidationError.field(
          ['providers', alias],
          `Expected the environment variable ${variable} to hold the OpenAI API key for alias "${alias}", got nothing`,
          'config',
        );
      }
      return createOpenAI({
        apiKey,
        ...(described.baseURL === undefined ? {} : { baseURL: described.baseURL }),
        ...(described.organization === undefined ? {} : { organization: described.organization }),
        ...(described.project === undefined ? {} : { project: described.project }),
      }).image(
        described.model as OpenAIImageModelId,
        described.options as OpenAIImageOptions | undefined,
      );
    }
    case 'stability':
    case 'google':
    case 'fal':
    case 'replicate': {
      const service = hostedServices[described.type];
      const variables =
        described.apiKeyEnv === undefined ? service.keyVariables : [described.apiKeyEnv];
      const apiKey = variables
        .map((name) => env[name])
        .find((value) => value !== undefined && value !== '');
      if (apiKey === undefined) {
        throw ValidationError.field(
          ['providers', alias],
          `Expected the environment variable ${variables.join(' or ')} to hold the ${service.label} API key for alias "${alias}", got nothing`,
          'config',
        );
      }
      return service.build({
        apiKey,
        baseURL: described.baseURL,
        model: described.model,
        options: described.options,
      });
    }
    case 'a1111':
      return createA1111({
        baseURL: described.baseURL,
        ...(described.authEnv === undefined
          ? {}
          : { auth: credentials(alias, described.authEnv, env) }),
      }).image(described.checkpoint, {
        ...(described.defaults as A1111ImageDefaults | undefined),
        ...(described.options === undefined ? {} : { options: described.options }),
      });
    case 'comfyui':
      return createComfyUI({
        baseURL:
          described.authEnv === undefined
            ? described.baseURL
            : withCredentials(described.baseURL, credentials(alias, described.authEnv, env)),
        ...(described.workflow === undefined ? {} : { workflow: described.workflow as never }),
        ...(described.nodes === undefined ? {} : { nodes: described.nodes as never }),
      }).image(described.checkpoint, {
        ...(described.defaults as ComfyUIImageDefaults | undefined),
        ...(described.options === undefined ? {} : { options: described.options }),
      });
  }
}

/**
 * Builds a `Provider` for each alias in `aliases` that the configuration describes (aliases it
 * lacks are left for the loom to report, with the nearest configured one). Without configured
 * providers, every alias is painted by the offline preview provider.
 *
 * @param config - the loaded configuration.
 * @param aliases - aliases the compositions use.
 * @param env - environment to read keys from.
 * @throws ValidationError when a key is missing from the environment.
 */
export function buildProviders(
  config: LayerloomConfig,
  aliases: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ResolvedProviders {
  const configured = config.providers ?? {};
  if (Object.keys(configured).length === 0) {
    const preview = createPreviewProvider();
    return {
      providers: Object.fromEntries(aliases.map((alias) => [alias, preview])),
      previewOnly: true,
    };
  }
  // Only the aliases in use are built, so a key missing for an unused alias does not matter.
  const providers: Record<string, Provider> = {};
  for (const alias of aliases) {
    const entry = configured[alias];
    if (entry !== undefined) providers[alias] = build(alias, entry, env);
  }
  return { providers, previewOnly: false };
}
