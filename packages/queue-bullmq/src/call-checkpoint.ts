import type { CacheEntry, ImageResult } from '@layerloom/core';
import { readBlobImage, writeBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import {
  type CallCheckpoint,
  callCheckpointSchema,
  encodeRecord,
  parseRecord,
} from './flow-job.js';

/** A checkpoint read back: the record and its image. */
export interface ReadCheckpoint {
  /** The record. */
  readonly checkpoint: CallCheckpoint;
  /** Its image, hash checked. */
  readonly image: { readonly bytes: Uint8Array; readonly mediaType: string };
}

/**
 * Reads a call checkpoint and its image.
 *
 * @param store - the blob store.
 * @param key - the checkpoint's key.
 * @param label - what it belongs to, for messages.
 * @returns the checkpoint, or `undefined` when it is missing, unreadable or its image is gone
 *   (stores expire objects).
 * @throws LayerloomError `blob_corrupt` when the image does not match its hash.
 */
export async function readCallCheckpoint(
  store: BlobStore,
  key: string,
  label: string,
): Promise<ReadCheckpoint | undefined> {
  const parsed = callCheckpointSchema.safeParse(parseRecord(await store.get(key)));
  if (!parsed.success) return undefined;
  const checkpoint = parsed.data as CallCheckpoint;
  if ((await store.get(checkpoint.image.key)) === undefined) return undefined;
  return { checkpoint, image: await readBlobImage(store, checkpoint.image, label) };
}

/**
 * Writes a call checkpoint (its image content-addressed beside it).
 *
 * @param store - the blob store.
 * @param key - the checkpoint's key.
 * @param fields - who painted it and what came back.
 */
export async function writeCallCheckpoint(
  store: BlobStore,
  key: string,
  fields: Omit<CallCheckpoint, 'image' | 'createdAt'> & {
    readonly image: { readonly bytes: Uint8Array; readonly mediaType: string };
  },
): Promise<void> {
  const { image, ...rest } = fields;
  const checkpoint: CallCheckpoint = {
    ...rest,
    image: await writeBlobImage(store, image),
    createdAt: new Date().toISOString(),
  };
  await store.put(key, encodeRecord(checkpoint));
}

/**
 * The provider's answer a checkpoint holds, as the executor returns it.
 *
 * @param read - a checkpoint read back.
 */
export function checkpointResult(read: ReadCheckpoint): ImageResult {
  const { checkpoint } = read;
  return {
    image: read.image,
    ...(checkpoint.seed === undefined ? {} : { seed: checkpoint.seed }),
    ...(checkpoint.revisedPrompt === undefined ? {} : { revisedPrompt: checkpoint.revisedPrompt }),
    ...(checkpoint.costUsd === undefined ? {} : { costUsd: checkpoint.costUsd }),
    ...(checkpoint.requestId === undefined ? {} : { requestId: checkpoint.requestId }),
    warnings: checkpoint.warnings,
  };
}

/**
 * A cache entry of the workers' shared checkpoints.
 *
 * @param read - a checkpoint read back.
 */
export function checkpointEntry(read: ReadCheckpoint): CacheEntry {
  const { checkpoint } = read;
  return {
    ...checkpointResult(read),
    providerId: checkpoint.providerId,
    modelId: checkpoint.modelId,
    createdAt: checkpoint.createdAt,
  };
}
