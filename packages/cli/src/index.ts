/**
 * The `layerloom` command as a library: config, providers from config, the commands.
 *
 * @module \@layerloom/cli
 */
export { type CliIo, processIo } from './cli-io.js';
export { buildProviders, type ResolvedProviders } from './config/build-providers.js';
export { configSchema, providerDescriptionSchema } from './config/config-schema.js';
export {
  type A1111ProviderConfig,
  type AliasLimits,
  type ComfyUIProviderConfig,
  defineConfig,
  type LayerloomConfig,
  type OpenAIProviderConfig,
  type PreviewProviderConfig,
  type ProviderConfig,
} from './config/layerloom-config.js';
export {
  configFileNames,
  findConfigFile,
  type LoadedConfig,
  loadConfig,
  validateConfig,
} from './config/load-config.js';
export { readCompositionFile } from './read-composition-file.js';
export { type RunCliOptions, runCli } from './run-cli.js';
