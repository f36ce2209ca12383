export { type Clock, systemClock, type TimerHandle } from './clock.js';
export { createScheduler, type Scheduler } from './create-scheduler.js';
export type { QueueStats } from './queue-stats.js';
export {
  describeFailure,
  isRateLimitError,
  isRetryableError,
  type RetryDelays,
  retryDelayMs,
} from './retry-policy.js';
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
