import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./sdk-quickstart.ts', import.meta.url));

/** The first ```ts block after "## Use it" in the README. */
function readmeSnippet(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it\n'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error('README.md has no ```ts block under "## Use it"');
  return match[1]!;
}

describe('examples/cli/sdk-quickstart.ts (the README snippet)', () => {
  it('is the README snippet, character for character, and about 15 lines long', () => {
    const snippet = readmeSnippet();
    const file = readFileSync(script, 'utf8');
    expect(file.slice(file.indexOf('*/\n') + 3)).toBe(snippet);
    expect(snippet.trimEnd().split('\n').length).toBeLessThanOrEqual(16);
    expect(snippet).toContain("import { mkdir, writeFile } from 'node:fs/promises';");
    // It writes under out/, which .gitignore lists, not into the root of a clone.
    expect(snippet).toContain("writeFile('out/quickstart.png'");
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain('out/');
  });

  it('runs offline without OPENAI_API_KEY and writes a composed PNG', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'layerloom-quickstart-'));
    try {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
      const tsx = createRequire(import.meta.url).resolve('tsx/cli');
      const run = spawnSync(
        process.execPath,
        [tsx, '--tsconfig', join(root, 'tsconfig.json'), script],
        { cwd, env, encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const png = readFileSync(join(cwd, 'out', 'quickstart.png'));
      expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
      // IHDR: the composition's default size.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
