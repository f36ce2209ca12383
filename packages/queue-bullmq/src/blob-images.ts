import { createHash } from 'node:crypto';
import { type EncodedImage, LayerloomError } from '@layerloom/core';
import type { BlobStore } from './blob-store.js';
import type { BlobReference } from './flow-job.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Images this process wrote, by their bytes: a job writes a painted image once, not per record. */
const written = new WeakMap<
  Uint8Array,
  { readonly store: BlobStore; readonly key: string; readonly sha256: string }
>();

/**
 * Stores an image content-addressed (`images/<sha256>`) and returns its reference. The same
 * bytes written again to the same store (the call checkpoint, the cache entry and the outcome
 * record of one painted step) are hashed and written once.
 *
 * @param store - the blob store.
 * @param image - bytes and media type.
 */
export async function writeBlobImage(
  store: BlobStore,
  image: EncodedImage,
): Promise<BlobReference> {
  const known = written.get(image.bytes);
  if (known !== undefined && known.store === store) {
    return { key: known.key, sha256: known.sha256, mediaType: image.mediaType };
  }
  const hash = sha256(image.bytes);
  const key = `images/${hash.slice(0, 2)}/${hash}`;
  await store.put(key, image.bytes);
  written.set(image.bytes, { store, key, sha256: hash });
  return { key, sha256: hash, mediaType: image.mediaType };
}

/**
 * Reads an image by reference and checks its hash.
 *
 * @param store - the blob store.
 * @param reference - key, hash and media type.
 * @param label - what the image belongs to, for messages.
 * @throws LayerloomError `blob_missing` or `blob_corrupt`.
 */
export async function readBlobImage(
  store: BlobStore,
  reference: BlobReference,
  label: string,
): Promise<EncodedImage> {
  const bytes = await store.get(reference.key);
  if (bytes === undefined) {
    throw new LayerloomError(
      'blob_missing',
      `${label}: image ${reference.sha256.slice(0, 12)}… is missing from the blob store (do submitters and workers share one store?)`,
    );
  }
  if (sha256(bytes) !== reference.sha256) {
    throw new LayerloomError(
      'blob_corrupt',
      `${label}: image ${reference.sha256.slice(0, 12)}… in the blob store does not match its hash`,
    );
  }
  return { bytes, mediaType: reference.mediaType };
}
