import type { ImageProgress } from '@layerloom/core';
import { decodeBase64, type HttpClient } from '@layerloom/core/http';
import { detectImageMediaType } from '../shared/detect-image-media-type.js';

/** Options of {@link startA1111ProgressPolling}. */
export interface A1111ProgressPollingOptions {
  /** The client of the server that runs the call. */
  readonly http: HttpClient;
  /** Pause between the end of one poll and the start of the next, in milliseconds. */
  readonly intervalMs: number;
  /** Receives each report. Exceptions it throws are ignored: progress is best effort. */
  readonly onProgress: (progress: ImageProgress) => void;
}

interface ProgressBody {
  readonly progress?: unknown;
  readonly eta_relative?: unknown;
  readonly current_image?: unknown;
  readonly state?: { readonly job_count?: unknown } | null;
}

/**
 * Polls `GET /sdapi/v1/progress` while a generation call runs (A1111 answers it from a second
 * connection while the call holds the generation lock) and reports the fraction, the ETA and
 * the live preview, which is only passed on when it changed. Idle answers (no job, nothing
 * done) are skipped. Polls run one after the other, never overlapping.
 *
 * @param options - client, interval and callback.
 * @returns `stop()`: cancels the poll in flight and the pending timer at once; no report is
 *   delivered after it returns.
 */
export function startA1111ProgressPolling(options: A1111ProgressPollingOptions): () => void {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPreview: string | undefined;

  const report = (body: ProgressBody) => {
    const fraction = typeof body.progress === 'number' ? body.progress : undefined;
    const preview = typeof body.current_image === 'string' ? body.current_image : undefined;
    const jobs = body.state?.job_count;
    if ((fraction ?? 0) <= 0 && preview === undefined && (jobs === 0 || jobs === undefined)) return;
    const eta = body.eta_relative;
    const progress: { fraction?: number; etaMs?: number; preview?: ImageProgress['preview'] } = {};
    if (fraction !== undefined && Number.isFinite(fraction)) {
      progress.fraction = Math.min(1, Math.max(0, fraction));
    }
    if (typeof eta === 'number' && Number.isFinite(eta) && eta >= 0) {
      progress.etaMs = Math.round(eta * 1000);
    }
    if (preview !== undefined && preview !== lastPreview) {
      const bytes = decodeBase64(preview);
      const mediaType = detectImageMediaType(bytes);
      if (mediaType !== undefined) {
        lastPreview = preview;
        progress.preview = { bytes, mediaType };
      }
    }
    try {
      options.onProgress(progress);
    } catch {
      // A failing progress callback must not break the call it observes.
    }
  };

  const poll = async () => {
    try {
      const response = await options.http.request({
        path: '/sdapi/v1/progress',
        query: { skip_current_image: false },
        signal: controller.signal,
        timeoutMs: Math.max(5_000, options.intervalMs * 4),
      });
      if (controller.signal.aborted) return;
      const body = response.json<unknown>();
      if (body !== null && typeof body === 'object') report(body as ProgressBody);
    } catch {
      // Progress is best effort: a failed poll is skipped, the call itself reports real errors.
    }
    if (!controller.signal.aborted) timer = setTimeout(poll, options.intervalMs);
  };

  timer = setTimeout(poll, options.intervalMs);
  return () => {
    controller.abort();
    clearTimeout(timer);
  };
}
