// `clock.ts` and `retry-policy.ts` are public as a whole; `scheduler-options.ts` also holds the
// internal schemas, so its public names are listed.
export * from './clock.js';
export { createScheduler, type Scheduler } from './create-scheduler.js';
export type { QueueStats } from './queue-stats.js';
export * from './retry-policy.js';
export type {
  QueueLimits,
  RetryBudgetOptions,
  RetryNotice,
  RetryOptions,
  SchedulerOptions,
  SchedulerTask,
  TaskContext,
  TaskOptions,
} from './scheduler-options.js';
export { queueLimitsSchema, retryOptionsSchema } from './scheduler-options.js';
