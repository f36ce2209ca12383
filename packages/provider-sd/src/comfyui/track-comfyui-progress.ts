/** One node's progress as ComfyUI reports it. */
interface NodeProgress {
  value: number;
  max: number;
  finished: boolean;
}

/** Follows a prompt's progress across its sampling nodes; see {@link createComfyUIProgressTracker}. */
export interface ComfyUIProgressTracker {
  /**
   * Takes a `progress_state` message's `nodes` (every node that is not pending, with `value`,
   * `max` and `state`). Once one arrived, legacy `progress` messages are ignored.
   *
   * @returns the overall fraction, or `undefined` when nothing changed.
   */
  progressState(nodes: unknown): number | undefined;
  /**
   * Takes a legacy `progress` message (`value`, `max`, `node`): one node at a time, so a node
   * that stops reporting is taken as finished when another starts.
   *
   * @returns the overall fraction, or `undefined` when nothing changed.
   */
  progress(node: unknown, value: unknown, max: unknown): number | undefined;
}

const finite = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * Turns ComfyUI's per-node progress into one fraction for the whole prompt that never goes
 * back: each node that counts steps (`max` above 1) is one equal share, and the number of
 * shares is at least the number of sampler nodes in the submitted graph, so a second sampler
 * (a refiner, a hires pass, Flux's two stages) continues from where the first ended instead of
 * starting again at 0. The fraction is also kept from decreasing when a node no one expected
 * starts counting steps.
 *
 * @param expectedSamplers - sampler nodes in the graph (at least 1 is assumed).
 */
export function createComfyUIProgressTracker(expectedSamplers: number): ComfyUIProgressTracker {
  const nodes = new Map<string, NodeProgress>();
  let sawState = false;
  let current: string | undefined;
  let last = -1;

  const fraction = (): number | undefined => {
    const stepped = [...nodes.values()].filter((node) => node.max > 1);
    if (stepped.length === 0) return undefined;
    const shares = Math.max(expectedSamplers, stepped.length, 1);
    const done = stepped.reduce(
      (sum, node) => sum + (node.finished ? 1 : Math.min(1, Math.max(0, node.value / node.max))),
      0,
    );
    const value = Math.max(last, Math.min(1, done / shares));
    if (value === last) return undefined;
    last = value;
    return value;
  };

  return {
    progressState(reported) {
      if (reported === null || typeof reported !== 'object') return undefined;
      sawState = true;
      for (const [id, entry] of Object.entries(reported as Record<string, unknown>)) {
        if (entry === null || typeof entry !== 'object') continue;
        const { value, max, state } = entry as { value?: unknown; max?: unknown; state?: unknown };
        if (!finite(value) || !finite(max) || max <= 0) continue;
        const known = nodes.get(id);
        // A finished node reports value = max; keep the largest max seen (it starts at 1).
        nodes.set(id, {
          value,
          max: Math.max(max, known?.max ?? 0),
          finished: state === 'finished' || state === 'error',
        });
      }
      return fraction();
    },
    progress(node, value, max) {
      if (sawState || !finite(value) || !finite(max) || max <= 0) return undefined;
      const id = typeof node === 'string' ? node : String(node ?? '');
      if (current !== undefined && current !== id) {
        const previous = nodes.get(current);
        if (previous !== undefined) previous.finished = true;
      }
      current = id;
      nodes.set(id, { value, max, finished: false });
      return fraction();
    },
  };
}
