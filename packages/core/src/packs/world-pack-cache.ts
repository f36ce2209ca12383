import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ValidationError } from '../errors/validation-error.js';
import { describeValue } from '../schema/format-issues.js';
import { parseWorldPackSource } from './parse-world-pack-source.js';
import { type ResolveWorldPackOptions, resolveWorldPack } from './resolve-world-pack.js';
import type { WorldPack } from './world-pack.js';

/**
 * Loaded world packs kept between renders: {@link WorldPackCache.resolve} loads a pack once
 * (reading and hashing its reference images) and then hands out the same {@link WorldPack}
 * for as long as none of the files it was made from has changed.
 */
export interface WorldPackCache {
  /**
   * {@link resolveWorldPack}, memoised. A cached pack is checked first by the size, modification
   * time and inode of every file it was read from (`world-pack.json`, `package.json`, each
   * reference image and workflow) and, for a package source (`@studio/ember-world@^1.2`), of
   * every `node_modules` folder the search passed through — so editing a pack, or installing
   * another version of it, takes effect at the next call (a pack with a file modified in the
   * 2 seconds before it was loaded is loaded again, since file times tick coarsely). Calls for the same pack while it
   * loads share the one load; a load that fails is not kept.
   *
   * @param source - as in a `use` line.
   * @param options - as {@link resolveWorldPack}'s; part of the key with the source.
   * @returns the loaded pack.
   * @throws WorldPackError as {@link resolveWorldPack} does.
   */
  resolve(source: string, options?: ResolveWorldPackOptions): Promise<WorldPack>;
  /** Forgets every pack. */
  clear(): void;
  /** Packs held (loaded or loading). */
  readonly size: number;
}

/** Options of {@link createWorldPackCache}. */
export interface WorldPackCacheOptions {
  /**
   * Most packs held at once (each distinct source, base folder and limits is one). When a load
   * would hold one more, the pack used longest ago is forgotten: a long-running server that
   * renders many packs (or many versions of one) keeps a bounded set, each up to its images'
   * `maxTotalBytes`. @default 16
   */
  readonly maxPacks?: number;
}

/** Default {@link WorldPackCacheOptions.maxPacks}. */
export const defaultMaxCachedPacks = 16;

/**
 * How recent a file's modification may be for its stamp to be trusted: file times tick
 * coarsely (a kernel tick, or seconds on some file systems), so a file rewritten with the same
 * size within the same tick as the stamp keeps its stamp. A pack stamped with a file this
 * recent is loaded again at the next call (as git treats "racily clean" entries).
 */
const racyMs = 2000;

/** A file's identity as `stat` sees it (or `missing`), and its modification time. */
async function fileStamp(path: string): Promise<{ stamp: string; mtimeMs: number }> {
  try {
    const info = await stat(path, { bigint: true });
    return {
      stamp: `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`,
      mtimeMs: Number(info.mtimeMs),
    };
  } catch {
    return { stamp: 'missing', mtimeMs: 0 };
  }
}

/** Every path whose change may change what {@link resolveWorldPack} returns for `source`. */
function watchedPaths(source: string, base: string, pack: WorldPack): string[] {
  const paths = [join(pack.directory, 'world-pack.json'), join(pack.directory, 'package.json')];
  for (const image of pack.images.values()) paths.push(image.file);
  for (const path of pack.workflows.keys()) paths.push(join(pack.directory, path));
  const parsed = parseWorldPackSource(source);
  // The folder as named (through any symlink): pointing it elsewhere changes its stamp.
  if (parsed?.kind === 'path') paths.push(resolve(base, parsed.path));
  if (parsed?.kind === 'package') {
    // A nearer or newer install changes which copy is found: its folder's stamp tells.
    for (let directory = base; ; directory = dirname(directory)) {
      paths.push(join(directory, 'node_modules'), join(directory, 'node_modules', parsed.name));
      if (dirname(directory) === directory) break;
    }
  }
  return paths;
}

interface Entry {
  readonly pack: Promise<WorldPack>;
  /** Stamps of the watched paths, once loaded. */
  stamps?: ReadonlyMap<string, string>;
  /** Whether a watched file was modified too recently for its stamp to be trusted. */
  racy?: boolean;
}

/**
 * A {@link WorldPackCache}. `createLoom` and the queue runner each keep one, so a batch of
 * renders that `use` a pack loads it once; pass one to `resolveCompositionPacks({ resolve })`
 * elsewhere.
 *
 * @example
 * ```ts
 * const packs = createWorldPackCache({ maxPacks: 32 });
 * const first = await packs.resolve('./packs/ember', { baseDirectory: 'scenes' });
 * const again = await packs.resolve('./packs/ember', { baseDirectory: 'scenes' }); // same object
 * ```
 *
 * @param options - `maxPacks`.
 * @returns an empty cache.
 * @throws ValidationError when `maxPacks` is not a positive integer.
 */
export function createWorldPackCache(options: WorldPackCacheOptions = {}): WorldPackCache {
  const maxPacks = options.maxPacks ?? defaultMaxCachedPacks;
  if (typeof maxPacks !== 'number' || !Number.isSafeInteger(maxPacks) || maxPacks < 1) {
    throw ValidationError.field(
      ['maxPacks'],
      `Expected \`maxPacks\` to be a positive integer, got ${describeValue(maxPacks)}`,
      'world-pack cache options',
    );
  }
  // In order of use, the least recently used first.
  const entries = new Map<string, Entry>();
  const touch = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
  };

  const stampsOf = async (paths: readonly string[]) => {
    const stampedAt = Date.now();
    const stamps = await Promise.all(paths.map(fileStamp));
    return {
      stamps: new Map(paths.map((path, index) => [path, stamps[index]!.stamp])),
      racy: stamps.some((stamp) => stamp.mtimeMs > stampedAt - racyMs),
    };
  };

  const load = (
    key: string,
    source: string,
    base: string,
    options: ResolveWorldPackOptions,
  ): Promise<WorldPack> => {
    const entry: Entry = {
      pack: resolveWorldPack(source, options).then(async (pack) => {
        // Stamped after the load: a change during it shows at the next call at the latest.
        const { stamps, racy } = await stampsOf(watchedPaths(source, base, pack));
        entry.stamps = stamps;
        entry.racy = racy;
        return pack;
      }),
    };
    touch(key, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= maxPacks) break;
      entries.delete(oldest);
    }
    entry.pack.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return entry.pack;
  };

  const cached = async (
    source: string,
    options: ResolveWorldPackOptions = {},
  ): Promise<WorldPack> => {
    // Malformed options get resolveWorldPack's own answer, uncached.
    if (
      typeof source !== 'string' ||
      !['string', 'undefined'].includes(typeof options.baseDirectory)
    ) {
      return resolveWorldPack(source, options);
    }
    const base = resolve(options.baseDirectory ?? process.cwd());
    const key = JSON.stringify([
      source,
      base,
      options.maxImageBytes ?? null,
      options.maxTotalBytes ?? null,
      options.maxManifestBytes ?? null,
    ]);
    const entry = entries.get(key);
    if (entry === undefined) return load(key, source, base, options);
    touch(key, entry);
    if (entry.stamps === undefined) return entry.pack;
    if (entry.racy) return load(key, source, base, options);
    const now = (await stampsOf([...entry.stamps.keys()])).stamps;
    // Another call may have replaced the entry meanwhile: start over with that one.
    if (entries.get(key) !== entry) return cached(source, options);
    const unchanged = [...entry.stamps].every(([path, stamp]) => now.get(path) === stamp);
    return unchanged ? entry.pack : load(key, source, base, options);
  };

  return {
    resolve: cached,
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
