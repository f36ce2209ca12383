import type { Cache } from '@layerloom/core';
import { cacheEntrySchema } from '@layerloom/core/pipeline';
import { readBlobImage, writeBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import { blobReferenceSchema, encodeRecord, parseRecord } from './flow-job.js';

/** A shared checkpoint: a cache entry whose image is in the blob store. */
const checkpointSchema = cacheEntrySchema.extend({ image: blobReferenceSchema });

/**
 * The workers' shared layer cache over the blob store (`results/<cacheKey>.json`, images
 * content-addressed beside them): core's pipeline reads and writes it like any cache, under
 * its own rules of which requests are cached. An entry whose image the store no longer has
 * (stores expire objects) is a miss.
 *
 * @param store - the blob store every worker shares.
 */
export function checkpointCache(store: BlobStore): Cache {
  const keyOf = (cacheKey: string) => `results/${cacheKey}.json`;
  return {
    async get(key) {
      const parsed = checkpointSchema.safeParse(parseRecord(await store.get(keyOf(key))));
      if (!parsed.success || (await store.get(parsed.data.image.key)) === undefined)
        return undefined;
      return {
        ...parsed.data,
        image: await readBlobImage(store, parsed.data.image, 'A cached image'),
      };
    },
    async set(key, entry) {
      const image = await writeBlobImage(store, entry.image);
      await store.put(keyOf(key), encodeRecord({ ...entry, image }));
    },
    async delete(key) {
      await store.delete(keyOf(key));
    },
  };
}
