import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess } from './run-bin.js';

// The commands a newcomer copies from the docs, run exactly as printed, from a shell in the
// clone, with the npm registry out of reach: none of them may need it.
const root = join(import.meta.dirname, '..', '..', '..');
const offline = {
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
};
const bash = execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
const created: string[] = [];
afterAll(() => {
  for (const path of created) rmSync(path, { recursive: true, force: true });
});

/** The command, after checking that `doc` prints it character for character. */
function documented(doc: string, command: string): string {
  expect(readFileSync(join(root, doc), 'utf8'), `${doc} prints \`${command}\``).toContain(command);
  return command;
}

/** Runs `command` in bash in `cwd`, as a user's shell would, without a TTY. */
function shell(command: string, cwd: string, env: Record<string, string> = {}) {
  return startProcess(bash, ['-c', command], cwd, { ...offline, ...env }).done;
}

/** A fresh directory inside the clone (under the ignored `out/`), where npx finds the link. */
function workDirectory(): string {
  mkdirSync(join(root, 'out'), { recursive: true });
  const path = mkdtempSync(join(root, 'out', 'documented-'));
  created.push(path);
  return path;
}

const pngSignature = '137,80,78,71,13,10,26,10';
const isPng = (path: string) => [...readFileSync(path).subarray(0, 8)].join() === pngSignature;

describe('the commands the docs print (subprocesses, registry unreachable)', {
  timeout: 120_000,
}, () => {
  it('`npx --no-install layerloom --help` runs the local command that npm ci linked', async () => {
    const command = documented('README.md', 'npx --no-install layerloom --help');
    documented('docs/cli.md', command);
    expect(readlinkSync(join(root, 'node_modules', '.bin', 'layerloom'))).toBe(
      '../@layerloom/cli/bin/layerloom.js',
    );
    const { code, stdout, stderr } = await shell(command, root);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Usage: layerloom [options] [command]');
    expect(stderr).toBe('');
  });

  it('getting started: init, render and --dry-run in a directory of the clone', async () => {
    const directory = workDirectory();
    for (const command of [
      'npx --no-install layerloom init',
      'npx --no-install layerloom render scene.loom -o out/scene.png --manifest',
      'npx --no-install layerloom render scene.loom --dry-run',
    ]) {
      const { code, stderr } = await shell(
        documented('docs/getting-started.md', command),
        directory,
      );
      expect(code, `${command}\n${stderr}`).toBe(0);
    }
    expect(isPng(join(directory, 'out', 'scene.png'))).toBe(true);
    expect(existsSync(join(directory, 'out', 'scene.png.manifest.json'))).toBe(true);
  });

  it('docs/cli.md: the studio example, from the root of the clone', async () => {
    const studio = join(root, 'examples', 'cli', 'studio');
    created.push(join(studio, 'out'), join(studio, '.layerloom'));
    const command = documented(
      'docs/cli.md',
      'cd examples/cli/studio && npx --no-install layerloom render poster.loom --var hero="a fox" --manifest',
    );
    const { code, stderr } = await shell(command, root);
    expect(code, stderr).toBe(0);
    expect(isPng(join(studio, 'out', 'poster.png'))).toBe(true);
  });

  it('`npm run demo` renders the seed to out/seed.png', async () => {
    const { code, stderr } = await shell(documented('README.md', 'npm run demo'), root);
    expect(code, stderr).toBe(0);
    expect(isPng(join(root, 'out', 'seed.png'))).toBe(true);
  });

  it('unknown aliases: every configured alias, the nearest one, in render and check alike', async () => {
    const directory = workDirectory();
    writeFileSync(
      join(directory, 'layerloom.config.json'),
      JSON.stringify({
        providers: {
          CHAR: { type: 'preview' },
          SCENE: { type: 'preview' },
          STYLE: { type: 'preview' },
        },
      }),
    );
    writeFileSync(
      join(directory, 'scene.loom'),
      'size 64x64\n｜hero: a knight @CHAR\n｜scene: forest @SCENEX\n—style: ink @STYLE\n',
    );
    writeFileSync(join(directory, 'only.loom'), 'size 64x64\n｜hero: a knight @CHR\n');
    // The message docs/cli.md shows is what both commands print.
    const expected =
      'scene.loom:3:16: Invalid composition: `layers[1].provider`: unknown provider alias "SCENEX"; the nearest configured alias is "SCENE" (configured: "CHAR", "SCENE", "STYLE")';
    documented('docs/cli.md', expected);
    for (const command of [
      'npx --no-install layerloom render scene.loom',
      'npx --no-install layerloom check scene.loom',
    ]) {
      const { code, stderr } = await shell(command, directory);
      expect(code, command).toBe(1);
      expect(stderr.trim(), command).toBe(expected);
    }
    const only = await shell('npx --no-install layerloom render only.loom', directory);
    expect(only.code).toBe(1);
    expect(only.stderr.trim()).toBe(
      'only.loom:2:17: Invalid composition: `layers[0].provider`: unknown provider alias "CHR"; the nearest configured alias is "CHAR" (configured: "CHAR", "SCENE", "STYLE")',
    );
    expect(only.stderr).not.toContain('Invalid loom options');
  });

  it('render errors start with file:line:column:, as check and docs/cli.md give them', async () => {
    const directory = workDirectory();
    writeFileSync(join(directory, 'scene.loom'), 'size 64x64\n｜hero: a knight @A {w: 20x}\n');
    const render = await shell('npx --no-install layerloom render scene.loom', directory);
    const check = await shell('npx --no-install layerloom check scene.loom', directory);
    expect(render.code).toBe(1);
    expect(render.stderr).toMatch(/^scene\.loom:2:\d+: /);
    expect(render.stderr).toBe(check.stderr);
  });

  it('`--var` help shows no default', async () => {
    const { code, stdout } = await shell('npx --no-install layerloom render --help', root);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--var <name=value>\s+set \$name in prompts \(repeatable\)\n/);
    expect(stdout).not.toContain('(default: {})');
  });

  it('npm ci has no unreviewed install scripts to warn about', async () => {
    const { code, stdout } = await shell('npm install-scripts ls', root);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('No packages with unreviewed install scripts.');
  });

  it('`npm run docs` names the modules by package and warns about nothing', async () => {
    const command = 'npm run docs';
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`${command}\` generates it`);
    const { code, stdout, stderr } = await shell(command, root);
    expect(code, stderr).toBe(0);
    expect(`${stdout}${stderr}`).not.toMatch(/warning/i);
    const index = readFileSync(join(root, 'docs', 'api', 'index.html'), 'utf8');
    for (const name of ['core', 'core/http', 'core/pipeline', 'core/testing', 'compositor', 'cli'])
      expect(index).toContain(`>@layerloom/${name}<`);
    expect(index).not.toMatch(/>[a-z-]+\/src/);
  });

  it('without Redis, the queue tests are skipped and say so, as the README tells', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('The queue tests (`packages/queue-bullmq`) need Redis');
    expect(readme).toContain('scripts/with-redis.sh npm test');
    // A PATH with node alone: no redis-server to start.
    const bin = mkdtempSync(join(tmpdir(), 'layerloom-no-redis-'));
    created.push(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const { code, stdout, stderr } = await shell(
      `node ${vitest} run packages/queue-bullmq/src/worker-executor.test.ts`,
      root,
      { PATH: bin },
    );
    expect(code, stderr).toBe(0);
    expect(`${stdout}${stderr}`).toContain('Skipping: queue tests need Redis');
    expect(stdout).toMatch(/skipped/);
  });
});
