import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Packs every workspace package, installs the tarballs into a fresh project outside the repo
 * and imports each entry point from both ESM and CommonJS — the way users get them.
 */
const root = join(import.meta.dirname, '..', '..');
const packageNames = readdirSync(join(root, 'packages')).sort();
let project: string;

interface Manifest {
  name: string;
  exports: Record<string, unknown>;
}
const manifests: Manifest[] = packageNames.map(
  (name) =>
    JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as Manifest,
);
const entryPoints = manifests.flatMap((manifest) =>
  Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`)),
);

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' }).trim();
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'layerloom-packaging-'));
  const tarballs = join(project, 'tarballs');
  mkdirSync(tarballs);
  // The published packages only (the example world pack is a workspace too).
  const workspaces = packageNames.flatMap((name) => ['--workspace', `packages/${name}`]);
  execFileSync('npm', ['pack', ...workspaces, '--pack-destination', tarballs, '--silent'], {
    cwd: root,
    stdio: 'pipe',
  });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  // msw is the optional peer dependency of `@layerloom/core/testing`, as adapter authors install it.
  const msw = `msw@${(JSON.parse(readFileSync(join(root, 'node_modules', 'msw', 'package.json'), 'utf8')) as { version: string }).version}`;
  expect(files).toHaveLength(packageNames.length);
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...files, msw],
    { cwd: project, stdio: 'pipe' },
  );
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('installed packages', () => {
  it.each(entryPoints)('%s loads from ESM and CommonJS with the same exports', (entry) => {
    const esm = JSON.parse(
      node([
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default').sort()));`,
      ]),
    ) as string[];
    const cjs = JSON.parse(
      node([
        '-e',
        `const m = require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m).sort()));`,
      ]),
    ) as string[];
    expect(esm).toEqual(cjs);
  });

  it('core works from both formats, and its errors are recognised across the two copies', () => {
    const output = node([
      '--input-type=module',
      '-e',
      `
      import { createRequire } from 'node:module';
      import * as esm from '@layerloom/core';
      const cjs = createRequire(process.cwd() + '/')('@layerloom/core');
      const composition = esm.defineComposition({ width: 64, height: 64, layers: [{ id: 'a', prompt: 'p', provider: 'A' }] });
      let crossCopy = false;
      try { cjs.defineComposition({ width: 0, height: 64, layers: [] }); } catch (error) {
        crossCopy = esm.isLayerloomError(error) && error.code === 'validation_error' && !(error instanceof esm.ValidationError);
      }
      console.log(JSON.stringify({ layers: composition.layers.length, crossCopy }));
      `,
    ]);
    expect(JSON.parse(output)).toEqual({ layers: 1, crossCopy: true });
  });

  it('installs a working `layerloom` executable', () => {
    writeFileSync(join(project, 'scene.loom'), '｜hero: a knight @A\n｜scene: a forest @B\n');
    const output = execFileSync(
      join(project, 'node_modules', '.bin', 'layerloom'),
      ['check', 'scene.loom'],
      // CI=true makes picocolors colour even a pipe; the assertion reads plain text.
      { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(output).toContain('ok scene.loom: 1024x1024, 2 layer(s) (hero, scene)');
  });
});
