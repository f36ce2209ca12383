import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../testing/thrown-by.js';
import { loadWorldPack } from './load-world-pack.js';
import { WorldPackError } from './world-pack-error.js';
import { testManifest, tinyPng, writeTestPack } from './write-test-pack.js';

const packFailure = (promise: Promise<unknown>) => rejectionOf(promise, WorldPackError);

describe('loadWorldPack', () => {
  it('loads the manifest and its reference images', async () => {
    const directory = await writeTestPack();
    const pack = await loadWorldPack(directory);
    expect(pack.name).toBe('@studio/ember-world');
    expect(pack.version).toBe('1.2.3');
    expect(Object.keys(pack.manifest.entities)).toEqual(['knight', 'wolf']);
    const image = pack.images.get('refs/knight.png');
    expect(image?.mediaType).toBe('image/png');
    expect(image?.width).toBe(2);
    expect(pack.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash to the same data and another to changed data or images', async () => {
    const first = await loadWorldPack(await writeTestPack());
    const again = await loadWorldPack(await writeTestPack());
    expect(again.contentHash).toBe(first.contentHash);
    const prompt = await loadWorldPack(
      await writeTestPack(testManifest({ attribution: 'Ember World, by Mira Ash' })),
    );
    expect(prompt.contentHash).not.toBe(first.contentHash);
    const image = await loadWorldPack(
      await writeTestPack(testManifest(), { 'refs/knight.png': tinyPng(10) }),
    );
    expect(image.contentHash).not.toBe(first.contentHash);
  });

  it('names every schema problem with its JSON path', async () => {
    const manifest = testManifest({ version: 'one', authors: [] });
    (manifest.entities as Record<string, Record<string, unknown>>).wolf!.kind = 'dragon';
    const error = await packFailure(loadWorldPack(await writeTestPack(manifest)));
    expect(error.code).toBe('pack_invalid');
    const paths = error.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['version', 'authors', 'entities.wolf.kind']));
    expect(error.message).toContain('Expected `version` to be a semantic version');
    expect(error.message).toContain('entities.wolf.kind');
  });

  it('refuses a manifest that is not JSON, and a missing one', async () => {
    const bad = await packFailure(loadWorldPack(await writeTestPack('{ "name": ')));
    expect(bad.code).toBe('pack_invalid');
    const empty = await mkdtemp(join(tmpdir(), 'layerloom-empty-'));
    expect((await packFailure(loadWorldPack(empty))).code).toBe('pack_not_found');
    expect((await packFailure(loadWorldPack(join(empty, 'nope')))).code).toBe('pack_not_found');
  });

  it('refuses paths that leave the pack', async () => {
    for (const path of ['../secret.png', '/etc/passwd', 'refs/../../x.png', 'C:/x.png']) {
      const manifest = testManifest();
      (manifest.entities as Record<string, Record<string, unknown>>).wolf!.referenceImages = [
        { path },
      ];
      const error = await packFailure(loadWorldPack(await writeTestPack(manifest)));
      expect(error.code).toBe('pack_invalid');
      expect(error.issues[0]?.path).toEqual(['entities', 'wolf', 'referenceImages', 0, 'path']);
    }
  });

  it('refuses a symlink that points out of the pack', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'layerloom-outside-'));
    await writeFile(join(outside, 'secret.png'), tinyPng());
    const directory = await writeTestPack(testManifest(), {});
    await symlink(join(outside, 'secret.png'), join(directory, 'refs-link.png'));
    const manifest = testManifest();
    (manifest.entities as Record<string, Record<string, unknown>>).knight!.referenceImages = [
      { path: 'refs-link.png' },
    ];
    (manifest.entities as Record<string, Record<string, Record<string, unknown>>>).knight!
      .bindings!.openai = {};
    await writeTestPack(manifest, {}, directory);
    const error = await packFailure(loadWorldPack(directory));
    expect(error.code).toBe('pack_path_outside');
    expect(error.message).toContain('refs-link.png');
  });

  it('refuses a manifest that is itself a symlink out of the pack', async () => {
    const outside = await writeTestPack();
    const directory = await mkdtemp(join(tmpdir(), 'layerloom-linked-'));
    await symlink(join(outside, 'world-pack.json'), join(directory, 'world-pack.json'));
    expect((await packFailure(loadWorldPack(directory))).code).toBe('pack_path_outside');
  });

  it('checks reference images: missing, not an image, too large', async () => {
    const missing = await packFailure(loadWorldPack(await writeTestPack(testManifest(), {})));
    expect(missing.code).toBe('pack_reference_image');
    expect(missing.message).toContain('entities.knight.referenceImages[0].path');
    const text = await packFailure(
      loadWorldPack(await writeTestPack(testManifest(), { 'refs/knight.png': 'not a png at all' })),
    );
    expect(text.code).toBe('pack_reference_image');
    expect(text.message).toContain('PNG, JPEG, WebP or GIF');
    const large = await packFailure(loadWorldPack(await writeTestPack(), { maxImageBytes: 10 }));
    expect(large.code).toBe('pack_reference_image');
    expect(large.message).toMatch(/at most 10 bytes, got \d+ bytes/);
  });

  it('caps the bytes read for one pack', async () => {
    const error = await packFailure(loadWorldPack(await writeTestPack(), { maxTotalBytes: 10 }));
    expect(error.code).toBe('pack_invalid');
    expect(error.message).toContain('total at most 10 bytes');
  });

  it('requires package.json to agree with the manifest', async () => {
    const directory = await writeTestPack(testManifest(), {
      'refs/knight.png': tinyPng(),
      'package.json': JSON.stringify({ name: '@studio/ember-world', version: '1.3.0' }),
    });
    const error = await packFailure(loadWorldPack(directory));
    expect(error.code).toBe('pack_invalid');
    expect(error.message).toContain('version');
  });

  it('reads ComfyUI workflow templates as JSON and hashes them', async () => {
    const manifest = testManifest();
    (manifest.entities as Record<string, Record<string, unknown>>).wolf!.bindings = {
      comfyui: { workflow: 'workflows/wolf.json', nodeOverrides: { '3': { steps: 30 } } },
    };
    const workflow = { '3': { class_type: 'KSampler', inputs: { steps: 20 } } };
    const directory = await writeTestPack(manifest, {
      'refs/knight.png': tinyPng(),
      'workflows/wolf.json': JSON.stringify(workflow),
    });
    const pack = await loadWorldPack(directory);
    expect(pack.workflows.get('workflows/wolf.json')).toEqual(workflow);
    const changed = await loadWorldPack(
      await writeTestPack(manifest, {
        'refs/knight.png': tinyPng(),
        'workflows/wolf.json': JSON.stringify({ ...workflow, '4': {} }),
      }),
    );
    expect(changed.contentHash).not.toBe(pack.contentHash);
  });
});
