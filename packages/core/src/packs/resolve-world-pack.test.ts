import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../testing/thrown-by.js';
import { parseWorldPackSource } from './parse-world-pack-source.js';
import { resolveWorldPack } from './resolve-world-pack.js';
import { WorldPackError } from './world-pack-error.js';
import { testManifest, writeTestPack } from './write-test-pack.js';

async function project(): Promise<string> {
  // project/node_modules/@studio/ember-world@1.2.3, project/scenes/node_modules/…@2.0.0
  const root = await mkdtemp(join(tmpdir(), 'layerloom-project-'));
  await writeTestPack(undefined, undefined, join(root, 'node_modules', '@studio', 'ember-world'));
  await writeTestPack(
    testManifest({ version: '2.0.0' }),
    undefined,
    join(root, 'scenes', 'node_modules', '@studio', 'ember-world'),
  );
  await mkdir(join(root, 'scenes', 'deep'), { recursive: true });
  return root;
}

const packFailure = (promise: Promise<unknown>) => rejectionOf(promise, WorldPackError);

describe('parseWorldPackSource', () => {
  it('tells paths from packages with ranges', () => {
    expect(parseWorldPackSource('./packs/ember')).toEqual({ kind: 'path', path: './packs/ember' });
    expect(parseWorldPackSource('@studio/ember-world@^1.2')).toEqual({
      kind: 'package',
      name: '@studio/ember-world',
      range: '^1.2',
    });
    expect(parseWorldPackSource('ember-world')).toEqual({
      kind: 'package',
      name: 'ember-world',
      range: '*',
    });
    expect(parseWorldPackSource('Ember World')).toBeUndefined();
    expect(parseWorldPackSource('ember@banana')).toBeUndefined();
  });
});

describe('resolveWorldPack', () => {
  it('loads a folder relative to the base directory', async () => {
    const root = await project();
    const pack = await resolveWorldPack('../node_modules/@studio/ember-world', {
      baseDirectory: join(root, 'scenes'),
    });
    expect(pack.version).toBe('1.2.3');
  });

  it('finds the nearest installed package whose version satisfies the range', async () => {
    const root = await project();
    const base = join(root, 'scenes', 'deep');
    expect(
      (await resolveWorldPack('@studio/ember-world@^2', { baseDirectory: base })).version,
    ).toBe('2.0.0');
    // The nearest copy is 2.0.0; the range skips it for the 1.2.3 further up.
    expect(
      (await resolveWorldPack('@studio/ember-world@^1.2', { baseDirectory: base })).version,
    ).toBe('1.2.3');
    expect((await resolveWorldPack('@studio/ember-world', { baseDirectory: base })).version).toBe(
      '2.0.0',
    );
  });

  it('says which versions are installed when none satisfies the range', async () => {
    const root = await project();
    const error = await packFailure(
      resolveWorldPack('@studio/ember-world@^3', { baseDirectory: join(root, 'scenes') }),
    );
    expect(error.code).toBe('pack_version_unsatisfied');
    expect(error.message).toContain('"^3"');
    expect(error.message).toContain('2.0.0');
    expect(error.message).toContain('1.2.3');
  });

  it('suggests the closest installed name for an unknown pack', async () => {
    const root = await project();
    const error = await packFailure(
      resolveWorldPack('@studio/ember-wrld@^1', { baseDirectory: root }),
    );
    expect(error.code).toBe('pack_not_found');
    expect(error.suggestion).toBe('@studio/ember-world');
    expect(error.message).toContain('did you mean `@studio/ember-world`?');
  });

  it('refuses a source that is neither a path nor a package', async () => {
    expect((await packFailure(resolveWorldPack('not a pack!'))).code).toBe('pack_not_found');
  });
});
