import type { RenderEvent } from '@layerloom/core';
import { Listr } from 'listr2';
import pc from 'picocolors';
import { formatDollars, formatSeconds } from '../format-units.js';
import type { ProgressStep, RenderProgress } from './render-progress.js';

interface StepHandle {
  /** The listr2 task of the step: only its title is set. */
  task?: { title: string | undefined };
  resolve: () => void;
  reject: (error: unknown) => void;
  label: string;
  retries: number;
  startedAt?: number;
}

/**
 * Progress as a live task list on an interactive terminal (listr2): one line per step, redrawn
 * with its state, progress, retries, time and whether it came from the cache.
 *
 * @param steps - the plan's steps, plus `composite`, in display order.
 */
export function createTaskListProgress(steps: readonly ProgressStep[]): RenderProgress {
  const handles = new Map<string, StepHandle>();

  const listr = new Listr(
    steps.map(({ id, label }) => ({
      title: `${label} ${pc.dim('queued')}`,
      task: (_context, task) =>
        new Promise<void>((resolveTask, rejectTask) => {
          const handle = handles.get(id)!;
          handle.task = task;
          handle.resolve = resolveTask;
          handle.reject = rejectTask;
        }),
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: 'default',
      rendererOptions: { timer: undefined },
    },
  );
  for (const { id, label } of steps)
    handles.set(id, { resolve() {}, reject() {}, label, retries: 0 });

  const title = (handle: StepHandle, state: string) => {
    if (handle.task) handle.task.title = `${handle.label} ${state}`;
  };
  const onEvent = (event: RenderEvent) => {
    switch (event.type) {
      case 'layer:queued':
        title(handles.get(event.layerId)!, pc.dim(`queued (${event.position} ahead)`));
        break;
      case 'layer:start': {
        const handle = handles.get(event.layerId);
        if (!handle) break;
        handle.startedAt ??= Date.now();
        title(handle, event.attempt > 1 ? `attempt ${event.attempt}` : 'painting');
        break;
      }
      case 'layer:progress':
      case 'style:progress': {
        const handle = handles.get(event.type === 'style:progress' ? 'style' : event.layerId);
        if (handle && event.fraction !== undefined)
          title(handle, `${Math.round(event.fraction * 100)}%`);
        break;
      }
      case 'layer:retry':
      case 'style:retry': {
        const handle = handles.get(event.type === 'style:retry' ? 'style' : event.layerId);
        if (!handle) break;
        handle.retries += 1;
        title(
          handle,
          pc.yellow(`retry ${handle.retries} in ${formatSeconds(event.delayMs)}: ${event.reason}`),
        );
        break;
      }
      case 'layer:done':
      case 'style:done': {
        const record = event.record;
        const handle = handles.get(record.id);
        if (!handle) break;
        const parts = [
          record.cached ? 'cached' : formatSeconds(record.ms),
          handle.retries > 0 ? `${handle.retries} retr${handle.retries === 1 ? 'y' : 'ies'}` : '',
          record.costUsd === undefined ? '' : formatDollars(record.costUsd),
        ].filter((part) => part !== '');
        title(handle, pc.dim(parts.join(' · ')));
        handle.resolve();
        break;
      }
      case 'layer:error':
      case 'style:error': {
        const handle = handles.get(event.type === 'style:error' ? 'style' : event.layerId);
        if (!handle) break;
        if (event.outcome === 'fallback')
          title(handle, pc.yellow(`${event.provider} failed, trying the next provider`));
        else if (event.outcome === 'skip') {
          title(handle, pc.yellow(`skipped: ${event.error.message}`));
          handle.resolve();
        } else handle.reject(event.error);
        break;
      }
      case 'composite:done': {
        const handle = handles.get('composite')!;
        title(handle, pc.dim(formatSeconds(event.ms)));
        handle.resolve();
        break;
      }
      case 'style:start':
        title(handles.get('style')!, 'painting');
        break;
      default:
        break;
    }
  };
  const settle = (error?: unknown) => {
    for (const handle of handles.values()) {
      if (error === undefined) handle.resolve();
      else handle.reject(error);
    }
  };
  return {
    onEvent,
    settle,
    finished: listr.run().then(
      () => undefined,
      () => undefined,
    ),
  };
}
