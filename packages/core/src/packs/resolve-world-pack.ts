import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { suggestClosest } from '../notation/suggest-closest.js';
import { type LoadWorldPackOptions, loadWorldPack } from './load-world-pack.js';
import { parseWorldPackSource } from './parse-world-pack-source.js';
import {
  parseSemanticVersion,
  parseSemverRange,
  type SemverRange,
  satisfiesSemverRange,
} from './semver-range.js';
import type { WorldPack } from './world-pack.js';
import { WorldPackError } from './world-pack-error.js';

/** Options of {@link resolveWorldPack}. */
export interface ResolveWorldPackOptions extends Omit<LoadWorldPackOptions, 'source'> {
  /**
   * Folder that relative paths start from and where the `node_modules` search starts (going
   * up, as Node does): usually the `.loom` file's folder. @default process.cwd()
   */
  readonly baseDirectory?: string;
}

async function installedNames(directory: string): Promise<string[]> {
  const names: string[] = [];
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name.startsWith('@')) {
      const scoped = await readdir(join(directory, entry.name)).catch(() => []);
      for (const name of scoped) names.push(`${entry.name}/${name}`);
    } else if (!entry.name.startsWith('.')) names.push(entry.name);
  }
  return names;
}

async function fromPackages(
  name: string,
  rangeText: string,
  range: SemverRange,
  base: string,
  options: LoadWorldPackOptions,
): Promise<WorldPack> {
  const found: string[] = [];
  const searched: string[] = [];
  for (let directory = base; ; ) {
    const modules = join(directory, 'node_modules');
    searched.push(modules);
    const candidate = join(modules, name);
    try {
      const pack = await loadWorldPack(candidate, options);
      const version = parseSemanticVersion(pack.version);
      if (version !== undefined && satisfiesSemverRange(version, range)) return pack;
      found.push(`${pack.version} (${candidate})`);
    } catch (error) {
      if (!(error instanceof WorldPackError) || error.code !== 'pack_not_found') throw error;
    }
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  const source = options.source ?? name;
  if (found.length > 0) {
    throw new WorldPackError(
      'pack_version_unsatisfied',
      `Expected an installed version of ${name} satisfying "${rangeText}", found only ${found.join(', ')}`,
      { pack: source },
    );
  }
  const names = (await Promise.all(searched.slice(0, 4).map(installedNames))).flat();
  const suggestion = suggestClosest(name, names);
  throw new WorldPackError(
    'pack_not_found',
    `Expected the world pack ${name} to be installed in node_modules (from ${base} up), found none${suggestion === undefined ? '' : ` (did you mean \`${suggestion}\`?)`}`,
    { pack: source, ...(suggestion === undefined ? {} : { suggestion }) },
  );
}

/**
 * Finds and loads the pack a `use` line names: a folder relative to `baseDirectory`, or the
 * nearest installed package of that name (searching `node_modules` from `baseDirectory` up)
 * whose version satisfies the range. Loading never runs the pack's code: only
 * `world-pack.json` and the files it names are read.
 *
 * @param source - as in a `use` line: `./packs/ember`, `@studio/ember-world@^1.2`.
 * @param options - `baseDirectory` and the loader's limits.
 * @returns the loaded pack.
 * @throws WorldPackError `pack_not_found` (with the closest installed name suggested),
 * `pack_version_unsatisfied`, `pack_invalid`, `pack_path_outside` or `pack_reference_image`.
 *
 * @example
 * const pack = await resolveWorldPack('@studio/ember-world@^1.2', { baseDirectory: 'scenes' });
 */
export async function resolveWorldPack(
  source: string,
  options: ResolveWorldPackOptions = {},
): Promise<WorldPack> {
  const { baseDirectory, ...rest } = options;
  const base = resolve(baseDirectory ?? process.cwd());
  const parsed = parseWorldPackSource(source);
  if (parsed === undefined) {
    throw new WorldPackError(
      'pack_not_found',
      `Expected a pack source \`NAME[@RANGE]\` (e.g. \`@studio/ember-world@^1.2\`) or a path starting with \`./\`, got "${source}"`,
      { pack: source },
    );
  }
  const loadOptions = { ...rest, source };
  if (parsed.kind === 'path') return loadWorldPack(resolve(base, parsed.path), loadOptions);
  const range = parseSemverRange(parsed.range)!;
  return fromPackages(parsed.name, parsed.range, range, base, loadOptions);
}
