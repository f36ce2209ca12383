import type { HttpClient } from '@layerloom/core/http';
import { readA1111TaskState } from './read-a1111-task-state.js';

/**
 * When an aborted call may send `POST /sdapi/v1/interrupt`, which stops whatever job the
 * server runs: `own-task` only when `/internal/progress` shows our task is the active one;
 * `always` (the server is yours alone, e.g. `--nowebui` without `/internal/progress`); `never`.
 */
export type A1111InterruptMode = 'own-task' | 'always' | 'never';

/** What an abort did on the server. */
export type A1111InterruptOutcome =
  /** Our task was running: it was interrupted. */
  | 'interrupted'
  /** `interrupt: 'always'`: interrupted without checking whose job runs. */
  | 'interrupted-unchecked'
  /** Our task still waited in the queue: not interrupted. */
  | 'queued'
  /** The server did not know our task yet (the call had not reached its queue): not interrupted. */
  | 'not-started'
  /** Our task had already finished. */
  | 'finished'
  /** The server has no `/internal/progress`, so whose job runs is unknown: not interrupted. */
  | 'unavailable'
  /** `interrupt: 'never'`, or the check failed: not interrupted. */
  | 'not-interrupted';

/**
 * Stops our task on an A1111 server after an abort, without touching other clients' jobs:
 * interrupts only when our task is the active one (the check and the interrupt are sent back
 * to back; a job that starts in between is the one risk left). A queued task cannot be
 * withdrawn through the API: the call is abandoned, and the caller says so. Never throws.
 *
 * @param http - the server's client.
 * @param taskId - our task (`force_task_id`).
 * @param mode - see {@link A1111InterruptMode}.
 * @param timeoutMs - limit for each request.
 */
export async function interruptA1111Task(
  http: HttpClient,
  taskId: string,
  mode: A1111InterruptMode,
  timeoutMs: number,
): Promise<A1111InterruptOutcome> {
  if (mode === 'never') return 'not-interrupted';
  const interrupt = () =>
    http.request({ method: 'POST', path: '/sdapi/v1/interrupt', timeoutMs }).then(
      () => true,
      () => false,
    );
  if (mode === 'always') return (await interrupt()) ? 'interrupted-unchecked' : 'not-interrupted';
  let state: Awaited<ReturnType<typeof readA1111TaskState>>;
  try {
    state = await readA1111TaskState(http, taskId, { timeoutMs });
  } catch {
    return 'not-interrupted';
  }
  switch (state.state) {
    case 'active':
      return (await interrupt()) ? 'interrupted' : 'not-interrupted';
    case 'completed':
      return 'finished';
    case 'unavailable':
      return 'unavailable';
    case 'queued':
      return 'queued';
    default:
      return 'not-started';
  }
}

/**
 * The sentence an abort error carries about the server, for outcomes that left a job there.
 *
 * @param outcome - what {@link interruptA1111Task} did.
 * @param taskId - our task.
 * @returns a clause to append, or '' when nothing needs saying.
 */
export function describeA1111InterruptOutcome(
  outcome: A1111InterruptOutcome,
  taskId: string,
): string {
  switch (outcome) {
    case 'queued':
      return ` (task ${taskId} was still queued behind another job, so nothing was interrupted — an interrupt stops whatever job runs; A1111 cannot withdraw a queued task, so the server may still paint it)`;
    case 'not-started':
      return ` (task ${taskId} had not reached the server's queue yet, so nothing was interrupted; if the request did arrive, the server may still paint it)`;
    case 'unavailable':
      return ` (the server has no /internal/progress — started with --nowebui? — so it could not tell whether task ${taskId} was the running job and did not interrupt; set \`interrupt: 'always'\` for a server of your own)`;
    case 'not-interrupted':
      return ` (task ${taskId} was not interrupted and may still run on the server)`;
    default:
      return '';
  }
}
