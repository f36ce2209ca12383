import type { RenderPlan } from '@layerloom/core';
import pc from 'picocolors';
import type { CliIo } from '../cli-io.js';
import { createLineProgress } from './create-line-progress.js';
import { createTaskListProgress } from './create-task-list-progress.js';
import type { ProgressStep, RenderProgress } from './render-progress.js';

/**
 * Picks the display for a render: a live task list on an interactive terminal, plain
 * timestamped lines otherwise (a pipe, a log file, or `CI` set).
 *
 * @param plan - the render's plan.
 * @param io - where to write; progress goes to stderr.
 */
export function createRenderProgress(plan: RenderPlan, io: CliIo): RenderProgress {
  const interactive = io.stderr.isTTY === true && io.env.CI === undefined;
  const steps: ProgressStep[] = [
    ...plan.steps.map((step) => ({
      id: step.id,
      label: `${step.id} @${step.providers.join('|')} ${interactive ? pc.dim(`${step.providerId}/${step.modelId}`) : `${step.providerId}/${step.modelId}`}`,
    })),
    { id: 'composite', label: 'composite' },
  ].sort((a, b) => (a.id === 'style' ? 1 : b.id === 'style' ? -1 : 0));
  return interactive ? createTaskListProgress(steps) : createLineProgress(steps, io);
}
