// World packs: reusable worlds of entities, styles and provider bindings (docs/world-packs.md).
export {
  checkWorldPackManifest,
  defaultMaxPackImageBytes,
  defaultMaxPackManifestBytes,
  defaultMaxPackTotalBytes,
  type LoadWorldPackOptions,
  loadWorldPack,
} from './load-world-pack.js';
export { parseWorldPackSource, type WorldPackSource } from './parse-world-pack-source.js';
export {
  type ResolveCompositionPacksOptions,
  resolveCompositionPacks,
} from './resolve-composition-packs.js';
export { type ResolveWorldPackOptions, resolveWorldPack } from './resolve-world-pack.js';
export {
  compareSemanticVersions,
  parseSemanticVersion,
  parseSemverRange,
  type SemanticVersion,
  type SemverRange,
  satisfiesSemverRange,
} from './semver-range.js';
export type { WorldPack, WorldPackImage } from './world-pack.js';
export {
  createWorldPackCache,
  defaultMaxCachedPacks,
  type WorldPackCache,
  type WorldPackCacheOptions,
} from './world-pack-cache.js';
export {
  WorldPackError,
  type WorldPackErrorCode,
  type WorldPackErrorOptions,
} from './world-pack-error.js';
export { worldPackJsonSchema } from './world-pack-json-schema.js';
export {
  type EntityKind,
  entityKinds,
  packRelativePathSchema,
  type WorldPackBindings,
  type WorldPackEntity,
  type WorldPackManifest,
  type WorldPackStyle,
  worldPackManifestFile,
  worldPackManifestSchema,
} from './world-pack-schema.js';
