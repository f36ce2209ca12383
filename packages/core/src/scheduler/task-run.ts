import { AbortError } from '../errors/abort-error.js';
import { RetryError } from '../errors/retry-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import type { Clock, TimerHandle } from './clock.js';
import type { KeyState } from './key-state.js';
import type { RetryDelays } from './retry-policy.js';
import {
  describeFailure,
  isRateLimitError,
  isRetryableError,
  retryDelayMs,
} from './retry-policy.js';
import type { RetryNotice, SchedulerTask, TaskOptions } from './scheduler-options.js';
import { TaskAttempt } from './task-attempt.js';
import type { QueueTicket } from './task-queue.js';

/**
 * What a {@link TaskRun} needs from the dispatcher: it keeps the counts of where tasks are
 * (queued, in flight, backing off) across keys and in each {@link KeyState}, and starts queued
 * runs.
 */
export interface TaskRunHost {
  /** Puts the run in its key's queue (it sets `run.ticket`). */
  enqueue(run: TaskRun): void;
  /** Takes the run out of its key's queue, if it is still there (it clears `run.ticket`). */
  withdraw(run: TaskRun): void;
  /** Frees the slot of the run's attempt that settled. */
  attemptEnded(run: TaskRun): void;
  /** The run waits out a retry delay. */
  backoffStarted(run: TaskRun): void;
  /** The run's retry delay is over or cancelled. */
  backoffEnded(run: TaskRun): void;
  /** Starts what may start now. */
  pump(): void;
  /** Tells the idle waiters when nothing is left. */
  checkIdle(): void;
}

/** What every run of one scheduler shares. */
export interface TaskRunContext {
  /** The dispatcher that queues and starts the runs. */
  readonly host: TaskRunHost;
  /** Time and timers (timeouts, retry delays, the retry budget). */
  readonly clock: Clock;
  /** Backoff base, cap and Retry-After limit. */
  readonly delays: RetryDelays;
  /** Uniform random numbers in [0, 1), for backoff jitter. */
  readonly random: () => number;
}

/**
 * One task's way through its attempts: each attempt's start (hooks, timeout, the call), its
 * outcome, the retry decision (retryable error, `maxRetries`, the key's budget, the delay, a 429
 * pausing the key), the wait before the next attempt, cancellation, and the promise the caller
 * holds. Where the task waits and when it starts are the dispatcher's business.
 */
export class TaskRun {
  /** Its key's state. */
  readonly state: KeyState<TaskRun>;
  /** Higher runs first. */
  readonly priority: number;
  /** Arrival number: lower runs first among equal priorities; a retry keeps it. */
  readonly sequence: number;
  /** Names the task in error messages. */
  readonly label: string;
  /** Its place in its key's queue while it waits there. */
  ticket: QueueTicket | undefined = undefined;
  readonly #context: TaskRunContext;
  readonly #task: SchedulerTask<unknown>;
  readonly #options: TaskOptions | undefined;
  readonly #timeoutMs: number | undefined;
  readonly #maxRetries: number;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (error: unknown) => void;
  readonly #errors: unknown[] = [];
  #attempt = 0;
  #current: TaskAttempt | undefined = undefined;
  #sleepTimer: TimerHandle | undefined = undefined;
  #finished = false;
  #onAbort: (() => void) | undefined = undefined;

