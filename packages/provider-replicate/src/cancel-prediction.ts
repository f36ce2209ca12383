import type { HttpClient } from '@layerloom/core/http';
import { apiPath, type ReplicatePrediction, terminalStatuses } from './replicate-prediction.js';

/** Limit of one cancel call, in milliseconds. */
export const cancelTimeoutMs = 10_000;

/**
 * Cancels a prediction this adapter gave up on (aborted, timed out, or failed while polling),
 * so that it stops running and being billed: `POST urls.cancel` (or
 * `/predictions/{id}/cancel`). Does nothing for a prediction already finished. Never throws:
 * it runs while a call is failing anyway.
 *
 * @param client - the API client.
 * @param prediction - the prediction, as last seen.
 * @returns whether the cancel call was answered with a 2xx.
 */
export async function cancelPrediction(
  client: HttpClient,
  prediction: ReplicatePrediction,
): Promise<boolean> {
  if (terminalStatuses.has(prediction.status)) return false;
  const path = apiPath(
    client,
    prediction.urls?.cancel,
    `/predictions/${encodeURIComponent(prediction.id)}/cancel`,
  );
  try {
    await client.request({
      method: 'POST',
      path,
      signal: AbortSignal.timeout(cancelTimeoutMs),
      timeoutMs: cancelTimeoutMs,
    });
    return true;
  } catch {
    return false;
  }
}
