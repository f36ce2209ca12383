import type { Clock, TimerHandle } from './clock.js';
import type { KeyState } from './key-state.js';
import type { QueueOrder, QueueTicket } from './task-queue.js';

/** What the dispatch loop needs of a queued task (a `TaskRun`). */
export interface Dispatchable<R extends QueueOrder> extends QueueOrder {
  /** Its key's state, whose queue it waits in. */
  readonly state: KeyState<R>;
  /** Its place in that queue while it waits there; the dispatcher sets and clears it. */
  ticket: QueueTicket | undefined;
  /** Starts its next attempt, once the dispatcher has taken it out of the queue. */
  start(): void;
}

/**
 * The dispatch loop over every key's queue (decision 0003): {@link TaskDispatcher.pump} starts,
 * while the global cap allows, the best queued task among the keys that may start now (higher
 * priority first, then earlier arrival), and arms one timer for the earliest moment a paused or
 * rate-limited key may start again. It keeps the counts of where tasks are — queued, in flight,
 * backing off — across keys and in each key's state, and tells the idle waiters when nothing is
 * left.
 *
 * @typeParam R - what it dispatches (`TaskRun`, or a stand-in in tests).
 */
export class TaskDispatcher<R extends Dispatchable<R>> {
  readonly #clock: Clock;
  readonly #globalCap: number;
  /** Keys that may have queued tasks (emptied ones are dropped on the next pick). */
  readonly #keysWithPending = new Set<KeyState<R>>();
  #active = 0;
  #pending = 0;
  #backingOff = 0;
  #pumping = false;
  #pumpAgain = false;
  #wakeTimer: TimerHandle | undefined;
  #wakeAt = Number.POSITIVE_INFINITY;
  #idleWaiters: (() => void)[] = [];

  /**
   * @param clock - time and the wake-up timer.
   * @param globalCap - attempts in flight across every key.
   */
  constructor(clock: Clock, globalCap: number) {
    this.#clock = clock;
    this.#globalCap = globalCap;
  }

  /** Attempts in flight across every key. */
  get activeCount(): number {
    return this.#active;
  }

  /** Tasks queued across every key (retry waits excluded). */
  get pendingCount(): number {
    return this.#pending;
  }

  /** Puts the run in its key's queue. */
  enqueue(run: R): void {
    run.ticket = run.state.queue.push(run, run);
    this.#pending++;
    this.#keysWithPending.add(run.state);
  }

  /**
   * Takes the run out of its key's queue if it still waits there; once nothing is queued, the
   * wake-up timer goes too.
   */
  withdraw(run: R): void {
    if (run.ticket === undefined) return;
    if (run.state.queue.remove(run.ticket)) this.#pending--;
    run.ticket = undefined;
    // Nothing left to wake up for: do not keep the process alive until a pause ends.
    if (this.#pending === 0 && this.#wakeTimer !== undefined) {
      this.#clock.clearTimeout(this.#wakeTimer);
      this.#wakeTimer = undefined;
      this.#wakeAt = Number.POSITIVE_INFINITY;
    }
  }

  /** Frees the slot of the run's attempt that settled. */
  attemptEnded(run: R): void {
    run.state.endAttempt();
    this.#active--;
  }

  /** Counts the run as waiting out a retry delay. */
  backoffStarted(run: R): void {
    run.state.backingOff++;
    this.#backingOff++;
  }

  /** Counts the run's retry delay as over (or cancelled). */
  backoffEnded(run: R): void {
    run.state.backingOff--;
    this.#backingOff--;
  }

  /**
   * Starts queued tasks while the global cap and their keys allow. Re-entrant calls (a task or
   * hook that queues or settles synchronously) are folded into the running loop.
   */
  pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        while (this.#active < this.#globalCap) {
          const run = this.#pick();
          if (run === undefined) break;
          run.state.queue.pop();
          run.ticket = undefined;
          this.#pending--;
          run.state.startAttempt();
          this.#active++;
          run.start();
        }
      } while (this.#pumpAgain);
    } finally {
      this.#pumping = false;
    }
  }

  /** Resolves the idle waiters when nothing is in flight, queued or waiting to retry. */
  checkIdle(): void {
    if (this.#active > 0 || this.#pending > 0 || this.#backingOff > 0) return;
    if (this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Resolves when nothing is in flight, queued or waiting to retry. */
  onIdle(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  /** The best startable run across keys, or undefined; arms the wake timer for waiting keys. */
  #pick(): R | undefined {
    let best: R | undefined;
    let now: number | undefined;
    let earliest = Number.POSITIVE_INFINITY;
    for (const state of this.#keysWithPending) {
      if (state.queue.size === 0) {
        this.#keysWithPending.delete(state);
        continue;
      }
      if (state.full) continue;
      if (state.timed) {
        now ??= this.#clock.now();
        const allowedAt = state.nextStartAt(now);
        if (allowedAt > now) {
          if (allowedAt < earliest) earliest = allowedAt;
          continue;
        }
      }
      const head = state.queue.peek()!;
      if (
        best === undefined ||
        head.priority > best.priority ||
        (head.priority === best.priority && head.sequence < best.sequence)
      ) {
        best = head;
      }
    }
    if (earliest !== Number.POSITIVE_INFINITY) this.#scheduleWake(earliest);
    return best;
  }

  /** Arms the wake-up timer for `at`, unless one is armed for that time or earlier. */
  #scheduleWake(at: number): void {
    if (this.#wakeTimer !== undefined && this.#wakeAt <= at) return;
    if (this.#wakeTimer !== undefined) this.#clock.clearTimeout(this.#wakeTimer);
    this.#wakeAt = at;
    this.#wakeTimer = this.#clock.setTimeout(
      () => {
        this.#wakeTimer = undefined;
        this.#wakeAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, at - this.#clock.now()),
    );
  }
}
