import type {
  CachePolicy,
  PlannedImageRequest,
  PlannedStep,
  RenderPlan,
  StepErrorPolicy,
} from '@layerloom/core';
import { compositedLayers, stepWarningsOf } from '@layerloom/core/pipeline';
import type { FlowJob, JobsOptions } from 'bullmq';
import { writeBlobImage } from './blob-images.js';
import type { BlobStore } from './blob-store.js';
import type {
  BlobReference,
  ComposeJobData,
  ComposeJobLayer,
  StepJobCandidate,
  StepJobData,
  StepJobRequest,
} from './flow-job.js';
import { composeJobIdOf, composeQueueName, queueNameOf, stepJobIdOf } from './queue-names.js';
import type { RetentionRule } from './queue-options.js';

/** How {@link buildFlow} shapes a composition's jobs. */
export interface FlowSettings {
  /** The flow's id (prefix of every job id). */
  readonly flowId: string;
  /** BullMQ attempts of a job on an alias's queue (`maxRetries + 1`). */
  readonly attemptsOf: (alias: string) => number;
  /** What a step that failed on every candidate does. */
  readonly onLayerError: StepErrorPolicy;
  /** Whether checkpoints are shared between renders. */
  readonly cachePolicy: CachePolicy;
  /** BullMQ priority (1 runs first). */
  readonly priority: number;
  /** Retention of completed jobs. */
  readonly removeOnComplete: RetentionRule;
  /** Retention of failed jobs. */
  readonly removeOnFail: RetentionRule;
}

/** Reference images already in the blob store, by the planned request that holds them. */
export type ReferenceBlobs = ReadonlyMap<PlannedImageRequest, readonly BlobReference[]>;

/**
 * A job carries the planned request without its input image and mask (those are blobs), and
 * its reference images as blob references.
 */
function jobRequest(planned: PlannedImageRequest, referenceBlobs: ReferenceBlobs): StepJobRequest {
  const { image: _image, mask: _mask, referenceImages: _references, ...request } = planned;
  const references = referenceBlobs.get(planned);
  return references === undefined ? request : { ...request, referenceImages: references };
}

/**
 * The data of a step's first job: every planned candidate (fallback order), the plan's step
 * warnings and the render's policies.
 *
 * @param step - a layer or style step of the plan.
 * @param settings - flow id, attempts per alias, policies.
 * @param referenceBlobs - the candidates' reference images, written to the blob store.
 */
export function stepJobDataOf(
  step: PlannedStep,
  settings: FlowSettings,
  referenceBlobs: ReferenceBlobs = new Map(),
): StepJobData {
  const candidates: StepJobCandidate[] = step.candidates.map((candidate) => ({
    alias: candidate.alias,
    providerId: candidate.providerId,
    modelId: candidate.modelId,
    request: jobRequest(candidate.request, referenceBlobs),
    matte: candidate.matte,
    attempts: settings.attemptsOf(candidate.alias),
    warnings: [...candidate.warnings],
  }));
  return {
    version: 2,
    flowId: settings.flowId,
    kind: step.kind,
    stepId: step.id,
    ...(step.kind === 'layer' && step.dependsOn !== undefined ? { from: step.dependsOn } : {}),
    ...(step.layerIndex === undefined ? {} : { layerIndex: step.layerIndex }),
    candidates,
    candidateIndex: 0,
    priorAttempts: 0,
    notes: [],
    warnings: [...stepWarningsOf(step)],
    onLayerError: settings.onLayerError,
    cachePolicy: settings.cachePolicy,
  };
}

/**
 * Turns a plan into one BullMQ flow: the style job (on its alias's queue) is the root, the
 * compose job its child, the composited layers the compose job's children, and each `from`
 * source a nested child of the first layer that uses it. A source used by several layers is
 * nested once; its other users wait for its outcome record in the blob store (their job
 * re-delays itself). Without a style pass the compose job is the root. Image masks of the
 * composition and the requests' reference images go to the blob store; the jobs carry
 * references.
 *
 * @param plan - the render's plan.
 * @param settings - flow id, attempts, policies, priority, retention.
 * @param blobStore - where mask and reference images go.
 * @returns the flow, and the id and queue of its root job.
 */
