import {
  LayerloomError,
  type LayerRecord,
  type Provider,
  type RenderPlan,
  type RenderResult,
  readImageSize,
  type SizedImage,
  type SkippedStep,
  type StepRecord,
} from '@layerloom/core';
import { buildManifest, type ManifestStepInput } from '@layerloom/core/pipeline';
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

/**
 * The core record of a painted step, its image read from the blob store (hash checked).
 *
 * @param blobStore - the store.
 * @param stepId - layer id or `style`.
 * @param outcome - its painted outcome.
 */
export async function stepRecordOf(
  blobStore: BlobStore,
  stepId: string,
  outcome: Extract<StepOutcomeRecord, { status: 'painted' }>,
): Promise<StepRecord> {
  const label = stepId === 'style' ? 'The style pass' : `Layer "${stepId}"`;
  return {
    id: stepId,
    image: await readBlobImage(blobStore, outcome.image, label),
    provider: outcome.alias,
    providerId: outcome.providerId,
    modelId: outcome.modelId,
    ...(outcome.seed === undefined ? {} : { seed: outcome.seed }),
    ...(outcome.revisedPrompt === undefined ? {} : { revisedPrompt: outcome.revisedPrompt }),
    cached: outcome.cached,
    attempts: outcome.attempts,
    ms: outcome.ms,
    ...(outcome.costUsd === undefined ? {} : { costUsd: outcome.costUsd }),
    ...(outcome.requestId === undefined ? {} : { requestId: outcome.requestId }),
    ...(outcome.cacheKey === undefined ? {} : { cacheKey: outcome.cacheKey }),
    warnings: outcome.warnings,
  };
}

const keyOf = (step: { readonly kind: 'layer' | 'style'; readonly id: string }) =>
  step.kind === 'style' ? 'style' : `layer:${step.id}`;

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
 * Builds a finished flow's `RenderResult` from its records in the blob store: per-layer
 * records (composition order), the style record, skipped steps, the manifest (core's
 * `buildManifest`), timings and cost.
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
  const records = new Map<
    string,
    { record: StepRecord; outcome: Extract<StepOutcomeRecord, { status: 'painted' }> }
  >();
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
      records.set(keyOf(step), {
        record: await stepRecordOf(blobStore, step.id, outcome),
        outcome,
      });
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
  const composite: SizedImage = {
    ...compositeBytes,
    width: compositeRecord.width,
    height: compositeRecord.height,
  };
  const stepsById = new Map(
    plan.steps.filter((step) => step.kind === 'layer').map((step) => [step.id, step]),
  );
  const layers: LayerRecord[] = [];
  for (const layer of plan.composition.layers) {
    const done = records.get(`layer:${layer.id}`);
    const step = stepsById.get(layer.id);
    if (done === undefined || step === undefined) continue;
    layers.push({ ...done.record, composited: step.composited, matte: done.outcome.matte });
  }
  const style = records.get('style');
  let image = composite;
  const styleStep = plan.steps.find((step) => step.kind === 'style');
  if (style !== undefined && styleStep !== undefined) {
    const size = readImageSize(style.record.image.bytes) ?? {
      width: styleStep.request.width,
      height: styleStep.request.height,
    };
    image = { ...style.record.image, ...size };
  }
  const manifestSteps: ManifestStepInput[] = [];
  for (const step of plan.steps) {
    const done = records.get(keyOf(step));
    if (done === undefined) continue;
    manifestSteps.push({
      record: done.record,
      kind: step.kind,
      ...(done.outcome.inputSha256 === undefined ? {} : { inputSha256: done.outcome.inputSha256 }),
    });
  }
  const finishedAt = Date.now();
  const costUsd = [...records.values()].reduce((sum, { record }) => sum + (record.costUsd ?? 0), 0);
  return {
    image,
    layers,
    ...(style === undefined ? {} : { style: style.record }),
    skipped,
    manifest: buildManifest({
      plan,
      steps: manifestSteps,
      skipped,
      providers: input.providers,
      compositeSha256: compositeRecord.image.sha256,
      outputSha256: style === undefined ? compositeRecord.image.sha256 : style.outcome.image.sha256,
      createdAt: new Date(finishedAt).toISOString(),
    }),
    timings: {
      planMs: input.planMs,
      layersMs: Math.max(0, input.layersDoneAt - input.layersStartedAt),
      compositeMs: compositeRecord.ms,
      ...(style === undefined ? {} : { styleMs: style.outcome.ms }),
      totalMs: finishedAt - input.startedAt,
    },
    costUsd,
  };
}
