export {
  buildManifest,
  type ManifestInput,
  type ManifestStepInput,
} from './build-manifest.js';
export { createLoom, type Loom } from './create-loom.js';
export { deriveRenderMethods } from './derive-render-methods.js';
export type {
  CachePolicy,
  LoomOptions,
  PlanOptions,
  RenderManyItem,
  RenderManyOptions,
  RenderOptions,
  StepErrorPolicy,
} from './loom-options.js';
export { planOptionsSchema, renderOptionsSchema } from './loom-options.js';
export { type PlanContext, planRender } from './plan-render.js';
export type { RenderInput } from './render-many.js';
export { type RenderRun, resolveRenderRun } from './render-run.js';
export { resolveRenderInput } from './resolve-render-input.js';
export {
  createSchedulerExecutor,
  type StepExecutor,
  type StepHooks,
  type StepOutcome,
  type StepTask,
} from './step-executor.js';
