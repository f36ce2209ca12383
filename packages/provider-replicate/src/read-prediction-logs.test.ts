import { describe, expect, it } from 'vitest';
import { progressFromLogs, seedFromLogs } from './read-prediction-logs.js';

describe('prediction logs', () => {
  it('reads the last tqdm progress bar as a fraction of steps', () => {
    const logs = [
      'Using seed: 90210',
      '  0%|          | 0/28 [00:00<?, ?it/s]',
      ' 25%|██▌       | 7/28 [00:01<00:03, 6.20it/s]',
      ' 50%|█████     | 14/28 [00:02<00:02, 6.21it/s]',
    ].join('\n');
    expect(progressFromLogs(logs)).toBe(0.5);
    expect(progressFromLogs('100%|██████████| 4/4 [00:00<00:00, 9.1it/s]')).toBe(1);
    expect(progressFromLogs(' 76%|███████▌  | 0/0 [00:33<00:10]')).toBe(0.76);
  });

  it('reads carriage-return updates as lines, and nothing from logs without a bar', () => {
    expect(progressFromLogs(' 10%|█ | 1/10\r 20%|██ | 2/10')).toBe(0.2);
    expect(progressFromLogs('Loading weights\nDone')).toBeUndefined();
    expect(progressFromLogs(undefined)).toBeUndefined();
  });

  it('reads the seed a model printed', () => {
    expect(seedFromLogs('Using seed: 90210\n 10%|█ | 1/10')).toBe(90210);
    expect(seedFromLogs('using seed 7')).toBe(7);
    expect(seedFromLogs('seed unknown')).toBeUndefined();
    expect(seedFromLogs('Using seed: 99999999999999999999')).toBeUndefined();
  });
});
