import { z } from 'zod';
import { expected } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import type { Cache, CacheEntry } from './cache.js';
import { cacheEntrySchema } from './cache-entry-schema.js';
import { assertCacheKey } from './cache-key.js';

/** Options of {@link memoryCache}. */
export interface MemoryCacheOptions {
  /**
   * Most bytes kept (image bytes plus a small allowance per entry); the least recently used
   * entries are dropped first. An entry larger than this is not kept. @default 268435456 (256 MiB)
   */
  readonly maxBytes?: number;
}

/** An in-process LRU {@link Cache}. */
export interface MemoryCache extends Cache {
  /** Entries kept. */
  readonly size: number;
  /** Bytes accounted for the kept entries. */
  readonly byteLength: number;
  /** Drops every entry. */
  clear(): void;
}

const optionsSchema = z.strictObject(
  {
    maxBytes: z
      .number(expected('a positive integer of bytes'))
      .int(expected('a positive integer of bytes'))
      .min(1, expected('a positive integer of bytes'))
      .optional(),
  },
  expected('memory cache options'),
);

/** Bytes accounted per entry besides its image. */
const entryOverheadBytes = 512;

function sizeOf(entry: CacheEntry): number {
  let text = 0;
  for (const warning of entry.warnings) text += warning.length;
  text += entry.revisedPrompt?.length ?? 0;
  return entry.image.bytes.length + entryOverheadBytes + 2 * text;
}

/**
 * An in-process cache with a byte budget, least recently used entries dropped first. Entries
 * are copied in, so later changes to the caller's bytes do not reach the cache; treat the
 * bytes it returns as read-only.
 *
 * @param options - `maxBytes`.
 * @returns a {@link MemoryCache}.
 * @throws ValidationError for bad options.
 *
 * @example
 * const loom = createLoom({ providers, compositor, cache: memoryCache({ maxBytes: 64 * 1024 * 1024 }) });
 */
export function memoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  parseWithSchema(optionsSchema, options, 'memory cache options');
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  // A Map iterates in insertion order: re-inserting on use keeps the LRU entry first.
  const entries = new Map<string, { entry: CacheEntry; bytes: number }>();
  let byteLength = 0;

  const remove = (key: string) => {
    const existing = entries.get(key);
    if (existing === undefined) return;
    entries.delete(key);
    byteLength -= existing.bytes;
  };

  return {
    get size() {
      return entries.size;
    },
    get byteLength() {
      return byteLength;
    },
    clear() {
      entries.clear();
      byteLength = 0;
    },
    async get(key) {
      assertCacheKey(key);
      const found = entries.get(key);
      if (found === undefined) return undefined;
      entries.delete(key);
      entries.set(key, found);
      return found.entry;
    },
    async set(key, entry) {
      assertCacheKey(key);
      parseWithSchema(cacheEntrySchema, entry, 'cache entry');
      remove(key);
      const stored: CacheEntry = {
        ...entry,
        image: { bytes: entry.image.bytes.slice(), mediaType: entry.image.mediaType },
        warnings: [...entry.warnings],
      };
      const bytes = sizeOf(stored);
      if (bytes > maxBytes) return;
      entries.set(key, { entry: stored, bytes });
      byteLength += bytes;
      for (const [oldest] of entries) {
        if (byteLength <= maxBytes) break;
        remove(oldest);
      }
    },
    async delete(key) {
      assertCacheKey(key);
      remove(key);
    },
  };
}
