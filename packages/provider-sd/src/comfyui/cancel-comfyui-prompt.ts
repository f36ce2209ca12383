import type { HttpClient } from '@layerloom/core/http';

/** What {@link cancelComfyUIPrompt} did. */
export type ComfyUICancellation = 'interrupted' | 'deleted' | 'finished' | 'both';

function queueHolds(entries: unknown, promptId: string): boolean {
  return (
    Array.isArray(entries) && entries.some((entry) => Array.isArray(entry) && entry[1] === promptId)
  );
}

/**
 * Stops one prompt on a ComfyUI server: reads `GET /queue`; interrupts it with
 * `POST /interrupt { prompt_id }` when it is running, deletes it with
 * `POST /queue { delete: [id] }` when it is still pending (then checks once more, in case it
 * started meanwhile), and does nothing when it already left the queue. When the queue cannot be read, both requests are sent. Never throws: it runs
 * while a call is being aborted.
 *
 * @param http - the server's client.
 * @param promptId - the prompt to stop.
 * @param timeoutMs - limit for the whole cancellation.
 */
export async function cancelComfyUIPrompt(
  http: HttpClient,
  promptId: string,
  timeoutMs: number,
): Promise<ComfyUICancellation> {
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(), timeoutMs);
  const signal = budget.signal;
  const interrupt = () =>
    http.request({
      method: 'POST',
      path: '/interrupt',
      body: { json: { prompt_id: promptId } },
      signal,
    });
  const remove = () =>
    http.request({
      method: 'POST',
      path: '/queue',
      body: { json: { delete: [promptId] } },
      signal,
    });
  try {
    return await cancel(http, promptId, signal, interrupt, remove);
  } finally {
    clearTimeout(timer);
  }
}

async function cancel(
  http: HttpClient,
  promptId: string,
  signal: AbortSignal,
  interrupt: () => Promise<unknown>,
  remove: () => Promise<unknown>,
): Promise<ComfyUICancellation> {
  let outcome: ComfyUICancellation = 'finished';
  // Twice: a prompt deleted while pending may have started in between.
  for (let round = 0; round < 2; round++) {
    let queue: { queue_running?: unknown; queue_pending?: unknown } | null;
    try {
      queue = (await http.request({ path: '/queue', signal })).json();
    } catch {
      if (signal.aborted) return outcome;
      await Promise.allSettled([remove(), interrupt()]);
      return 'both';
    }
    try {
      if (queueHolds(queue?.queue_running, promptId)) {
        await interrupt();
        return 'interrupted';
      }
      if (!queueHolds(queue?.queue_pending, promptId)) return outcome;
      await remove();
      outcome = 'deleted';
    } catch {
      // Best effort: the call is being aborted either way.
      return outcome;
    }
  }
  return outcome;
}