  /**
   * @param context - what the scheduler's runs share.
   * @param state - the task's key.
   * @param task - called once per attempt.
   * @param options - priority, signal, timeout, retries, label and hooks (validated).
   * @param label - its name in messages.
   * @param sequence - its arrival number.
   * @param resolve - settles the caller's promise with the task's value.
   * @param reject - settles the caller's promise with the final error.
   */
  constructor(
    context: TaskRunContext,
    state: KeyState<TaskRun>,
    task: SchedulerTask<unknown>,
    options: TaskOptions | undefined,
    label: string,
    sequence: number,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ) {
    this.#context = context;
    this.state = state;
    this.#task = task;
    this.#options = options;
    this.label = label;
    this.priority = options?.priority ?? 0;
    this.sequence = sequence;
    this.#timeoutMs = options?.timeoutMs ?? state.timeoutMs;
    this.#maxRetries = options?.maxRetries ?? state.maxRetries;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Listens to the task's signal, queues it, tells `onQueued` its position, and pumps. */
  submit(): void {
    const signal = this.#options?.signal;
    if (signal !== undefined) {
      this.#onAbort = () => this.#abort(signal);
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    const host = this.#context.host;
    host.enqueue(this);
    const onQueued = this.#options?.onQueued;
    if (
      onQueued !== undefined &&
      !this.#callHook(onQueued, this.state.queue.positionOf(this.ticket!))
    ) {
      return;
    }
    host.pump();
  }

  /**
   * Starts the next attempt; the dispatcher calls it once it has taken the run out of the queue
   * and counted the attempt's slot.
   */
  start(): void {
    const attempt = new TaskAttempt(this.#context.clock);
    const number = ++this.#attempt;
    this.#current = attempt;
    const timeoutMs = this.#timeoutMs;
    if (timeoutMs !== undefined) {
      attempt.setTimeout(timeoutMs, () => {
        const error = new TimeoutError(`${this.label} timed out after ${timeoutMs} ms`, timeoutMs);
        attempt.stop(error);
        this.#current = undefined;
        this.state.timeouts++;
        this.#fail(error);
      });
    }
    let result: unknown;
    // A hook may end the task (it threw, or it aborted the task's signal): then skip the call.
    if (this.#callHook(this.#options?.onStart, number) && !attempt.over) {
      try {
        result = this.#task({
          get signal() {
            return attempt.signal;
          },
          attempt: number,
        });
      } catch (error) {
        result = Promise.reject(error);
      }
    }
    Promise.resolve(result).then(
      (value) => this.#settle(attempt, true, value),
      (error: unknown) => this.#settle(attempt, false, error),
    );
  }

  /** The attempt's own promise settled: the slot is free; the outcome counts unless it is over. */
  #settle(attempt: TaskAttempt, succeeded: boolean, outcome: unknown): void {
    const host = this.#context.host;
    host.attemptEnded(this);
    attempt.clearTimeout();
    if (!attempt.over) {
      attempt.over = true;
      this.#current = undefined;
      if (succeeded) {
        this.state.succeeded++;
        this.#finish(true, outcome);
      } else this.#fail(outcome);
    }
    host.pump();
    host.checkIdle();
  }

  /** An attempt failed: retry it after a delay, or fail the task for good. */
  #fail(error: unknown): void {
    if (this.#finished) return;
    const state = this.state;
    const errors = this.#errors;
    errors.push(error);
    const attempts = errors.length;
    const plural = attempts === 1 ? 'attempt' : 'attempts';
    if (!isRetryableError(error)) {
      state.failed++;
      this.#finish(
        false,
        attempts === 1
          ? error
          : new RetryError(
              `${this.label} failed after ${attempts} ${plural}: ${describeFailure(error)}`,
              errors,
            ),
      );
      return;
    }
    const { clock, delays, random, host } = this.#context;
    const now = clock.now();
    const exhausted = this.#attempt > this.#maxRetries;
    if (exhausted || !state.takeRetryToken(now)) {
      state.failed++;
      const why = exhausted ? '' : ` (the retry budget of "${state.key}" is spent)`;
      this.#finish(
        false,
        new RetryError(
          `${this.label} failed after ${attempts} ${plural}${why}: ${describeFailure(error)}`,
          errors,
        ),
      );
      return;
    }
    const delayMs = retryDelayMs(error, this.#attempt, delays, random);
    if (isRateLimitError(error)) state.pauseUntil(now + delayMs);
    state.retries++;
    const notice: RetryNotice = {
      attempt: this.#attempt,
      delayMs,
      error,
      reason: describeFailure(error),
    };
    if (!this.#callHook(this.#options?.onRetry, notice) || this.#finished) return;
    host.backoffStarted(this);
    this.#sleepTimer = clock.setTimeout(() => {
      this.#sleepTimer = undefined;
      host.backoffEnded(this);
      host.enqueue(this);
      host.pump();
    }, delayMs);
  }

  /** Settles the caller's promise (once) and lets go of the queue, the retry wait and the signal. */
  #finish(succeeded: boolean, outcome: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    const host = this.#context.host;
    if (this.ticket !== undefined) host.withdraw(this);
    if (this.#sleepTimer !== undefined) {
      this.#context.clock.clearTimeout(this.#sleepTimer);
      this.#sleepTimer = undefined;
      host.backoffEnded(this);
    }
    if (this.#onAbort !== undefined)
      this.#options?.signal?.removeEventListener('abort', this.#onAbort);
    if (succeeded) this.#resolve(outcome);
    else this.#reject(outcome);
    host.checkIdle();
  }

  /** The task's signal aborted: stop the running attempt, if any, and fail at once. */
  #abort(signal: AbortSignal): void {
    if (this.#finished) return;
    const error = AbortError.fromSignal(signal, this.label);
    if (this.#current !== undefined) this.#current.stop(signal.reason ?? error);
    this.#current = undefined;
    this.state.aborted++;
    this.#finish(false, error);
  }

  /** Calls a hook; a hook that throws fails its task with that error. */
  #callHook<A>(hook: ((argument: A) => void) | undefined, argument: A): boolean {
    if (hook === undefined) return true;
    try {
      hook(argument);
      return true;
    } catch (error) {
      if (this.#current !== undefined) this.#current.stop(error);
      this.#current = undefined;
      this.state.failed++;
      this.#finish(false, error);
      return false;
    }
  }
}
