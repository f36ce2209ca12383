import type { Cache } from '@layerloom/core';
import type { BlobStore } from './blob-store.js';
import { checkpointEntry, readCallCheckpoint, writeCallCheckpoint } from './call-checkpoint.js';

/** Key of the shared checkpoint of a request's cache key. */
export const sharedCheckpointKeyOf = (cacheKey: string): string => `results/${cacheKey}.json`;

/**
 * The workers' layer cache over the blob store, for one job: core's pipeline reads and writes
 * it as any cache, under its own policy (which requests are cached). An entry written by the
 * job itself is not a cache hit — a re-run of the job answers from its own call checkpoint
 * instead, as the call it already made.
 *
 * @param store - the blob store every worker shares.
 * @param jobId - the job this cache serves.
 */
export function checkpointCache(store: BlobStore, jobId: string): Cache {
  return {
    async get(key) {
      const read = await readCallCheckpoint(store, sharedCheckpointKeyOf(key), 'A cached image');
      return read === undefined || read.checkpoint.jobId === jobId
        ? undefined
        : checkpointEntry(read);
    },
    async set(key, entry) {
      await writeCallCheckpoint(store, sharedCheckpointKeyOf(key), {
        jobId,
        providerId: entry.providerId,
        modelId: entry.modelId,
        image: entry.image,
        ...(entry.seed === undefined ? {} : { seed: entry.seed }),
        ...(entry.revisedPrompt === undefined ? {} : { revisedPrompt: entry.revisedPrompt }),
        ...(entry.costUsd === undefined ? {} : { costUsd: entry.costUsd }),
        ...(entry.requestId === undefined ? {} : { requestId: entry.requestId }),
        warnings: entry.warnings,
      });
    },
    async delete(key) {
      await store.delete(sharedCheckpointKeyOf(key));
    },
  };
}
