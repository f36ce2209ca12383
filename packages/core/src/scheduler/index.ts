export { type Clock, systemClock, type TimerHandle } from './clock.js';
export { createScheduler, type QueueStats, type Scheduler } from './create-scheduler.js';
export { isRetryableError } from './retry-policy.js';
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
