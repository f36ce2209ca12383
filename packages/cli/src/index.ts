/**
 * The `layerloom` command as a library: config, providers from config, the commands, the studio.
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
export { editLayerNotation, type LayerEdit } from './studio/edit-layer-notation.js';
export {
  isLoopbackHost,
  type StartStudioOptions,
  type StudioHandle,
  startStudio,
} from './studio/start-studio.js';
export type {
  StudioMessage,
  StudioRender,
  StudioSession,
} from './studio/studio-session.js';
