import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Provider, parseWithSchema, ValidationError } from '@layerloom/core';
import { createJiti } from 'jiti';
import { configSchema, isProviderObject } from './config-schema.js';
import type { LayerloomConfig } from './layerloom-config.js';

/** File names searched, in order, in each directory from the working directory up. */
export const configFileNames = [
  'layerloom.config.ts',
  'layerloom.config.mts',
  'layerloom.config.mjs',
  'layerloom.config.js',
  'layerloom.config.cjs',
  'layerloom.config.json',
] as const;

/** A configuration and where it came from. */
export interface LoadedConfig {
  /** The validated configuration. */
  readonly config: LayerloomConfig;
  /** Absolute path of the file, or `undefined` when none was found. */
  readonly path: string | undefined;
  /** Directory relative paths in the config are resolved against. */
  readonly directory: string;
}

const secretKeys = ['apiKey', 'key', 'token', 'password', 'auth', 'secret'];

/**
 * Finds the nearest config file from `directory` up to the file-system root.
 *
 * @param directory - where to start.
 * @returns the absolute path, or `undefined`.
 */
export function findConfigFile(directory: string): string | undefined {
  let current = resolve(directory);
  for (;;) {
    for (const name of configFileNames) {
      const candidate = join(current, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Validates a configuration object: provider descriptions, limits, cache. Secrets are refused:
 * keys come from the environment (`apiKeyEnv`, `authEnv`).
 *
 * @param value - the config file's export.
 * @param source - where it came from, for messages.
 * @throws ValidationError naming every bad field.
 */
export function validateConfig(value: unknown, source = 'config'): LayerloomConfig {
  const providerObjects: Record<string, Provider> = {};
  let described: unknown = value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const providers = (value as { providers?: unknown }).providers;
    if (typeof providers === 'object' && providers !== null) {
      const rest: Record<string, unknown> = {};
      for (const [alias, entry] of Object.entries(providers)) {
        if (isProviderObject(entry)) {
          providerObjects[alias] = entry as Provider;
          continue;
        }
        const secret = secretKeys.find(
          (key) => typeof entry === 'object' && entry !== null && key in entry,
        );
        if (secret !== undefined) {
          throw ValidationError.field(
            ['providers', alias, secret],
            `\`providers.${alias}.${secret}\`: secrets do not belong in ${source}; set them in the environment (see \`apiKeyEnv\` and \`authEnv\`)`,
            source,
          );
        }
        rest[alias] = entry;
      }
      described = { ...value, providers: rest };
    }
  }
  const config = parseWithSchema(configSchema, described, source) as LayerloomConfig;
  if (Object.keys(providerObjects).length === 0) return config;
  // Keep the aliases in the order the file lists them.
  const order = Object.keys((value as { providers: object }).providers);
  const merged = { ...config.providers, ...providerObjects };
  return {
    ...config,
    providers: Object.fromEntries(order.map((alias) => [alias, merged[alias]!])),
  };
}

/**
 * Loads `layerloom.config.{ts,mts,mjs,js,cjs,json}` from `directory` or the nearest parent.
 * TypeScript and JavaScript configs are loaded with jiti; their default export (or the module
 * itself) is the configuration.
 *
 * @param directory - where to start looking. @default process.cwd()
 * @returns the configuration (empty when no file exists), its path and directory.
 * @throws ValidationError when the file cannot be loaded or is invalid.
 */
export async function loadConfig(directory: string = process.cwd()): Promise<LoadedConfig> {
  const path = findConfigFile(directory);
  if (path === undefined) return { config: {}, path: undefined, directory: resolve(directory) };
  let exported: unknown;
  try {
    if (path.endsWith('.json')) {
      exported = JSON.parse(readFileSync(path, 'utf8'));
    } else {
      const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false });
      exported = await jiti.import(path, { default: true });
    }
  } catch (cause) {
    throw new ValidationError(
      [{ path: [], message: `Cannot load ${path}: ${(cause as Error).message}` }],
      {
        subject: 'config file',
        cause,
      },
    );
  }
  return { config: validateConfig(exported, path), path, directory: dirname(path) };
}
