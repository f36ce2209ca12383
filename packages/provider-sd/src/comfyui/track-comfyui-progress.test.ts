import { describe, expect, it } from 'vitest';
import { createComfyUIProgressTracker } from './track-comfyui-progress.js';

const node = (value: number, max: number, state = 'running') => ({ value, max, state });

describe('createComfyUIProgressTracker', () => {
  it('runs once across two samplers of a progress_state', () => {
    const tracker = createComfyUIProgressTracker(2);
    expect(tracker.progressState({ '5': node(0, 1) })).toBeUndefined();
    expect(tracker.progressState({ '5': node(10, 20) })).toBe(0.25);
    expect(tracker.progressState({ '5': node(20, 20, 'finished') })).toBe(0.5);
    expect(
      tracker.progressState({ '5': node(20, 20, 'finished'), '6': node(0, 1) }),
    ).toBeUndefined();
    expect(tracker.progressState({ '5': node(20, 20, 'finished'), '6': node(5, 10) })).toBe(0.75);
    expect(
      tracker.progressState({ '5': node(20, 20, 'finished'), '6': node(10, 10, 'finished') }),
    ).toBe(1);
  });

  it('never goes back when a node nobody expected starts counting steps', () => {
    const tracker = createComfyUIProgressTracker(1);
    expect(tracker.progressState({ '3': node(4, 4, 'finished') })).toBe(1);
    // An upscaler with tiles: 1 of 2 shares done would be 0.5; the fraction stays at 1.
    expect(tracker.progressState({ '3': node(4, 4, 'finished'), '9': node(1, 8) })).toBeUndefined();
  });

  it('takes a legacy node as finished when another starts, and ignores legacy after progress_state', () => {
    const legacy = createComfyUIProgressTracker(2);
    expect(legacy.progress('5', 1, 2)).toBe(0.25);
    expect(legacy.progress('6', 1, 2)).toBe(0.75);
    const modern = createComfyUIProgressTracker(1);
    modern.progressState({ '3': node(1, 4) });
    expect(modern.progress('3', 3, 4)).toBeUndefined();
    expect(modern.progressState('not nodes')).toBeUndefined();
  });
});
