import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodePng } from '../util/encode-png.js';

/** A 2×2 opaque PNG, for reference images in test packs. */
export function tinyPng(red = 200): Uint8Array {
  const data = new Uint8Array(16);
  for (let index = 0; index < 16; index += 4) data.set([red, 40, 40, 255], index);
  return encodePng({ width: 2, height: 2, data });
}

/** A valid manifest for tests: two entities, one style, bindings for SD and OpenAI. */
export function testManifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '@studio/ember-world',
    version: '1.2.3',
    license: 'CC-BY-4.0',
    authors: [{ name: 'Mira Ash' }],
    attribution: 'Ember World by Mira Ash',
    entities: {
      knight: {
        kind: 'character',
        name: 'Ser Ember',
        prompt: 'a knight in soot-black armour with an ember crest',
        negativePrompt: 'modern clothes',
        tags: ['hero'],
        defaults: {
          placement: { x: 0.1, y: 0.3, width: 0.4, height: 0.7, anchor: 'bottom' },
          matte: 'alpha',
        },
        referenceImages: [{ path: 'refs/knight.png' }],
        bindings: {
          a1111: {
            checkpoint: 'emberXL_v2.safetensors',
            loras: [{ name: 'ember-knight', weight: 0.8 }],
          },
          openai: { referenceImages: ['refs/knight.png'] },
        },
      },
      wolf: { kind: 'creature', prompt: 'a grey dire wolf with glowing eyes' },
    },
    styles: {
      ink: {
        prompt: 'ink wash, sepia',
        strength: 0.4,
        bindings: { a1111: { checkpoint: 'inkmix' } },
      },
    },
    ...overrides,
  };
}

/**
 * Writes a pack into a fresh temporary folder.
 *
 * @param manifest - the manifest object (or raw text).
 * @param files - more files, path → bytes or text.
 * @returns the pack's folder.
 */
export async function writeTestPack(
  manifest: unknown = testManifest(),
  files: Record<string, Uint8Array | string> = { 'refs/knight.png': tinyPng() },
  root?: string,
): Promise<string> {
  const directory = root ?? (await mkdtemp(join(tmpdir(), 'layerloom-pack-')));
  await mkdir(directory, { recursive: true });
  await writeFile(
    join(directory, 'world-pack.json'),
    typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2),
  );
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(directory, path)), { recursive: true });
    await writeFile(join(directory, path), content);
  }
  return directory;
}
