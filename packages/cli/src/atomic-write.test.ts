import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbortError, ValidationError } from '@layerloom/core';
import { describe, expect, it, vi } from 'vitest';
import { useWriteHooks, writeHooks } from '../test/fs-write-hooks.js';
import { useTemporaryDirectory } from '../test/temporary-directory.js';
import { removeTemporaryFiles, writeFilesAtomically } from './atomic-write.js';

vi.mock('node:fs', async (importOriginal) => {
  const { mockWriteFile } = await import('../test/fs-write-hooks.js');
  return mockWriteFile(importOriginal);
});

let directory: string;
useTemporaryDirectory('layerloom-write-', (path) => {
  directory = path;
});
useWriteHooks();

/** Every entry under `directory` (files and folders), relative and sorted. */
const entries = () => readdirSync(directory, { recursive: true }).map(String).sort();

describe('writeFilesAtomically', () => {
  it('writes every file and leaves no temporary file', async () => {
    const written = await writeFilesAtomically([
      { path: join(directory, 'out/a.png'), data: new Uint8Array([1, 2, 3]) },
      { path: join(directory, 'out/layers/b.png'), data: new Uint8Array([4]) },
      { path: join(directory, 'out/a.png.manifest.json'), data: '{}\n' },
    ]);
    expect(written).toEqual([
      join(directory, 'out/a.png'),
      join(directory, 'out/layers/b.png'),
      join(directory, 'out/a.png.manifest.json'),
    ]);
    expect(entries()).toEqual([
      'out',
      'out/a.png',
      'out/a.png.manifest.json',
      'out/layers',
      'out/layers/b.png',
    ]);
    expect([...readFileSync(join(directory, 'out/a.png'))]).toEqual([1, 2, 3]);
    expect(writeHooks.writes).toBe(3);
  });

  it('on an abort between two writes, removes what it wrote (files and new folders) and keeps the old output', async () => {
    mkdirSync(join(directory, 'out'));
    writeFileSync(join(directory, 'out/a.png'), 'previous render');
    const controller = new AbortController();
    const reason = new AbortError('Interrupted (Ctrl-C)');
    writeHooks.afterWrite = (count) => {
      if (count === 2) controller.abort(reason);
    };
    const writing = writeFilesAtomically(
      [
        { path: join(directory, 'out/a.png'), data: 'new render' },
        { path: join(directory, 'out/layers/b.png'), data: 'layer' },
        { path: join(directory, 'out/layers/c.png'), data: 'layer' },
        { path: join(directory, 'out/a.png.manifest.json'), data: '{}' },
      ],
      { signal: controller.signal },
    );
    await expect(writing).rejects.toBe(reason);
    expect(writeHooks.writes).toBe(2);
    expect(entries()).toEqual(['out', 'out/a.png']);
    expect(readFileSync(join(directory, 'out/a.png'), 'utf8')).toBe('previous render');
    expect(removeTemporaryFiles()).toEqual([]);
  });

  it('writes nothing for an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeFilesAtomically([{ path: join(directory, 'out/a.png'), data: 'x' }], {
        signal: controller.signal,
      }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(entries()).toEqual([]);
  });

  it('takes back the files it renamed when a later rename fails', async () => {
    mkdirSync(join(directory, 'taken/inside'), { recursive: true });
    const writing = writeFilesAtomically([
      { path: join(directory, 'first.png'), data: 'x' },
      { path: join(directory, 'taken'), data: 'cannot replace a folder' },
    ]);
    await expect(writing).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(entries()).toEqual(['taken', 'taken/inside']);
  });

  it('refuses two files with the same path before writing anything', async () => {
    const path = join(directory, 'out/a.png');
    const writing = writeFilesAtomically([
      { path, data: 'x' },
      { path, data: 'y' },
    ]);
    await expect(writing).rejects.toBeInstanceOf(ValidationError);
    await expect(writing).rejects.toThrow('would be written twice');
    expect(entries()).toEqual([]);
  });
});

describe('removeTemporaryFiles (the second Ctrl-C)', () => {
  it('removes the temporary file of a write in flight', async () => {
    let release: () => void = () => {};
    writeHooks.hold = new Promise((resolve) => {
      release = resolve;
    });
    const writing = writeFilesAtomically([{ path: join(directory, 'a.png'), data: 'x' }]);
    const settled = writing.then(
      () => 'written',
      () => 'failed',
    );
    await expect.poll(entries).toHaveLength(1);
    const [temporary] = entries();
    expect(temporary).toMatch(/^\.a\.png\.\d+\.\d+\.tmp$/);

    expect(removeTemporaryFiles()).toEqual([join(directory, temporary!)]);
    expect(entries()).toEqual([]);
    release();
    // The write then finds its temporary file gone and fails; nothing appears.
    expect(await settled).toBe('failed');
    expect(entries()).toEqual([]);
    expect(existsSync(join(directory, 'a.png'))).toBe(false);
  });
});
