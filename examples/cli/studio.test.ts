import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../../packages/cli/test/run-bin.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'layerloom-studio-'));
  await cp(join(import.meta.dirname, 'studio'), directory, { recursive: true });
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('examples/cli/studio (docs/cli.md)', () => {
  it('lists its configured aliases', async () => {
    const { code, stdout, stderr } = await runBin(['providers'], directory);
    expect(code, stderr).toBe(0);
    for (const alias of ['CHAR', 'SCENE', 'STYLE'])
      expect(stdout).toMatch(new RegExp(`^${alias}\\s+preview`, 'm'));
  }, 60_000);

  it('renders poster.loom with a variable, writing the picture and its manifest', async () => {
    const { code, stderr } = await runBin(
      [
        'render',
        'poster.loom',
        '--var',
        'hero=a fox in a red scarf',
        '-o',
        'out/poster.png',
        '--manifest',
      ],
      directory,
    );
    expect(code, stderr).toBe(0);
    const png = await readFile(join(directory, 'out', 'poster.png'));
    expect(png.readUInt32BE(16)).toBe(768); // IHDR width
    expect(png.readUInt32BE(20)).toBe(512);
    const manifest = JSON.parse(
      await readFile(join(directory, 'out', 'poster.png.manifest.json'), 'utf8'),
    );
    expect(manifest.composition.layers.map((layer: { id: string }) => layer.id)).toEqual([
      'hero',
      'glow',
      'scene',
    ]);
    expect(manifest.composition.layers[0].prompt).toBe('a fox in a red scarf, full body');
    expect(manifest.composition.style).toMatchObject({ provider: 'STYLE', strength: 0.35 });
  }, 60_000);
});
