import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io.js';
import { useTemporaryDirectory } from '../../test/temporary-directory.js';
import { type RenderOptions, renderCommand } from './render-command.js';

const scene = (hero: string) =>
  `size 96x64\nseed 3\n｜hero: a knight @A {${hero}}\n｜scene: a forest at dusk @B\n`;

let directory: string;
useTemporaryDirectory('layerloom-before-harmony-', (path) => {
  directory = path;
  writeFileSync(
    join(path, 'harmonized.loom'),
    scene('w: 50%, harmonize: scene amount 1, shadow: on'),
  );
  writeFileSync(join(path, 'plain.loom'), scene('w: 50%'));
});

const options = (output: string, beforeHarmony?: string): RenderOptions => ({
  output,
  json: true,
  dryRun: false,
  variables: {},
  cache: false,
  ...(beforeHarmony === undefined ? {} : { beforeHarmony }),
});

describe('layerloom render --before-harmony', () => {
  it('writes the composite without harmony: the bytes of the same file rendered without it', async () => {
    const io = captureIo({ cwd: directory });
    const code = await renderCommand(
      join(directory, 'harmonized.loom'),
      options('out/after.png', 'out/before.png'),
      io,
    );
    expect(code, io.text().stderr).toBe(0);
    expect(JSON.parse(io.text().stdout).files).toHaveLength(2);
    const plainIo = captureIo({ cwd: directory });
    expect(
      await renderCommand(join(directory, 'plain.loom'), options('out/plain.png'), plainIo),
    ).toBe(0);
    const read = (name: string) => readFileSync(join(directory, 'out', name));
    expect(read('before.png').equals(read('plain.png'))).toBe(true);
    expect(read('before.png').equals(read('after.png'))).toBe(false);
  });

  it('writes nothing more, and says so, when no layer has harmony', async () => {
    const io = captureIo({ cwd: directory });
    const code = await renderCommand(
      join(directory, 'plain.loom'),
      options('out/plain.png', 'out/before.png'),
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(io.text().stdout).files).toHaveLength(1);
    expect(io.text().stderr).toContain(
      'No layer has harmonize, shadow or wrap: --before-harmony wrote nothing.',
    );
  });
});
