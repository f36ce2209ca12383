import { parseWithSchema, ValidationError } from '@layerloom/core';
import { z } from 'zod';
import type { BlobStore } from './blob-store.js';

/** Options of {@link sweepBlobStore}. */
export interface SweepBlobStoreOptions {
  /** The store; it must implement `list` (`fileBlobStore` does). */
  readonly store: BlobStore;
  /**
   * Objects not written for this long are deleted. Make it longer than the longest a job may
   * wait in its queue plus run (its inputs must still be there) and than you want a finished
   * layer to be re-usable (checkpoints are the queue's cross-render cache). @default 7 days
   */
  readonly olderThanMs?: number;
  /** Key prefixes to sweep. @default ['images/', 'results/', 'flows/'] */
  readonly prefixes?: readonly string[];
  /** The current time, ms since the epoch (for tests). @default Date.now() */
  readonly now?: number;
}

/** What {@link sweepBlobStore} did. */
export interface SweepBlobStoreResult {
  /** Objects deleted. */
  readonly deleted: number;
  /** Bytes freed. */
  readonly deletedBytes: number;
  /** Objects kept (younger than the limit). */
  readonly kept: number;
}

const optionsSchema = z.strictObject({
  store: z.custom<BlobStore>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as BlobStore).delete === 'function',
    'Expected a BlobStore',
  ),
  olderThanMs: z.number().int().min(1).optional(),
  prefixes: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9/._-]*$/))
    .min(1)
    .optional(),
  now: z.number().finite().optional(),
});

/** Seven days, in milliseconds. */
const sevenDaysMs = 7 * 24 * 60 * 60 * 1000;

/**
 * Deletes the blob store's objects that have not been written for `olderThanMs`: inputs, results
 * and checkpoints of finished work. Images are content-addressed and shared between jobs, so
 * they are never deleted when one job ends; sweeping by age is safe because every use writes the
 * object again (`put` replaces it, refreshing its age). Run it from a scheduled job or a cron
 * entry on one machine, or on several: it is idempotent. Stores with their own expiry (an S3
 * lifecycle rule per prefix) do not need it.
 *
 * @param options - the store, the age limit and the prefixes.
 * @returns how many objects and bytes were deleted and kept.
 * @throws ValidationError when an option is malformed or the store cannot `list`.
 *
 * @example
 * ```ts
 * // Every night:
 * const { deleted, deletedBytes } = await sweepBlobStore({ store: fileBlobStore('/mnt/blobs') });
 * ```
 */
export async function sweepBlobStore(
  options: SweepBlobStoreOptions,
): Promise<SweepBlobStoreResult> {
  const parsed = parseWithSchema(optionsSchema, options, 'sweepBlobStore options');
  const store = parsed.store;
  if (typeof store.list !== 'function') {
    throw ValidationError.field(
      ['store', 'list'],
      'Expected `store.list` to be a function: a store is swept through `list(prefix)` (or let it expire its objects itself, e.g. with an S3 lifecycle rule)',
      'sweepBlobStore options',
    );
  }
  const cutoff = (parsed.now ?? Date.now()) - (parsed.olderThanMs ?? sevenDaysMs);
  let deleted = 0;
  let deletedBytes = 0;
  let kept = 0;
  for (const prefix of parsed.prefixes ?? ['images/', 'results/', 'flows/']) {
    for (const entry of await store.list(prefix)) {
      if (entry.modifiedAt >= cutoff) {
        kept += 1;
        continue;
      }
      await store.delete(entry.key);
      deleted += 1;
      deletedBytes += entry.size;
    }
  }
  return { deleted, deletedBytes, kept };
}
