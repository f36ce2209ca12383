import type { RenderEvent, RenderPlan } from '@layerloom/core';
import pc from 'picocolors';
import type { CliIo } from '../cli-io.js';
import { createLineProgress } from './line-progress.js';
import { createTaskListProgress } from './task-list-progress.js';

/** Shows a render's progress while it runs. */
export interface RenderProgress {
  /** Feed it every render event. */
  readonly onEvent: (event: RenderEvent) => void;
  /** Ends the display: every step done, or failed with `error`. */
  readonly settle: (error?: unknown) => void;
  /** Resolves when the display has finished writing. */
  readonly finished: Promise<void>;
}

/** One line of the display per step of the plan. */
export interface ProgressStep {
  /** Step id (`style` and `composite` included). */
  readonly id: string;
  /** What the display calls it: id, aliases and model. */
  readonly label: string;
}

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
