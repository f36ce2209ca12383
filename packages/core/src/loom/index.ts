export { createLoom, type Loom } from './create-loom.js';
export type {
  CachePolicy,
  LoomOptions,
  PlanOptions,
  RenderManyItem,
  RenderManyOptions,
  RenderOptions,
  StepErrorPolicy,
} from './loom-options.js';
export type { RenderInput } from './render-many.js';
export {
  createSchedulerExecutor,
  type StepExecutor,
  type StepHooks,
  type StepOutcome,
  type StepTask,
} from './step-executor.js';
