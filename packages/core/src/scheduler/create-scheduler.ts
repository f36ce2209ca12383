import { AbortError } from '../errors/abort-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import { systemClock } from './clock.js';
import { type KeyBudget, KeyState } from './key-state.js';
import type { QueueStats } from './queue-stats.js';
import { retryDelaysOf } from './retry-policy.js';
import {
  type QueueLimits,
  type SchedulerOptions,
  type SchedulerTask,
  schedulerOptionsSchema,
  type TaskOptions,
  taskOptionsSchema,
} from './scheduler-options.js';
import { TaskDispatcher } from './task-dispatcher.js';
import { TaskRun, type TaskRunContext } from './task-run.js';

/**
 * Runs tasks in per-key queues (one per provider alias) with concurrency and rate limits, a
 * global cap, priorities, timeouts, cancellation and retries.
 */
export interface Scheduler {
  /**
   * Queues a task and runs it when its key's queue allows, retrying retryable failures.
   *
   * @param key - the queue, e.g. a provider alias.
   * @param task - called once per attempt with the attempt's signal.
   * @param options - priority, signal, timeout, label and hooks.
   * @returns the task's value.
   * @throws the task's error when it is final on the first attempt; `RetryError` with every
   *   attempt's error when retries are exhausted or the retry budget is spent; `AbortError` (or
   *   the signal's Layerloom reason) when cancelled. The returned promise settles at once on
   *   abort or timeout, but the queue slot is held until the task's own promise settles.
   */
  run<T>(key: string, task: SchedulerTask<T>, options?: TaskOptions): Promise<T>;
  /** Attempts in flight across every key. */
  readonly activeCount: number;
  /** Tasks waiting for a slot across every key (retry waits excluded). */
  readonly pendingCount: number;
  /** Counters of one key's queue. */
  stats(key: string): QueueStats;
  /** Counters of every queue used so far. */
  stats(): readonly QueueStats[];
  /** Resolves when nothing is in flight, queued or waiting to retry. */
  onIdle(): Promise<void>;
}

const builtInLimits = { concurrency: 4, maxRetries: 2 } as const;
const builtInBudget = { capacity: 10, refillPerSecond: 0.2 } as const;

/**
 * Creates a scheduler: one queue per key (provider alias) with `concurrency` and a sliding
 * `requestsPerMinute` window, a global cap, priorities, per-task `AbortSignal` and `timeoutMs`,
 * and the retry policy (retryable errors only, `retryAfterMs` honoured up to a limit, otherwise
 * full-jitter exponential backoff, a per-queue retry budget, a 429 pausing its queue). A slow or
 * failing queue never delays another queue's tasks (except through the global cap).
 *
 * @param options - limits per key, global cap, retry policy, clock and random source.
 * @returns a {@link Scheduler}.
 * @throws ValidationError naming the bad option.
 *
 * @example
 * const scheduler = createScheduler({ limits: { A: { concurrency: 2, requestsPerMinute: 50 } } });
 * const image = await scheduler.run('A', ({ signal }) => provider.generate({ ...request, signal }));
 */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  parseWithSchema(schedulerOptionsSchema, options, 'scheduler options');
  const clock = options.clock ?? systemClock;
  const budget: KeyBudget | undefined =
    options.retry?.budget === false ? undefined : { ...builtInBudget, ...options.retry?.budget };
  const limitsByKey = new Map<string, QueueLimits>(Object.entries(options.limits ?? {}));
  const dispatcher = new TaskDispatcher<TaskRun>(
    clock,
    options.concurrency ?? Number.POSITIVE_INFINITY,
  );
  const context: TaskRunContext = {
    host: dispatcher,
    clock,
    delays: retryDelaysOf(options.retry),
    random: options.random ?? Math.random,
  };
  const states = new Map<string, KeyState<TaskRun>>();
  let sequence = 0;

  function stateFor(key: string): KeyState<TaskRun> {
    let state = states.get(key);
    if (state !== undefined) return state;
    const limits = { ...builtInLimits, ...options.defaultLimits, ...limitsByKey.get(key) };
    state = new KeyState<TaskRun>(key, limits, budget, clock);
    states.set(key, state);
    return state;
  }

  function run<T>(key: string, task: SchedulerTask<T>, taskOptions?: TaskOptions): Promise<T> {
    if (typeof key !== 'string' || key === '') {
      return Promise.reject(
        ValidationError.field(['key'], 'Expected `key` to be a non-empty string', 'task'),
      );
    }
    if (typeof task !== 'function') {
      return Promise.reject(
        ValidationError.field(['task'], 'Expected `task` to be a function', 'task'),
      );
    }
    if (taskOptions !== undefined) {
      try {
        parseWithSchema(taskOptionsSchema, taskOptions, 'task options');
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const state = stateFor(key);
    const label = taskOptions?.label ?? `Task on "${key}"`;
    const signal = taskOptions?.signal;
    if (signal?.aborted) {
      state.aborted++;
      return Promise.reject(AbortError.fromSignal(signal, label));
    }
    return new Promise<T>((resolve, reject) => {
      new TaskRun(
        context,
        state,
        task,
        taskOptions,
        label,
        sequence++,
        resolve as (value: unknown) => void,
        reject,
      ).submit();
    });
  }

  function stats(): readonly QueueStats[];
  function stats(key: string): QueueStats;
  function stats(key?: string): QueueStats | readonly QueueStats[] {
    if (key === undefined) return [...states.values()].map((state) => state.stats());
    if (typeof key !== 'string' || key === '') {
      throw ValidationError.field(['key'], 'Expected `key` to be a non-empty string', 'stats key');
    }
    return stateFor(key).stats();
  }

  return {
    run,
    get activeCount() {
      return dispatcher.activeCount;
    },
    get pendingCount() {
      return dispatcher.pendingCount;
    },
    stats,
    onIdle() {
      return dispatcher.onIdle();
    },
  };
}
