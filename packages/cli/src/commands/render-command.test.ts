import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbortError } from '@layerloom/core';
import { describe, expect, it, vi } from 'vitest';
import { captureIo } from '../../test/capture-io.js';
import { useWriteHooks, writeHooks } from '../../test/fs-write-hooks.js';
import { useTemporaryDirectory } from '../../test/temporary-directory.js';
import { type RenderOptions, renderCommand } from './render-command.js';

vi.mock('node:fs', async (importOriginal) => {
  const { mockWriteFile } = await import('../../test/fs-write-hooks.js');
  return mockWriteFile(importOriginal);
});

let directory: string;
useTemporaryDirectory('layerloom-render-abort-', (path) => {
  directory = path;
  writeFileSync(
    join(path, 'scene.loom'),
    'size 64x48\n｜hero: a knight @A {w: 50%}\n｜scene: a forest @B\n—style: ink @Z\n',
  );
});
useWriteHooks();

const testIo = () => captureIo({ cwd: directory });

const options = (signal: AbortSignal): RenderOptions => ({
  output: 'out/scene.png',
  layersDir: 'out/layers',
  manifest: true,
  json: true,
  dryRun: false,
  variables: {},
  cache: false,
  signal,
});

const files = () =>
  readdirSync(directory, { recursive: true })
    .map(String)
    .filter((path) => path !== 'scene.loom')
    .sort();

describe('renderCommand: Ctrl-C while the files are being written', () => {
  it('stops between two writes, removes what this run wrote, keeps the earlier output, exits 130', async () => {
    mkdirSync(join(directory, 'out'));
    writeFileSync(join(directory, 'out/scene.png'), 'the previous render');
    const controller = new AbortController();
    // Five files: image, three layer images, manifest. Ctrl-C lands after the second.
    writeHooks.afterWrite = (count) => {
      if (count === 2) controller.abort(new AbortError('Interrupted (Ctrl-C)'));
    };
    const io = testIo();
    const code = await renderCommand(join(directory, 'scene.loom'), options(controller.signal), io);
    expect(code).toBe(130);
    expect(writeHooks.writes).toBe(2);
    expect(io.text().stderr).toContain('Render cancelled; nothing was written.');
    expect(io.text().stdout).toBe('');
    expect(files()).toEqual(['out', 'out/scene.png']);
    expect(readFileSync(join(directory, 'out/scene.png'), 'utf8')).toBe('the previous render');
  });

  it('writes all five files when nothing interrupts it', async () => {
    const io = testIo();
    const code = await renderCommand(
      join(directory, 'scene.loom'),
      options(new AbortController().signal),
      io,
    );
    expect(code, io.text().stderr).toBe(0);
    expect(writeHooks.writes).toBe(5);
    expect(JSON.parse(io.text().stdout).files).toHaveLength(5);
    expect(files()).toEqual([
      'out',
      'out/layers',
      'out/layers/hero.png',
      'out/layers/scene.png',
      'out/layers/style.png',
      'out/scene.png',
      'out/scene.png.manifest.json',
    ]);
  });
});
