import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBin, startBin } from './run-bin.js';

const scene = `size 96x64
seed 3
｜hero: a knight in silver armour @A {w: 50%, h: 100%, x: 25%}
｜scene: misty forest at dawn @B
—style: watercolour @Z {strength: 0.4}
`;
const pngSignature = [137, 80, 78, 71, 13, 10, 26, 10];
const escapeCharacter = String.fromCharCode(27);
let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'layerloom-cli-'));
  writeFileSync(join(directory, 'scene.loom'), scene);
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const isPng = (path: string) =>
  pngSignature.every((value, index) => readFileSync(path)[index] === value);

describe('layerloom (as a subprocess, no TTY)', () => {
  it('renders offline with the preview provider and prints readable progress and a summary', async () => {
    const { code, stdout, stderr } = await runBin(
      ['render', 'scene.loom', '-o', 'out/scene.png', '--layers-dir', 'out/layers', '--manifest'],
      directory,
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(
      'No layerloom.config found: every alias (A, B, Z) is painted by the offline preview provider.',
    );
    // Not a TTY: progress is plain timestamped lines, one per change.
    expect(stderr).toMatch(/^\[\s*\d+\.\ds\] hero @A preview\/preview-v1: queued \(0 ahead\)$/m);
    expect(stderr).toMatch(/^\[\s*\d+\.\ds\] hero: done in \d+\.\ds · \$0\.000$/m);
    expect(stderr).toMatch(/^\[\s*\d+\.\ds\] composite: done in \d+\.\ds$/m);
    expect(isPng(join(directory, 'out/scene.png'))).toBe(true);
    expect(readdirSync(join(directory, 'out/layers')).sort()).toEqual([
      'hero.png',
      'scene.png',
      'style.png',
    ]);
    const manifest = JSON.parse(
      readFileSync(join(directory, 'out/scene.png.manifest.json'), 'utf8'),
    );
    expect(manifest.steps.map((step: { id: string }) => step.id).sort()).toEqual([
      'hero',
      'scene',
      'style',
    ]);
    expect(stdout).toMatch(/hero\s+A\s+preview\/preview-v1\s+no\s+1/);
    expect(stdout).toMatch(/total\s+\d+\.\ds\s+\$0\.000/);
    expect(`${stdout}${stderr}`).not.toContain(escapeCharacter);
  });

  it('serves a second render from the file cache, and --no-cache bypasses it', async () => {
    expect((await runBin(['render', 'scene.loom', '--json'], directory)).code).toBe(0);
    const cached = JSON.parse((await runBin(['render', 'scene.loom', '--json'], directory)).stdout);
    expect(cached.layers.map((layer: { cached: boolean }) => layer.cached)).toEqual([true, true]);
    expect(existsSync(join(directory, '.layerloom/cache'))).toBe(true);
    const fresh = JSON.parse(
      (await runBin(['render', 'scene.loom', '--json', '--no-cache'], directory)).stdout,
    );
    expect(fresh.layers.map((layer: { cached: boolean }) => layer.cached)).toEqual([false, false]);
  });

  it('prints the plan and cost estimate with --dry-run and writes nothing', async () => {
    const { code, stdout } = await runBin(
      ['render', 'scene.loom', '--dry-run', '--seed', '9'],
      directory,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/hero\s+A\s+preview\/preview-v1\s+48x64\s+yes/);
    expect(stdout).toContain('Estimated cost: $0.000. Nothing was called.');
    expect(existsSync(join(directory, 'out'))).toBe(false);
    const json = JSON.parse(
      (await runBin(['render', 'scene.loom', '--dry-run', '--json'], directory)).stdout,
    );
    expect(json.plan.steps.map((step: { id: string }) => step.id)).toEqual([
      'scene',
      'hero',
      'style',
    ]);
  });

  it('reports notation errors with file, line, column and a caret', async () => {
    writeFileSync(join(directory, 'bad.loom'), '｜hero: a knight @A {opacity: 3}\n');
    const { code, stderr } = await runBin(['check', 'bad.loom'], directory);
    expect(code).toBe(1);
    expect(stderr).toContain('bad.loom:1:30: Expected `opacity` to be a number from 0 to 1');
    expect(stderr).toContain('1 | ｜hero: a knight @A {opacity: 3}');
    expect(stderr).toMatch(/\n\s+\|\s+\^/);
    const ok = await runBin(['check', 'scene.loom'], directory);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ok scene.loom: 96x64, 2 layer(s) (hero, scene), style @Z');
  });

  it('names the missing environment variable of a configured provider, and refuses keys in the config', async () => {
    writeFileSync(
      join(directory, 'layerloom.config.json'),
      JSON.stringify({
        providers: {
          A: { type: 'openai', model: 'gpt-image-1' },
          B: { type: 'preview' },
          Z: { type: 'preview' },
        },
      }),
    );
    const missing = await runBin(['render', 'scene.loom'], directory);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('OPENAI_API_KEY');
    writeFileSync(
      join(directory, 'layerloom.config.json'),
      JSON.stringify({
        providers: { A: { type: 'openai', model: 'gpt-image-1', apiKey: 'sk-do-not-store' } },
      }),
    );
    const secret = await runBin(['providers'], directory);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain('secrets do not belong in');
    expect(secret.stderr).not.toContain('sk-do-not-store');
  });

  it('uses a JS config that builds its own Provider object, and lists it', async () => {
    writeFileSync(
      join(directory, 'layerloom.config.mjs'),
      `import { createPreviewProvider } from '@layerloom/core';
export default {
  providers: { A: { ...createPreviewProvider({ modelId: 'custom-model' }), id: 'custom' }, B: { type: 'preview' }, Z: { type: 'preview' } },
  limits: { A: { concurrency: 1 } },
  cache: false,
};
`,
    );
    const listed = await runBin(['providers', '--json'], directory);
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      JSON.parse(listed.stdout).providers.map(
        (row: { alias: string; model: string }) => `${row.alias}:${row.model}`,
      ),
    ).toEqual(['A:custom-model', 'B:preview-v1', 'Z:preview-v1']);
    const rendered = await runBin(['render', 'scene.loom', '--json'], directory);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(JSON.parse(rendered.stdout).layers[0]).toMatchObject({
      id: 'hero',
      providerId: 'custom',
      modelId: 'custom-model',
    });
    expect(existsSync(join(directory, '.layerloom'))).toBe(false);
  });

  it('cancels cleanly on Ctrl-C: exit 130, no output and no temporary file left', async () => {
    writeFileSync(
      join(directory, 'layerloom.config.json'),
      JSON.stringify({
        providers: {
          A: { type: 'preview', latencyMs: 20_000 },
          B: { type: 'preview', latencyMs: 20_000 },
          Z: { type: 'preview' },
        },
      }),
    );
    const process = startBin(['render', 'scene.loom', '-o', 'out/scene.png'], directory);
    await expect
      .poll(() => process.output().stdout + process.output().stderr, { timeout: 15_000 })
      .toContain('queued');
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.child.kill('SIGINT');
    const { code, stderr } = await process.done;
    expect(code).toBe(130);
    expect(stderr).toContain('Render cancelled; nothing was written.');
    expect(existsSync(join(directory, 'out/scene.png'))).toBe(false);
    const leftovers = existsSync(join(directory, 'out')) ? readdirSync(join(directory, 'out')) : [];
    expect(leftovers).toEqual([]);
  });

  it('writes a starter config and scene with init, and refuses to overwrite them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'layerloom-init-'));
    try {
      expect((await runBin(['init'], empty)).code).toBe(0);
      expect(readdirSync(empty).sort()).toEqual(['layerloom.config.mjs', 'scene.loom']);
      const again = await runBin(['init'], empty);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('--force');
      const check = await runBin(['check', 'scene.loom'], empty);
      expect(check.code, check.stderr).toBe(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('answers usage errors with help and exit code 2', async () => {
    const { code, stderr } = await runBin(['render'], directory);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'file'");
  });
});
