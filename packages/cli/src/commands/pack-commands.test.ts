import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io.js';
import { useTemporaryDirectory } from '../../test/temporary-directory.js';
import { runCli } from '../run-cli.js';

const examplePack = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'examples',
  'world-pack',
  'ember-world',
);

let directory: string;
useTemporaryDirectory('layerloom-pack-cli-', (path) => {
  directory = path;
});

async function cli(...argv: string[]) {
  const io = captureIo({ cwd: directory });
  const code = await runCli(argv, { io });
  return { code, ...io.text() };
}

/** `node_modules/@studio/ember-world` linked to the example pack, as npm workspaces do. */
function installExample(): void {
  mkdirSync(join(directory, 'node_modules', '@studio'), { recursive: true });
  symlinkSync(examplePack, join(directory, 'node_modules', '@studio', 'ember-world'), 'dir');
}

describe('layerloom pack', () => {
  it('init scaffolds a pack that validate accepts', async () => {
    const init = await cli('pack', 'init', 'my-world', '--name', '@me/my-world');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('@me/my-world@0.1.0 is valid');
    const manifest = JSON.parse(
      readFileSync(join(directory, 'my-world', 'world-pack.json'), 'utf8'),
    );
    expect(manifest.$schema).toBe('./world-pack.schema.json');
    expect(existsSync(join(directory, 'my-world', 'world-pack.schema.json'))).toBe(true);
    const again = await cli('pack', 'init', 'my-world', '--name', '@me/my-world');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');
    const valid = await cli('pack', 'validate', 'my-world');
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/valid @me\/my-world@0\.1\.0: 2 entities, 1 styles/);
  });

  it('validate prints every problem with its JSON path', async () => {
    await cli('pack', 'init', 'bad', '--name', 'bad-world');
    const path = join(directory, 'bad', 'world-pack.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.version = 'latest';
    manifest.entities.hero.kind = 'hero';
    manifest.entities.meadow.referenceImages = [{ path: '../../etc/passwd' }];
    writeFileSync(path, JSON.stringify(manifest));
    const result = await cli('pack', 'validate', 'bad');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[pack_invalid]');
    expect(result.stderr).toContain('  version: Expected `version` to be a semantic version');
    expect(result.stderr).toContain('  entities.hero.kind: ');
    expect(result.stderr).toContain('  entities.meadow.referenceImages[0].path: ');
    const json = await cli('pack', 'validate', 'bad', '--json');
    expect(
      JSON.parse(json.stdout).problems.map((problem: { path: string }) => problem.path),
    ).toEqual(['version', 'entities.hero.kind', 'entities.meadow.referenceImages[0].path']);
  });

  it('ls lists installed packs and show lists entities with their reference image files', async () => {
    installExample();
    const ls = await cli('pack', 'ls');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/@studio\/ember-world\s+1\.2\.0\s+4\s+2\s+CC-BY-4\.0/);
    const show = await cli('pack', 'show', '@studio/ember-world@^1.2');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('credit: Ember World by Mira Ash (CC BY 4.0)');
    expect(show.stdout).toMatch(
      /knight\s+character\s+Ser Ember\s+hero, human\s+a1111, comfyui, openai\s+\S*refs\/knight\.png/,
    );
    expect(show.stdout).toMatch(/ink\s+Soot ink\s+0\.35\s+a1111/);
    const missing = await cli('pack', 'show', '@studio/ember-wrld');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('did you mean `@studio/ember-world`?');
  });

  it('render resolves `use` lines from the .loom folder and prints the credits', async () => {
    installExample();
    mkdirSync(join(directory, 'scenes'));
    writeFileSync(
      join(directory, 'scenes', 'camp.loom'),
      'size 96x64\nuse @studio/ember-world@^1.2 as w\n｜hero: $w.knight @A\n｜scene: $w.valley @B\n',
    );
    const result = await cli(
      'render',
      join(directory, 'scenes', 'camp.loom'),
      '-o',
      'out/camp.png',
      '--no-cache',
    );
    expect(result.code).toBe(0);
    expect(existsSync(join(directory, 'out', 'camp.png'))).toBe(true);
    expect(result.stdout).toContain(
      'credit: Ember World by Mira Ash (CC BY 4.0) (@studio/ember-world@1.2.0, CC-BY-4.0)',
    );
    expect(result.stdout).toContain('  entity knight in hero');
    const unknown = join(directory, 'scenes', 'typo.loom');
    writeFileSync(unknown, 'use @studio/ember-world@^1.2 as w\n｜hero: $w.knigth @A\n');
    const typo = await cli('render', unknown, '--dry-run');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean `knight`?');
    const check = await cli('check', unknown);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('`$w.knigth` names no entity of @studio/ember-world@1.2.0');
    expect(check.stderr).toContain('[pack_unknown_reference]');
    const fine = await cli('check', join(directory, 'scenes', 'camp.loom'));
    expect(fine.code).toBe(0);
    expect(fine.stdout).toContain('packs @studio/ember-world@1.2.0');
  });
});
