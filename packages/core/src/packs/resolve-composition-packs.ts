import type { Composition } from '../types/composition.js';
import { type ResolveWorldPackOptions, resolveWorldPack } from './resolve-world-pack.js';
import type { WorldPack } from './world-pack.js';
import { WorldPackError } from './world-pack-error.js';

/** Options of {@link resolveCompositionPacks}. */
export interface ResolveCompositionPacksOptions extends ResolveWorldPackOptions {
  /**
   * Loads one `use` source; defaults to {@link resolveWorldPack}. A runner can pass a memoised
   * or preloaded lookup here.
   */
  readonly resolve?: (source: string, options: ResolveWorldPackOptions) => Promise<WorldPack>;
}

/**
 * Resolves every `use` of a composition (`composition.packs`) to its loaded pack, by alias.
 * A use that records a `version` or `contentHash` (as a manifest does) must find exactly that
 * pack again: a replay never silently paints with other pack data.
 *
 * @param composition - a validated composition.
 * @param options - where paths and `node_modules` lookups start, limits, a custom loader.
 * @returns the packs by alias (empty when the composition uses none).
 * @throws WorldPackError (`pack_not_found`, `pack_version_unsatisfied`, `pack_invalid`,
 *   `pack_path_outside`, `pack_reference_image`, `pack_replay_mismatch`).
 */
export async function resolveCompositionPacks(
  composition: Composition,
  options: ResolveCompositionPacksOptions = {},
): Promise<ReadonlyMap<string, WorldPack>> {
  const { resolve = resolveWorldPack, ...rest } = options;
  const packs = new Map<string, WorldPack>();
  for (const use of composition.packs ?? []) {
    const pack = await resolve(use.source, rest);
    const versionDiffers = use.version !== undefined && use.version !== pack.version;
    const hashDiffers = use.contentHash !== undefined && use.contentHash !== pack.contentHash;
    if (versionDiffers || hashDiffers) {
      const needed = `${pack.name}@${use.version ?? pack.version}${use.contentHash === undefined ? '' : ` (content ${use.contentHash.slice(0, 12)}…)`}`;
      throw new WorldPackError(
        'pack_replay_mismatch',
        versionDiffers
          ? `Expected ${needed} for \`${use.alias}\` to replay this render, found version ${pack.version} at ${pack.directory}`
          : `Expected ${needed} for \`${use.alias}\` to replay this render, found the same version with other content (${pack.contentHash.slice(0, 12)}…) at ${pack.directory}`,
        { pack: use.source, expectedVersion: use.version ?? pack.version },
      );
    }
    packs.set(use.alias, pack);
  }
  return packs;
}
