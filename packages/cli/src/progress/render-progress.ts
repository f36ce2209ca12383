import type { RenderEvent } from '@layerloom/core';

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
