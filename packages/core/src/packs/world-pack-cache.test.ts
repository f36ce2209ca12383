import { mkdtemp, readdir, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../testing/thrown-by.js';
import { createWorldPackCache } from './world-pack-cache.js';
import { WorldPackError } from './world-pack-error.js';
import { testManifest, tinyPng, writeTestPack } from './write-test-pack.js';

/** Sets every file of a pack (and its folders) a minute into the past: past the racy window. */
async function age(directory: string): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  for (const entry of await readdir(directory, { recursive: true })) {
    await utimes(join(directory, entry), past, past);
  }
  await utimes(directory, past, past);
}

describe('createWorldPackCache', () => {
  it('loads a pack once and hands out the same object while its files are unchanged', async () => {
    const directory = await writeTestPack();
    await age(directory);
    const cache = createWorldPackCache();
    const first = await cache.resolve(directory);
    const again = await cache.resolve(directory);
    expect(again).toBe(first);
    expect(cache.size).toBe(1);
    expect(first.images.get('refs/knight.png')?.bytes).toEqual(tinyPng());
  });

  it('loads the pack again when a reference image changes, even with the same size', async () => {
    const directory = await writeTestPack();
    await age(directory);
    const cache = createWorldPackCache();
    const first = await cache.resolve(directory);
    await writeFile(join(directory, 'refs', 'knight.png'), tinyPng(90));
    const second = await cache.resolve(directory);
    expect(second).not.toBe(first);
    expect(second.contentHash).not.toBe(first.contentHash);
    expect(second.images.get('refs/knight.png')?.bytes).toEqual(tinyPng(90));
  });

  it('loads the pack again when its manifest changes', async () => {
    const directory = await writeTestPack();
    await age(directory);
    const cache = createWorldPackCache();
    const first = await cache.resolve(directory);
    await writeTestPack(testManifest({ version: '1.2.4' }), {}, directory);
    expect((await cache.resolve(directory)).version).toBe('1.2.4');
    expect(first.version).toBe('1.2.3');
  });

  it('does not trust a pack whose files were written just before it was loaded', async () => {
    // Written now: within the racy window, so the stamps cannot tell a same-size rewrite.
    const directory = await writeTestPack();
    const cache = createWorldPackCache();
    const first = await cache.resolve(directory);
    const second = await cache.resolve(directory);
    expect(second).not.toBe(first);
    expect(second.contentHash).toBe(first.contentHash);
  });

  it('shares one load between calls made while it runs', async () => {
    const directory = await writeTestPack();
    const cache = createWorldPackCache();
    const [a, b, c] = await Promise.all([
      cache.resolve(directory),
      cache.resolve(directory),
      cache.resolve(directory),
    ]);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('keeps no failed load: a pack fixed afterwards loads', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'layerloom-pack-cache-'));
    const cache = createWorldPackCache();
    const failure = await rejectionOf(cache.resolve(directory), WorldPackError);
    expect(failure.code).toBe('pack_not_found');
    expect(cache.size).toBe(0);
    await writeTestPack(undefined, undefined, directory);
    expect((await cache.resolve(directory)).name).toBe('@studio/ember-world');
  });

  it('finds a nearer install of a package source made after the first load', async () => {
    const root = await mkdtemp(join(tmpdir(), 'layerloom-pack-cache-project-'));
    await writeTestPack(undefined, undefined, join(root, 'node_modules', '@studio', 'ember-world'));
    const scenes = join(root, 'scenes');
    await writeTestPack(testManifest({ name: 'unrelated' }), {}, join(scenes, 'unrelated'));
    await age(root);
    const cache = createWorldPackCache();
    const source = '@studio/ember-world@>=1';
    const first = await cache.resolve(source, { baseDirectory: scenes });
    expect(first.version).toBe('1.2.3');
    expect(await cache.resolve(source, { baseDirectory: scenes })).toBe(first);
    await writeTestPack(
      testManifest({ version: '2.0.0' }),
      undefined,
      join(scenes, 'node_modules', '@studio', 'ember-world'),
    );
    expect((await cache.resolve(source, { baseDirectory: scenes })).version).toBe('2.0.0');
  });

  it('follows a path source whose symlink is pointed at another pack', async () => {
    const one = await writeTestPack();
    const two = await writeTestPack(testManifest({ version: '2.0.0' }));
    await age(one);
    await age(two);
    const root = await mkdtemp(join(tmpdir(), 'layerloom-pack-cache-link-'));
    const link = join(root, 'ember');
    await symlink(one, link);
    const cache = createWorldPackCache();
    const first = await cache.resolve('./ember', { baseDirectory: root });
    expect(first.version).toBe('1.2.3');
    expect(await cache.resolve('./ember', { baseDirectory: root })).toBe(first);
    await unlink(link);
    await symlink(two, link);
    expect((await cache.resolve('./ember', { baseDirectory: root })).version).toBe('2.0.0');
  });

  it('keys packs by source and base folder, and forgets them on clear()', async () => {
    const one = await writeTestPack();
    const two = await writeTestPack(testManifest({ version: '3.0.0' }));
    await age(one);
    await age(two);
    const cache = createWorldPackCache();
    const [a, b] = [await cache.resolve(one), await cache.resolve(two)];
    expect([a.version, b.version]).toEqual(['1.2.3', '3.0.0']);
    expect(cache.size).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
    const again = await cache.resolve(one);
    expect(again).not.toBe(a);
    expect(again.contentHash).toBe(a.contentHash);
  });
});

describe('createWorldPackCache({ maxPacks })', () => {
  it('holds at most maxPacks packs, forgetting the one used longest ago', async () => {
    const directories = [await writeTestPack(), await writeTestPack(), await writeTestPack()];
    for (const directory of directories) await age(directory);
    const [a, b, c] = directories as [string, string, string];
    const cache = createWorldPackCache({ maxPacks: 2 });
    const firstA = await cache.resolve(a);
    const firstB = await cache.resolve(b);
    // A used again: B is now the one used longest ago, and C's load forgets it.
    expect(await cache.resolve(a)).toBe(firstA);
    await cache.resolve(c);
    expect(cache.size).toBe(2);
    expect(await cache.resolve(a)).toBe(firstA);
    const againB = await cache.resolve(b);
    expect(againB).not.toBe(firstB);
    expect(againB.contentHash).toBe(firstB.contentHash);
    expect(cache.size).toBe(2);
  });

  it('refuses a maxPacks that is not a positive integer, naming it', () => {
    for (const maxPacks of [0, -1, 1.5, Number.NaN, '4']) {
      expect(() => createWorldPackCache({ maxPacks: maxPacks as number })).toThrow(
        /Expected `maxPacks` to be a positive integer, got/,
      );
    }
    expect(createWorldPackCache().size).toBe(0);
  });
});
