import type { ImageProgress } from '@layerloom/core';
import type { HttpClient } from '@layerloom/core/http';
import { readA1111TaskState } from './read-a1111-task-state.js';

/** Options of {@link startA1111ProgressPolling}. */
export interface A1111ProgressPollingOptions {
  /** The client of the server that runs the call. */
  readonly http: HttpClient;
  /** Our task, as sent in `force_task_id`. */
  readonly taskId: string;
  /** Pause between the end of one poll and the start of the next, in milliseconds. */
  readonly intervalMs: number;
  /** Receives each report. Exceptions it throws are ignored: progress is best effort. */
  readonly onProgress: (progress: ImageProgress) => void;
}

/** A running poll of one task. */
export interface A1111ProgressPolling {
  /** Cancels the poll in flight and the pending timer at once; nothing is reported after it. */
  stop(): void;
  /** Whether a poll saw the task waiting in the server's queue (behind other clients' jobs). */
  readonly sawQueued: () => boolean;
  /** Whether the server has no `/internal/progress` (polling stopped at the first 404). */
  readonly unavailable: () => boolean;
}

/**
 * Polls `POST /internal/progress` for our task while its generation call runs (A1111 answers
 * it from a second connection while the call waits for or holds the generation lock). While
 * queued it reports `{ fraction: 0, queuePosition }` each time the place changes; while active
 * the fraction, the ETA and each new live preview (A1111 sends a preview only when its id
 * differs from the one we last saw). Another client's job is never reported. Polls run one
 * after the other, never overlapping; a server without the route (404) ends the polling.
 *
 * @param options - client, task, interval and callback.
 */
export function startA1111ProgressPolling(
  options: A1111ProgressPollingOptions,
): A1111ProgressPolling {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let previewId = -1;
  let lastPosition: number | undefined;
  let sawQueued = false;
  let unavailable = false;

  const report = (progress: ImageProgress) => {
    try {
      options.onProgress(progress);
    } catch {
      // A failing progress callback must not break the call it observes.
    }
  };

  const poll = async () => {
    try {
      const state = await readA1111TaskState(options.http, options.taskId, {
        previewId,
        signal: controller.signal,
        timeoutMs: Math.max(5_000, options.intervalMs * 4),
      });
      if (controller.signal.aborted) return;
      if (state.state === 'unavailable') {
        unavailable = true;
        return;
      }
      if (state.state === 'queued') {
        sawQueued = true;
        if (lastPosition === undefined || state.position !== lastPosition) {
          lastPosition = state.position ?? 0;
          report({
            fraction: 0,
            ...(state.position === undefined ? {} : { queuePosition: state.position }),
          });
        }
      } else if (state.state === 'active') {
        previewId = state.previewId;
        const { fraction, etaMs, preview } = state;
        if (fraction !== undefined || preview !== undefined) {
          report({
            ...(fraction === undefined ? {} : { fraction }),
            ...(etaMs === undefined ? {} : { etaMs }),
            ...(preview === undefined ? {} : { preview }),
          });
        }
      }
    } catch {
      // Progress is best effort: a failed poll is skipped, the call itself reports real errors.
    }
    if (!controller.signal.aborted) timer = setTimeout(poll, options.intervalMs);
  };

  timer = setTimeout(poll, options.intervalMs);
  return {
    stop() {
      controller.abort();
      clearTimeout(timer);
    },
    sawQueued: () => sawQueued,
    unavailable: () => unavailable,
  };
}
