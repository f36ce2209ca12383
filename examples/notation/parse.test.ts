import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const directory = mkdtempSync(join(tmpdir(), 'layerloom-notation-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the example as a user would, from the repository root. */
function runExample(...args: string[]) {
  return spawnSync(
    process.execPath,
    [tsx, '--tsconfig', 'tsconfig.json', 'examples/notation/parse.ts', ...args],
    { cwd: root, encoding: 'utf8' },
  );
}

describe('examples/notation/parse.ts', () => {
  it('parses examples/seed.loom and prints the composition and its canonical notation', () => {
    const run = runExample();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [json, notation] = run.stdout.split('\n# canonical notation\n');
    expect(JSON.parse(json!)).toEqual({
      width: 1024,
      height: 1024,
      layers: [
        { id: 'layer1', prompt: '人物 prompts', provider: 'A' },
        { id: 'layer2', prompt: '场景 prompt', provider: 'B' },
        { id: 'layerx', prompt: 'prompt', provider: 'X' },
      ],
      style: { prompt: 'style prompt', provider: 'Z' },
    });
    expect(notation).toContain('| layer1: 人物 prompts @A\n');
    expect(notation).toContain('— style: style prompt @Z\n');
  });

  it('expands caller variables', () => {
    const file = join(directory, 'palette.loom');
    writeFileSync(file, '| sky: a sky in $palette @A\n');
    const run = runExample(file);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"prompt": "a sky in warm earth tones"');
  });

  it('prints a notation error with its code frame and exits with 1', () => {
    const file = join(directory, 'broken.loom');
    writeFileSync(file, 'size 1024x1024\n| hero: a knight @A {opacity: 3}\n');
    const run = runExample(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:2:31`);
    expect(run.stderr).toContain('Expected `opacity` to be a number from 0 to 1');
    expect(run.stderr).toContain('2 | | hero: a knight @A {opacity: 3}');
  });
});
