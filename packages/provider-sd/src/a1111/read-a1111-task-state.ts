import { type EncodedImage, ProviderError } from '@layerloom/core';
import { decodeBase64, type HttpClient } from '@layerloom/core/http';
import { detectImageMediaType } from '../shared/detect-image-media-type.js';

/** Where one task stands on an A1111 server, from `POST /internal/progress`. */
export type A1111TaskState =
  | {
      /** The task runs now: its progress and, when new, the live preview. */
      readonly state: 'active';
      readonly fraction?: number;
      readonly etaMs?: number;
      readonly preview?: EncodedImage;
      /** Send this back as `id_live_preview` so that the same preview is not sent again. */
      readonly previewId: number;
    }
  | {
      /** The task waits for the generation lock; `position` 1 is next, when the server says. */
      readonly state: 'queued';
      readonly position?: number;
    }
  | {
      /** The task finished (or was interrupted). */
      readonly state: 'completed';
    }
  | {
      /** The server does not know the task (yet): the call has not reached its queue. */
      readonly state: 'unknown';
    }
  | {
      /** The server has no `/internal/progress` (404: started with `--nowebui`). */
      readonly state: 'unavailable';
    };

/** Options of {@link readA1111TaskState}. */
export interface ReadA1111TaskStateOptions {
  /** The last live preview id received, so that it is not sent again. @default -1 */
  readonly previewId?: number;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
  /** Limit for the request, in milliseconds. */
  readonly timeoutMs: number;
}

const finite = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * Asks an A1111/Forge server where one task stands: `POST /internal/progress` with
 * `{ id_task, id_live_preview, live_preview: true }`, the per-task route of the web UI (its
 * `modules/progress.py`). Unlike `GET /sdapi/v1/progress`, which reports whatever job runs,
 * this answers for our task only: `active` with progress and a live preview, `queued` with the
 * place A1111's `textinfo` gives ("In queue: 2/3"), or `completed`.
 *
 * @param http - the server's client.
 * @param taskId - the id sent as `force_task_id`.
 * @param options - last preview id, signal, limit.
 * @throws ProviderError for failures other than a 404.
 */
export async function readA1111TaskState(
  http: HttpClient,
  taskId: string,
  options: ReadA1111TaskStateOptions,
): Promise<A1111TaskState> {
  let body: Record<string, unknown> | null;
  try {
    const response = await http.request({
      method: 'POST',
      path: '/internal/progress',
      body: {
        json: { id_task: taskId, id_live_preview: options.previewId ?? -1, live_preview: true },
      },
      timeoutMs: options.timeoutMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    body = response.json<Record<string, unknown> | null>();
  } catch (error) {
    if (error instanceof ProviderError && error.status === 404) return { state: 'unavailable' };
    throw error;
  }
  if (body === null || typeof body !== 'object') return { state: 'unknown' };
  if (body.active === true) {
    const previewId = finite(body.id_live_preview)
      ? body.id_live_preview
      : (options.previewId ?? -1);
    let preview: EncodedImage | undefined;
    if (typeof body.live_preview === 'string' && body.live_preview !== '') {
      const bytes = decodeBase64(body.live_preview);
      const mediaType = detectImageMediaType(bytes);
      if (mediaType !== undefined) preview = { bytes, mediaType };
    }
    return {
      state: 'active',
      previewId,
      ...(finite(body.progress) ? { fraction: Math.min(1, Math.max(0, body.progress)) } : {}),
      ...(finite(body.eta) && body.eta >= 0 ? { etaMs: Math.round(body.eta * 1000) } : {}),
      ...(preview === undefined ? {} : { preview }),
    };
  }
  if (body.queued === true) {
    const place = typeof body.textinfo === 'string' ? /(\d+)\s*\/\s*\d+/.exec(body.textinfo) : null;
    return { state: 'queued', ...(place === null ? {} : { position: Number(place[1]) }) };
  }
  if (body.completed === true) return { state: 'completed' };
  return { state: 'unknown' };
}
