import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  LayerloomError,
  loadWorldPack,
  parseWorldPackSource,
  worldPackJsonSchema,
  worldPackManifestFile,
} from '@layerloom/core';
import pc from 'picocolors';
import { type CliIo, writeLine } from '../cli-io.js';

/** Options of `layerloom pack init`. */
export interface PackInitOptions {
  /** Package name of the new pack. @default the folder's name */
  readonly name?: string | undefined;
  /** Overwrite existing files. */
  readonly force: boolean;
}

/** A valid starter manifest: one character, one scene, one style, an A1111 binding. */
function starterManifest(name: string): Record<string, unknown> {
  return {
    $schema: './world-pack.schema.json',
    name,
    version: '0.1.0',
    description: 'A world pack for Layerloom.',
    license: 'UNLICENSED',
    authors: [{ name: 'Your Name' }],
    attribution: `${name} by Your Name`,
    variables: { palette: 'muted greens and warm greys' },
    entities: {
      hero: {
        kind: 'character',
        name: 'The Hero',
        prompt: 'a young traveller in a green cloak, $palette',
        negativePrompt: 'text, watermark',
        tags: ['hero'],
        defaults: { placement: { x: 0.1, y: 0.2, width: 0.5, height: 0.8, anchor: 'bottom' } },
        bindings: { a1111: { checkpoint: 'sd_xl_base_1.0.safetensors', steps: 28 } },
      },
      meadow: {
        kind: 'scene',
        name: 'The Meadow',
        prompt: 'a wide meadow at golden hour, $palette',
        defaults: { matte: 'none' },
      },
    },
    styles: {
      storybook: { name: 'Storybook', prompt: 'storybook gouache illustration', strength: 0.3 },
    },
  };
}

/**
 * `layerloom pack init [folder]`: scaffolds a valid world pack — `world-pack.json`, its JSON
 * Schema for editors and a `package.json` to publish it — and checks it loads.
 *
 * @param folder - where to write (created when missing). @default the working directory
 * @returns the process exit code.
 * @throws LayerloomError `file_exists` when a file exists and `force` is not set;
 *   `invalid_pack_name` for a name that is not an npm package name.
 */
export async function packInitCommand(
  folder: string | undefined,
  options: PackInitOptions,
  io: CliIo,
): Promise<number> {
  const directory = resolve(io.cwd, folder ?? '.');
  const name = options.name ?? basename(directory).toLowerCase();
  const source = parseWorldPackSource(name);
  if (source?.kind !== 'package' || name.includes('@', 1)) {
    throw new LayerloomError(
      'invalid_pack_name',
      `Expected --name to be an npm package name such as "@studio/my-world", got ${JSON.stringify(name)}`,
    );
  }
  const files = [
    [worldPackManifestFile, `${JSON.stringify(starterManifest(name), null, 2)}\n`],
    ['world-pack.schema.json', `${JSON.stringify(worldPackJsonSchema(), null, 2)}\n`],
    [
      'package.json',
      `${JSON.stringify({ name, version: '0.1.0', license: 'UNLICENSED', files: ['world-pack.json', 'world-pack.schema.json', 'refs'] }, null, 2)}\n`,
    ],
  ] as const;
  const existing = files.map(([file]) => join(directory, file)).filter((path) => existsSync(path));
  if (existing.length > 0 && !options.force) {
    throw new LayerloomError(
      'file_exists',
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to overwrite`,
    );
  }
  await mkdir(directory, { recursive: true });
  for (const [file, text] of files) {
    await writeFile(join(directory, file), text);
    writeLine(io.stdout, `${pc.green('wrote')} ${join(directory, file)}`);
  }
  const pack = await loadWorldPack(directory);
  writeLine(
    io.stdout,
    `${pack.name}@${pack.version} is valid. Next: edit ${worldPackManifestFile}, then \`layerloom pack validate\`.`,
  );
  return 0;
}
