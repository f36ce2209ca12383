import {
  AbortError,
  type Compositor,
  type EncodedImage,
  type Layer,
  LayerloomError,
  type OutputOptions,
  type SkippedStep,
  systemClock,
} from '@layerloom/core';
import { type CompositeEntry, compositeLayers } from '@layerloom/core/pipeline';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { readBlobImage, writeBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import {
  type ComposeJobData,
  type CompositeRecord,
  composeJobDataSchema,
  compositeRecordSchema,
  encodeRecord,
  parseRecord,
  type StepOutcomeRecord,
  stepOutcomeSchema,
} from './flow-job.js';
import { deserializeJobError, serializeJobError } from './job-error.js';
import { compositeKeyOf, stepOutcomeKeyOf } from './queue-names.js';

/** What the compose processor needs from its worker. */
export interface ComposeJobContext {
  /** Where images and records live. */
  readonly blobStore: BlobStore;
  /** This worker's compositor. */
  readonly compositor: Compositor;
  /** Whether the submitter cancelled the flow. */
  readonly isCancelled: (flowId: string) => Promise<boolean>;
  /** How long the job waits before it looks again for a layer outcome not written yet. */
  readonly inputPollMs: number;
}

const fail = (error: LayerloomError): never => {
  throw new UnrecoverableError(serializeJobError(error));
};

const isBlobReference = (
  value: unknown,
): value is { key: string; sha256: string; mediaType: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { key?: unknown }).key === 'string' &&
  typeof (value as { sha256?: unknown }).sha256 === 'string';

/**
 * Processes a flow's compose job once its layer jobs are done (they are its children): reads
 * every composited layer's outcome and image from the blob store, runs core's compositing
 * stage (`compositeLayers`) with this worker's compositor and records the composite
 * (`flows/<flowId>/composite.json`). A re-run answers from that record.
 *
 * @param context - blob store, compositor, cancellation.
 * @param job - the compose job.
 * @param token - its lock token.
 * @param signal - aborted when the flow is cancelled on this worker.
 * @returns the composite record.
 * @throws UnrecoverableError (bad job, nothing to composite, compositor failure), DelayedError.
 */
export async function runComposeJob(
  context: ComposeJobContext,
  job: Job,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<CompositeRecord> {
  const { blobStore } = context;
  const parsed = composeJobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    return fail(new LayerloomError('queue_bad_job', `Job ${job.id} has no valid compose data`));
  }
  const data = parsed.data as ComposeJobData;
  if (await context.isCancelled(data.flowId)) fail(new AbortError('The composite was cancelled'));
  const key = compositeKeyOf(data.flowId);
  const known = compositeRecordSchema.safeParse(parseRecord(await blobStore.get(key)));
  if (known.success) return known.data;

  const outcomes: { layer: ComposeJobData['layers'][number]; outcome: StepOutcomeRecord }[] = [];
  for (const layer of data.layers) {
    const outcome = stepOutcomeSchema.safeParse(
      parseRecord(await blobStore.get(stepOutcomeKeyOf(data.flowId, 'layer', layer.stepId))),
    );
    if (!outcome.success) {
      // Every layer job is a descendant of this job; a missing record is a store lagging behind.
      if (token === undefined) {
        fail(new LayerloomError('queue_input_missing', `Layer "${layer.stepId}" has no outcome`));
      }
      await job.moveToDelayed(Date.now() + context.inputPollMs, token);
      throw new DelayedError();
    }
    outcomes.push({ layer, outcome: outcome.data as StepOutcomeRecord });
  }
  const entries: CompositeEntry[] = [];
  const skipped: SkippedStep[] = [];
  for (const { layer, outcome } of outcomes) {
    const label = `Layer "${layer.stepId}"`;
    const planned = layer.layer as unknown as Layer & { mask?: { type: string; image?: unknown } };
    if (outcome.status !== 'painted') {
      skipped.push({
        id: layer.stepId,
        kind: 'layer',
        providers: outcome.providers,
        error: deserializeJobError(outcome.error, label),
        attempts: outcome.attempts,
      });
      entries.push({ layer: planned });
      continue;
    }
    let mask = planned.mask;
    if (mask?.type === 'image' && isBlobReference(mask.image)) {
      const image: EncodedImage = await readBlobImage(blobStore, mask.image, `${label}'s mask`);
      mask = { ...mask, image };
    }
    entries.push({
      layer: { ...planned, ...(mask === undefined ? {} : { mask }) } as Layer,
      painted: {
        image: await readBlobImage(blobStore, outcome.image, label),
        matte: outcome.matte,
      },
    });
  }
  let composite: Awaited<ReturnType<typeof compositeLayers>>;
  try {
    composite = await compositeLayers(
      { compositor: context.compositor, clock: systemClock },
      {
        composition: {
          width: data.width,
          height: data.height,
          ...(data.background === undefined ? {} : { background: data.background }),
          ...(data.output === undefined ? {} : { output: data.output as unknown as OutputOptions }),
        },
        layers: entries,
        skipped,
      },
      signal,
    );
  } catch (error) {
    if (signal?.aborted) fail(new AbortError('The composite was cancelled'));
    return fail(error as LayerloomError);
  }
  const record: CompositeRecord = {
    image: await writeBlobImage(blobStore, composite.image),
    width: composite.image.width,
    height: composite.image.height,
    ms: composite.ms,
  };
  await blobStore.put(key, encodeRecord(record));
  return record;
}
