/**
 * Where image bytes live while compositions run on queues: never in Redis. Jobs carry keys and
 * sha256 hashes; submitters and workers read and write the bytes here. Implement it over a
 * shared directory, S3, GCS… Keys are relative paths of `[a-z0-9/._-]` (e.g.
 * `images/ab/ab12….png`); implementations must be safe to call concurrently from many
 * processes, and `put` must be atomic (a reader sees the whole object or nothing).
 */
export interface BlobStore {
  /**
   * Stores bytes under a key, replacing any object of the same key.
   *
   * @param key - a relative key of `[a-z0-9/._-]`.
   * @param bytes - the object.
   */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Reads an object.
   *
   * @param key - a relative key.
   * @returns its bytes, or `undefined` when absent.
   */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * Removes an object; absent keys are ignored.
   *
   * @param key - a relative key.
   */
  delete(key: string): Promise<void>;
  /**
   * Lists the objects whose keys start with `prefix`, with when each was last written. Optional:
   * {@link sweepBlobStore} needs it; stores with their own expiry (an S3 lifecycle rule per
   * prefix) may leave it out.
   *
   * @param prefix - a key prefix such as `images/`.
   */
  list?(prefix: string): Promise<readonly BlobEntry[]>;
}

/** One object of a {@link BlobStore}, as `list` reports it. */
export interface BlobEntry {
  /** Its key. */
  readonly key: string;
  /** When it was last written (`put` replaces, so a re-used object is fresh), ms since the epoch. */
  readonly modifiedAt: number;
  /** Its size in bytes. */
  readonly size: number;
}
