/**
 * The render pipeline's stages, for runners other than the in-process loom (e.g.
 * `@layerloom/queue-bullmq`, which runs them on workers). Apps and adapter authors need
 * none of this: they use `createLoom` and the `Provider` contract from `@layerloom/core`.
 * See `docs/architecture.md` for how the stages fit together.
 *
 * @module \@layerloom/core/pipeline
 */
export { cacheEntrySchema } from '../cache/cache-entry-schema.js';
export { deriveRenderMethods } from '../loom/derive-render-methods.js';
export {
  planOptionsSchema,
  renderManyOptionsSchema,
  renderOptionsSchema,
} from '../loom/loom-options.js';
export {
  describeFailure,
  isRateLimitError,
  type RetryDelays,
  retryDelayMs,
  retryDelaysOf,
} from '../scheduler/retry-policy.js';
export { assembleResult, type ResultInput } from './assemble-result.js';
export { buildManifest, type ManifestInput, type ManifestStepInput } from './build-manifest.js';
export {
  type CompositeContext,
  type CompositedLayer,
  type CompositeEntry,
  type CompositeStageInput,
  compositedLayers,
  compositeLayers,
} from './composite-layers.js';
export {
  type ExpandedComposition,
  expandWorldPacks,
  type StepPacks,
  type StepSubject,
} from './expand-world-packs.js';
export {
  type CandidateInput,
  type CandidateOutcome,
  type CandidateTask,
  type PaintContext,
  paintCandidate,
  readCandidateFromCache,
} from './paint-candidate.js';
export { type PaintStepResult, paintStep, type StepRun } from './paint-step.js';
export { layerRecordOf, type PaintedStep, stepWarningsOf } from './painted-step.js';
export {
  checkProviderAliases,
  compositeStepId,
  type PlanContext,
  planRender,
} from './plan-render.js';
export { planRenderInput } from './plan-render-input.js';
export { createRenderEmitter } from './render-emitter.js';
export { type RenderRun, resolveRenderRun } from './render-run.js';
export { resolveRenderInput } from './resolve-render-input.js';
export { cacheEntryOf, readCachedStep, requestCacheKey, usesCache } from './step-cache.js';
export { type RetryDetails, type StepEvents, stepEvents } from './step-events.js';
export {
  asProviderFailure,
  type FailingStep,
  finalFailure,
  inputSkipped,
  type StepFailureOutcome,
  settleStepFailure,
} from './step-failure.js';
export { stepLabel } from './step-label.js';
