import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@layerloom/core';
import { type BlobStore, fileBlobStore, sweepBlobStore } from '@layerloom/queue-bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'layerloom-sweep-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const day = 24 * 60 * 60 * 1000;

describe('sweepBlobStore', () => {
  it('deletes what was not written for the given age, under the given prefixes only', async () => {
    const store = fileBlobStore(directory);
    const now = Date.now();
    const put = async (key: string, bytes: number, ageMs: number) => {
      await store.put(key, new Uint8Array(bytes));
      const when = new Date(now - ageMs);
      await utimes(join(directory, key), when, when);
    };
    await put('images/ab/ab01', 100, 10 * day);
    await put('images/cd/cd02', 200, 1 * day);
    await put('results/job-1.json', 30, 8 * day);
    await put('results/job-2.json', 40, 0);
    await put('other/keep', 50, 30 * day);

    expect((await store.list('images/')).map((entry) => entry.key)).toEqual([
      'images/ab/ab01',
      'images/cd/cd02',
    ]);
    expect(await store.list('missing/')).toEqual([]);

    const result = await sweepBlobStore({ store, olderThanMs: 7 * day, now });
    expect(result).toEqual({ deleted: 2, deletedBytes: 130, kept: 2 });
    expect(await store.get('images/ab/ab01')).toBeUndefined();
    expect(await store.get('results/job-1.json')).toBeUndefined();
    expect(await store.get('images/cd/cd02')).toHaveLength(200);
    expect(await store.get('other/keep')).toHaveLength(50);

    // Writing again refreshes an object's age: a re-used image is never swept.
    await put('images/cd/cd02', 200, 9 * day);
    await store.put('images/cd/cd02', new Uint8Array(200));
    expect((await sweepBlobStore({ store, olderThanMs: 7 * day })).deleted).toBe(0);
  });

  it('refuses a store that cannot list, and malformed options, naming the field', async () => {
    const store: BlobStore = {
      put: async () => {},
      get: async () => undefined,
      delete: async () => {},
    };
    await expect(sweepBlobStore({ store })).rejects.toThrow(ValidationError);
    await expect(sweepBlobStore({ store })).rejects.toThrow('`store.list`');
    await expect(
      sweepBlobStore({ store: fileBlobStore(directory), olderThanMs: -1 }),
    ).rejects.toThrow(/olderThanMs/);
    await expect(fileBlobStore(directory).list('../etc')).rejects.toThrow(ValidationError);
  });
});
