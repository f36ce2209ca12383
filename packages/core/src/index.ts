/**
 * Types, schemas, the layer notation, the scheduler, the cache, the render pipeline, events, errors and the offline preview provider.
 *
 * @module \@layerloom/core
 */
export * from './cache/index.js';
export * from './errors/index.js';
export * from './loom/index.js';
export * from './notation/index.js';
export * from './packs/index.js';
export {
  createSchedulerExecutor,
  type StepExecutor,
  type StepHooks,
  type StepOutcome,
  type StepTask,
} from './pipeline/step-executor.js';
export * from './preview/index.js';
export {
  type Clock,
  createScheduler,
  isRetryableError,
  type QueueLimits,
  type QueueStats,
  queueLimitsSchema,
  type RetryBudgetOptions,
  type RetryNotice,
  type RetryOptions,
  retryOptionsSchema,
  type Scheduler,
  type SchedulerOptions,
  type SchedulerTask,
  systemClock,
  type TaskContext,
  type TaskOptions,
  type TimerHandle,
} from './scheduler/index.js';
export {
  compositionSchema,
  cssColorSchema,
  imageSizeSchema,
  layerSchema,
  maxImageSide,
  maxLayers,
  nameSchema,
  seedSchema,
  styleStepSchema,
} from './schema/composition-schema.js';
export { defineComposition, validateComposition } from './schema/define-composition.js';
export { describeValue, expected, formatIssues, formatPath } from './schema/format-issues.js';
export {
  type HarmonyLayerInput,
  type HarmonyReferences,
  type HarmonyReferencesOptions,
  harmonyReferences,
} from './schema/harmony-references.js';
export { imageRequestSchema, nonEmptyPromptSchema } from './schema/image-request-schema.js';
export { parseWithSchema } from './schema/parse-with-schema.js';
export { integerRangeSchema, numberRangeSchema } from './schema/range-schema.js';
export * from './types/index.js';
export { createFingerprint } from './util/create-fingerprint.js';
export { parseCssColor, type RgbaColor } from './util/css-color.js';
export { type DecodedPng, decodePng } from './util/decode-png.js';
export { describeLeadingBytes } from './util/describe-leading-bytes.js';
export { type EncodePngOptions, encodePng, type PngPixels } from './util/encode-png.js';
export {
  type ImageInspection,
  type InspectedMediaType,
  inspectImage,
} from './util/inspect-image.js';
export { readImageSize } from './util/read-image-size.js';
export { formatSize, roundSizeToRange, snapSize } from './util/snap-size.js';
