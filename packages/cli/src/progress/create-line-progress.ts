import type { RenderEvent } from '@layerloom/core';
import { type CliIo, writeLine } from '../cli-io.js';
import { formatDollars, formatSeconds } from '../format-units.js';
import type { ProgressStep, RenderProgress } from './render-progress.js';

/** Progress is reported at most once per this fraction, so a log stays short. */
const progressStep = 0.25;

/**
 * Progress as plain, timestamped lines on stderr: for logs, pipes and CI, where a redrawn task
 * list would show only its first and last state. One line when a step is queued, starts, is
 * retried (with the wait and the reason), crosses a quarter of its progress, falls back,
 * is skipped or fails, and when it is done.
 *
 * @param steps - the plan's steps, plus `composite`.
 * @param io - where to write.
 */
export function createLineProgress(steps: readonly ProgressStep[], io: CliIo): RenderProgress {
  const labels = new Map(steps.map((step) => [step.id, step.label]));
  const reported = new Map<string, number>();
  const retries = new Map<string, number>();
  const introduced = new Set<string>();
  // The first line of a step names its provider and model; later ones just its id.
  const line = (elapsedMs: number, id: string, text: string) => {
    const name = introduced.has(id) ? id : (labels.get(id) ?? id);
    introduced.add(id);
    writeLine(io.stderr, `[${formatSeconds(elapsedMs).padStart(6)}] ${name}: ${text}`);
  };
  const progress = (elapsedMs: number, id: string, fraction: number | undefined) => {
    if (fraction === undefined) return;
    const bucket = Math.floor(fraction / progressStep);
    if (bucket <= (reported.get(id) ?? 0) || fraction >= 1) return;
    reported.set(id, bucket);
    line(elapsedMs, id, `${Math.round(fraction * 100)}%`);
  };
  const retry = (elapsedMs: number, id: string, delayMs: number, reason: string) => {
    const count = (retries.get(id) ?? 0) + 1;
    retries.set(id, count);
    line(elapsedMs, id, `retry ${count} in ${formatSeconds(delayMs)}: ${reason}`);
  };
  const failure = (
    elapsedMs: number,
    id: string,
    provider: string,
    outcome: 'fallback' | 'skip' | 'fail',
    message: string,
  ) => {
    const next =
      outcome === 'fallback'
        ? 'trying the next provider'
        : outcome === 'skip'
          ? 'skipped'
          : 'failed';
    line(elapsedMs, id, `@${provider} ${next}: ${message}`);
  };
  const done = (elapsedMs: number, id: string, ms: number, cached: boolean, costUsd?: number) => {
    const count = retries.get(id) ?? 0;
    const parts = [
      cached ? 'from the cache' : `done in ${formatSeconds(ms)}`,
      count > 0 ? `${count} retr${count === 1 ? 'y' : 'ies'}` : '',
      costUsd === undefined ? '' : formatDollars(costUsd),
    ].filter((part) => part !== '');
    line(elapsedMs, id, parts.join(' · '));
  };

  const onEvent = (event: RenderEvent) => {
    switch (event.type) {
      case 'layer:queued':
        line(event.elapsedMs, event.layerId, `queued (${event.position} ahead)`);
        break;
      case 'layer:start':
        line(
          event.elapsedMs,
          event.layerId,
          event.attempt > 1 ? `attempt ${event.attempt}` : 'painting',
        );
        break;
      case 'style:start':
        line(event.elapsedMs, 'style', 'painting');
        break;
      case 'layer:progress':
        progress(event.elapsedMs, event.layerId, event.fraction);
        break;
      case 'style:progress':
        progress(event.elapsedMs, 'style', event.fraction);
        break;
      case 'layer:retry':
        retry(event.elapsedMs, event.layerId, event.delayMs, event.reason);
        break;
      case 'style:retry':
        retry(event.elapsedMs, 'style', event.delayMs, event.reason);
        break;
      case 'layer:error':
        failure(event.elapsedMs, event.layerId, event.provider, event.outcome, event.error.message);
        break;
      case 'style:error':
        failure(event.elapsedMs, 'style', event.provider, event.outcome, event.error.message);
        break;
      case 'layer:done':
      case 'style:done':
        done(
          event.elapsedMs,
          event.record.id,
          event.record.ms,
          event.record.cached,
          event.record.costUsd,
        );
        break;
      case 'composite:done':
        line(event.elapsedMs, 'composite', `done in ${formatSeconds(event.ms)}`);
        break;
      default:
        break;
    }
  };
  return { onEvent, settle: () => {}, finished: Promise.resolve() };
}