export async function buildFlow(
  plan: RenderPlan,
  settings: FlowSettings,
  blobStore: BlobStore,
): Promise<{ flow: FlowJob; rootId: string; rootQueue: string }> {
  const { flowId } = settings;
  const common: JobsOptions = {
    priority: settings.priority,
    removeOnComplete: settings.removeOnComplete,
    removeOnFail: settings.removeOnFail,
  };
  const referenceBlobs = new Map<PlannedImageRequest, readonly BlobReference[]>();
  for (const { request } of plan.steps.flatMap((step) => step.candidates)) {
    if (request.referenceImages === undefined || request.referenceImages.length === 0) continue;
    referenceBlobs.set(
      request,
      await Promise.all(request.referenceImages.map((image) => writeBlobImage(blobStore, image))),
    );
  }
  const layerSteps = plan.steps.filter((step) => step.kind === 'layer');
  const users = new Map<string, string[]>();
  for (const step of layerSteps) {
    if (step.dependsOn === undefined) continue;
    users.set(step.dependsOn, [...(users.get(step.dependsOn) ?? []), step.id]);
  }
  const nestedUnder = new Map<string | undefined, PlannedStep[]>();
  for (const step of layerSteps) {
    const owner = users.get(step.id)?.[0];
    nestedUnder.set(owner, [...(nestedUnder.get(owner) ?? []), step]);
  }
  const childOptions = (jobId: string, attempts: number): JobsOptions => ({
    ...common,
    jobId,
    attempts,
    backoff: { type: 'layerloom' },
    failParentOnFailure: true,
  });
  const layerNode = (step: PlannedStep): FlowJob => {
    const children = (nestedUnder.get(step.id) ?? []).map(layerNode);
    const first = step.candidates[0]!;
    return {
      name: 'layer',
      queueName: queueNameOf(first.alias),
      data: stepJobDataOf(step, settings, referenceBlobs),
      opts: childOptions(
        stepJobIdOf(flowId, 'layer', step.id, 0),
        settings.attemptsOf(first.alias),
      ),
      ...(children.length === 0 ? {} : { children }),
    } as FlowJob;
  };

  const composition = plan.composition;
  const layers: ComposeJobLayer[] = [];
  for (const { stepId, layer } of compositedLayers(plan)) {
    const { mask, ...rest } = layer;
    layers.push({
      stepId,
      layer:
        mask?.type === 'image'
          ? { ...rest, mask: { ...mask, image: await writeBlobImage(blobStore, mask.image) } }
          : { ...layer },
    });
  }
  const composeData: ComposeJobData = {
    version: 2,
    flowId,
    width: composition.width,
    height: composition.height,
    ...(composition.background === undefined ? {} : { background: composition.background }),
    ...(composition.output === undefined
      ? {}
      : { output: composition.output as unknown as Record<string, unknown> }),
    layers,
  };
  const composeId = composeJobIdOf(flowId);
  const styleStep = plan.steps.find((step) => step.kind === 'style');
  const composeNode = {
    name: 'compose',
    queueName: composeQueueName,
    data: composeData,
    opts: {
      ...common,
      jobId: composeId,
      attempts: 2,
      backoff: { type: 'layerloom' },
      ...(styleStep === undefined ? {} : { failParentOnFailure: true }),
    },
    children: (nestedUnder.get(undefined) ?? []).map(layerNode),
  } as FlowJob;
  if (styleStep === undefined) {
    return { flow: composeNode, rootId: composeId, rootQueue: composeQueueName };
  }
  const first = styleStep.candidates[0]!;
  const styleId = stepJobIdOf(flowId, 'style', 'style', 0);
  return {
    flow: {
      name: 'style',
      queueName: queueNameOf(first.alias),
      data: stepJobDataOf(styleStep, settings, referenceBlobs),
      opts: {
        ...common,
        jobId: styleId,
        attempts: settings.attemptsOf(first.alias),
        backoff: { type: 'layerloom' },
      },
      children: [composeNode],
    } as FlowJob,
    rootId: styleId,
    rootQueue: queueNameOf(first.alias),
  };
}
