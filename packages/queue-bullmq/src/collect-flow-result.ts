import {
  LayerloomError,
  type Provider,
  type RenderPlan,
  type RenderResult,
  type SkippedStep,
} from '@layerloom/core';
import { assembleResult, type PaintedStep } from '@layerloom/core/pipeline';
import { readBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import {
  type CompositeRecord,
  compositeRecordSchema,
  parseRecord,
  type StepOutcomeRecord,
  stepOutcomeSchema,
} from './flow-job.js';
import { deserializeJobError } from './job-error.js';
import { paintedStepOf } from './painted-outcome.js';
import { compositeKeyOf, stepOutcomeKeyOf } from './queue-names.js';

/**
 * Reads a step's outcome record from the blob store.
 *
 * @param blobStore - the store.
 * @param flowId - the flow.
 * @param kind - `layer` or `style`.
 * @param stepId - layer id or `style`.
 * @returns the record, or `undefined` when it is missing or unreadable.
 */
export async function readStepOutcome(
  blobStore: BlobStore,
  flowId: string,
  kind: 'layer' | 'style',
  stepId: string,
): Promise<StepOutcomeRecord | undefined> {
  const parsed = stepOutcomeSchema.safeParse(
    parseRecord(await blobStore.get(stepOutcomeKeyOf(flowId, kind, stepId))),
  );
  return parsed.success ? (parsed.data as StepOutcomeRecord) : undefined;
}

/**
 * Reads a flow's composite record from the blob store.
 *
 * @returns the record, or `undefined` when it is missing or unreadable.
 */
export async function readCompositeRecord(
  blobStore: BlobStore,
  flowId: string,
): Promise<CompositeRecord | undefined> {
  const parsed = compositeRecordSchema.safeParse(
    parseRecord(await blobStore.get(compositeKeyOf(flowId))),
  );
  return parsed.success ? parsed.data : undefined;
}

/** What {@link collectFlowResult} reads besides the blob store. */
export interface FlowResultInput {
  /** The render's plan. */
  readonly plan: RenderPlan;
  /** The flow. */
  readonly flowId: string;
  /** Providers by alias (for the manifest). */
  readonly providers: Readonly<Record<string, Provider>>;
  /** Planning time. */
  readonly planMs: number;
  /** When the render started (ms since epoch). */
  readonly startedAt: number;
  /** When the flow was queued. */
  readonly layersStartedAt: number;
  /** When the last layer was reported done. */
  readonly layersDoneAt: number;
}

/**
 * Builds a finished flow's `RenderResult` from its records in the blob store: reads every
 * step's outcome and the composite back, then runs core's last stage (`assembleResult`: final
 * image, per-layer records, manifest, timings, cost) on them.
 *
 * @param blobStore - the store.
 * @param input - plan, flow id, providers, times.
 * @returns the result.
 * @throws LayerloomError `flow_incomplete` when a record is missing; `blob_missing`/`blob_corrupt`.
 */
export async function collectFlowResult(
  blobStore: BlobStore,
  input: FlowResultInput,
): Promise<RenderResult> {
  const { plan, flowId } = input;
  const layers = new Map<string, PaintedStep>();
  let style: PaintedStep | undefined;
  const skipped: SkippedStep[] = [];
  const missing = (what: string) =>
    new LayerloomError('flow_incomplete', `The flow finished without ${what} in the blob store`);
  for (const step of plan.steps) {
    const outcome = await readStepOutcome(blobStore, flowId, step.kind, step.id);
    if (outcome === undefined) {
      if (step.kind === 'style') throw missing('the style pass’s record');
      throw missing(`layer "${step.id}"’s record`);
    }
    if (outcome.status === 'painted') {
      const painted = await paintedStepOf(blobStore, step.id, outcome);
      if (step.kind === 'style') style = painted;
      else layers.set(step.id, painted);
    } else {
      skipped.push({
        id: step.id,
        kind: step.kind,
        providers: outcome.providers,
        error: deserializeJobError(
          outcome.error,
          step.kind === 'style' ? 'The style pass' : `Layer "${step.id}"`,
        ),
        attempts: outcome.attempts,
      });
    }
  }
  const compositeRecord = await readCompositeRecord(blobStore, flowId);
  if (compositeRecord === undefined) throw missing('the composite’s record');
  const compositeBytes = await readBlobImage(blobStore, compositeRecord.image, 'The composite');
  return assembleResult({
    plan,
    providers: input.providers,
    layers,
    style,
    skipped,
    composite: {
      ...compositeBytes,
      width: compositeRecord.width,
      height: compositeRecord.height,
    },
    compositeSha256: compositeRecord.image.sha256,
    timings: {
      planMs: input.planMs,
      layersMs: Math.max(0, input.layersDoneAt - input.layersStartedAt),
      compositeMs: compositeRecord.ms,
      ...(style === undefined ? {} : { styleMs: style.record.ms }),
    },
    startedAt: input.startedAt,
    finishedAt: Date.now(),
  });
}
