import type { EncodedImage } from '../types/encoded-image.js';

/** One cached provider answer: the image and what is known about how it was made. */
export interface CacheEntry {
  /** The painted image. */
  readonly image: EncodedImage;
  /** Provider id that painted it. */
  readonly providerId: string;
  /** Model id that painted it. */
  readonly modelId: string;
  /** The seed the provider really used. */
  readonly seed?: number;
  /** The provider's rewrite of the prompt. */
  readonly revisedPrompt?: string;
  /** The provider's request id of the original call. */
  readonly requestId?: string;
  /** Cost of the original call in US dollars (a cache hit itself costs nothing). */
  readonly costUsd?: number;
  /** The provider's warnings of the original call. */
  readonly warnings: readonly string[];
  /** ISO 8601 time the entry was written. */
  readonly createdAt: string;
}

/**
 * Where painted layers are kept between renders, keyed by the sha256 of the canonical request
 * (see `computeCacheKey`). Implementations must be safe to call concurrently; a failing cache
 * never fails a render (the loom turns cache errors into warnings).
 */
export interface Cache {
  /**
   * Looks an entry up.
   *
   * @param key - 64 lower-case hex characters.
   * @returns the entry, or `undefined` when absent or unreadable.
   */
  get(key: string): Promise<CacheEntry | undefined>;
  /**
   * Stores an entry, replacing any entry of the same key.
   *
   * @param key - 64 lower-case hex characters.
   * @param entry - the image and its metadata.
   */
  set(key: string, entry: CacheEntry): Promise<void>;
  /** Removes an entry; absent keys are ignored. */
  delete(key: string): Promise<void>;
}
