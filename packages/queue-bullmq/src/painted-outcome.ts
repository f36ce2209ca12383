import type { PaintedStep } from '@layerloom/core/pipeline';
import { readBlobImage, writeBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import type { StepOutcomeRecord } from './flow-job.js';

/** The outcome record of a painted step. */
export type PaintedOutcome = Extract<StepOutcomeRecord, { status: 'painted' }>;

/**
 * The outcome record of a step core's pipeline painted: its record with the image moved to
 * the blob store.
 *
 * @param store - the blob store.
 * @param painted - the painted step.
 */
export async function paintedOutcomeOf(
  store: BlobStore,
  painted: PaintedStep,
): Promise<PaintedOutcome> {
  const { id: _id, image, provider, ...record } = painted.record;
  return {
    status: 'painted',
    alias: provider,
    ...record,
    matte: painted.matte,
    image: await writeBlobImage(store, image),
    ...(painted.inputSha256 === undefined ? {} : { inputSha256: painted.inputSha256 }),
    resultWarnings: painted.resultWarnings,
  };
}

/**
 * A painted step as core's pipeline stages read it, back from its outcome record (its image
 * read from the blob store, hash checked).
 *
 * @param store - the blob store.
 * @param stepId - layer id or `style`.
 * @param outcome - its painted outcome.
 * @throws LayerloomError `blob_missing` or `blob_corrupt`.
 */
export async function paintedStepOf(
  store: BlobStore,
  stepId: string,
  outcome: PaintedOutcome,
): Promise<PaintedStep> {
  const { status: _status, alias, matte, image, inputSha256, resultWarnings, ...record } = outcome;
  const label = stepId === 'style' ? 'The style pass' : `Layer "${stepId}"`;
  return {
    record: {
      id: stepId,
      image: await readBlobImage(store, image, label),
      provider: alias,
      ...record,
    },
    matte,
    ...(inputSha256 === undefined ? {} : { inputSha256 }),
    resultWarnings: resultWarnings ?? [],
  };
}
