import { describe, expect, it } from 'vitest';
import { createTestCleanup } from './create-test-cleanup.js';

describe('createTestCleanup', () => {
  it('closes what was registered newest first, once', async () => {
    const cleanup = createTestCleanup();
    const closed: string[] = [];
    const server = cleanup.track({ close: async () => void closed.push('server') });
    cleanup.track({ close: () => closed.push('adapter') });
    cleanup.defer(() => closed.push('timer'));
    expect(typeof server.close).toBe('function');
    await cleanup.run();
    expect(closed).toEqual(['timer', 'adapter', 'server']);
    await cleanup.run();
    expect(closed).toHaveLength(3);
  });

  it('runs every cleanup when one fails, then rethrows the first failure', async () => {
    const cleanup = createTestCleanup();
    const closed: string[] = [];
    cleanup.defer(() => closed.push('first'));
    cleanup.defer(() => {
      throw new TypeError('second failed');
    });
    cleanup.defer(() => Promise.reject(new RangeError('third failed')));
    await expect(cleanup.run()).rejects.toThrow(RangeError);
    expect(closed).toEqual(['first']);
  });
});
