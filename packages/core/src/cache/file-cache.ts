import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { LayerloomError } from '../errors/layerloom-error.js';
import { expected } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import { sha256 } from '../util/sha256.js';
import type { Cache, CacheEntry } from './cache.js';
import { cacheEntrySchema } from './cache-entry-schema.js';
import { assertCacheKey } from './cache-key.js';

/** Options of {@link fileCache}. */
export interface FileCacheOptions {
  /**
   * Flush each entry to the disk before it becomes visible, so that a power loss cannot leave
   * an empty or partial entry under its final name. @default true
   */
  readonly fsync?: boolean;
}

/** A {@link Cache} kept in a directory. */
export interface FileCache extends Cache {
  /** The absolute cache directory. */
  readonly directory: string;
  /** Where the entry of `key` is stored (whether or not it exists). */
  pathOf(key: string): string;
}

const magic = Buffer.from('LLCACHE1', 'latin1');
const fileExtension = '.loomcache';

const optionsSchema = z.strictObject(
  { fsync: z.boolean(expected('a boolean')).optional() },
  expected('file cache options'),
);

const headerSchema = z.object({
  key: z.string(),
  mediaType: z.string(),
  byteLength: z.number().int().min(0),
  sha256: z.string(),
  providerId: z.string(),
  modelId: z.string(),
  seed: z.number().optional(),
  revisedPrompt: z.string().optional(),
  requestId: z.string().optional(),
  costUsd: z.number().optional(),
  warnings: z.array(z.string()),
  createdAt: z.string(),
});

const isMissing = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';

/** Parses a cache file; `undefined` when it is damaged or belongs to another key. */
function parseEntry(file: Buffer, key: string): CacheEntry | undefined {
  if (file.length < magic.length + 4 || !file.subarray(0, magic.length).equals(magic))
    return undefined;
  const headerLength = file.readUInt32BE(magic.length);
  const headerEnd = magic.length + 4 + headerLength;
  if (headerEnd > file.length) return undefined;
  let header: z.infer<typeof headerSchema>;
  try {
    const parsed = headerSchema.safeParse(
      JSON.parse(file.subarray(magic.length + 4, headerEnd).toString('utf8')),
    );
    if (!parsed.success) return undefined;
    header = parsed.data;
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(file.buffer, file.byteOffset + headerEnd, file.length - headerEnd);
  if (header.key !== key || header.byteLength !== bytes.length || header.sha256 !== sha256(bytes)) {
    return undefined;
  }
  return {
    image: { bytes, mediaType: header.mediaType },
    providerId: header.providerId,
    modelId: header.modelId,
    ...(header.seed === undefined ? {} : { seed: header.seed }),
    ...(header.revisedPrompt === undefined ? {} : { revisedPrompt: header.revisedPrompt }),
    ...(header.requestId === undefined ? {} : { requestId: header.requestId }),
    ...(header.costUsd === undefined ? {} : { costUsd: header.costUsd }),
    warnings: header.warnings,
    createdAt: header.createdAt,
  };
}

function serializeEntry(key: string, entry: CacheEntry): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      key,
      mediaType: entry.image.mediaType,
      byteLength: entry.image.bytes.length,
      sha256: sha256(entry.image.bytes),
      providerId: entry.providerId,
      modelId: entry.modelId,
      seed: entry.seed,
      revisedPrompt: entry.revisedPrompt,
      requestId: entry.requestId,
      costUsd: entry.costUsd,
      warnings: entry.warnings,
      createdAt: entry.createdAt,
    }),
    'utf8',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([magic, length, header, entry.image.bytes]);
}

/**
 * A cache in a directory, one file per entry named after its key (content-addressed:
 * `<directory>/<first two hex digits>/<key>.loomcache`). Writes are atomic: each entry is
 * written to a temporary file in the same directory, flushed, then renamed over its final name,
 * so a crash mid-write leaves at most a stray `.tmp` file (ignored, safe to delete) and never a
 * partial entry. Each file carries the sha256 of its image, and a damaged file reads as a miss
 * (and is removed). Several processes may share a directory.
 *
 * @param directory - where entries live; created on first write.
 * @param options - `fsync`.
 * @returns a {@link FileCache}.
 * @throws ValidationError for a bad directory or options. Its methods throw a LayerloomError
 *   `cache_error` when the file system fails (the loom turns those into warnings).
 *
 * @example
 * const loom = createLoom({ providers, compositor, cache: fileCache('.layerloom/cache') });
 */
export function fileCache(directory: string, options: FileCacheOptions = {}): FileCache {
  parseWithSchema(
    z.string(expected('a directory path')).min(1, expected('a non-empty directory path')),
    directory,
    'directory',
  );
  parseWithSchema(optionsSchema, options, 'file cache options');
  const root = resolve(directory);
  const fsync = options.fsync ?? true;
  const pathOf = (key: string) => {
    assertCacheKey(key);
    return join(root, key.slice(0, 2), `${key}${fileExtension}`);
  };
  const failure = (what: string, key: string, cause: unknown) =>
    new LayerloomError(
      'cache_error',
      `Could not ${what} cache entry ${key.slice(0, 12)}… in ${root}`,
      { cause },
    );

  return {
    directory: root,
    pathOf,
    async get(key) {
      const path = pathOf(key);
      let file: Buffer;
      try {
        file = await readFile(path);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw failure('read', key, error);
      }
      const entry = parseEntry(file, key);
      if (entry === undefined) await unlink(path).catch(() => {});
      return entry;
    },
    async set(key, entry) {
      const path = pathOf(key);
      parseWithSchema(cacheEntrySchema, entry, 'cache entry');
      const data = serializeEntry(key, entry);
      const folder = join(root, key.slice(0, 2));
      const temporary = join(
        folder,
        `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
      );
      try {
        await mkdir(folder, { recursive: true });
        const handle = await open(temporary, 'wx');
        try {
          await handle.writeFile(data);
          if (fsync) await handle.datasync();
        } finally {
          await handle.close();
        }
        await rename(temporary, path);
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw failure('write', key, error);
      }
    },
    async delete(key) {
      const path = pathOf(key);
      try {
        await unlink(path);
      } catch (error) {
        if (!isMissing(error)) throw failure('delete', key, error);
      }
    },
  };
}
