import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBlobStore } from '@layerloom/queue-bullmq';
import { afterAll, describe, expect, it } from 'vitest';

describe('fileBlobStore', () => {
  const directories: string[] = [];
  afterAll(async () => {
    await Promise.all(
      directories.map((directory) => rm(directory, { recursive: true, force: true })),
    );
  });

  it('puts, gets and deletes objects atomically by key', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'layerloom-blobs-'));
    directories.push(directory);
    const store = fileBlobStore(directory);
    await store.put('images/ab/abc', new Uint8Array([1, 2, 3]));
    expect(await store.get('images/ab/abc')).toEqual(new Uint8Array([1, 2, 3]));
    await store.delete('images/ab/abc');
    expect(await store.get('images/ab/abc')).toBeUndefined();
    await store.delete('images/ab/abc');
  });

  it('rejects keys that leave the directory with a ValidationError', async () => {
    const store = fileBlobStore(tmpdir());
    await expect(store.get('../etc/passwd')).rejects.toMatchObject({ code: 'validation_error' });
    expect(() => fileBlobStore('')).toThrow(expect.objectContaining({ code: 'validation_error' }));
  });
});
