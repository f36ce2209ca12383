export { createLoom } from './create-loom.js';
export type { Loom } from './loom.js';
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
