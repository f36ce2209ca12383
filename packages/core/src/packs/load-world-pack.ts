import { realpath } from 'node:fs/promises';
import { z } from 'zod';
import { formatIssues } from '../schema/format-issues.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import { integerRangeSchema } from '../schema/range-schema.js';
import { canonicalJson } from '../util/canonical-json.js';
import { inspectImage } from '../util/inspect-image.js';
import { sha256 } from '../util/sha256.js';
import { readPackFile } from './read-pack-file.js';
import type { WorldPack, WorldPackImage } from './world-pack.js';
import { WorldPackError } from './world-pack-error.js';
import {
  type WorldPackBindings,
  type WorldPackManifest,
  worldPackManifestFile,
  worldPackManifestSchema,
} from './world-pack-schema.js';

/** Options of {@link loadWorldPack}. */
export interface LoadWorldPackOptions {
  /** Largest reference image accepted, in bytes. @default 8 MiB */
  readonly maxImageBytes?: number;
  /** Largest manifest or workflow file accepted, in bytes. @default 1 MiB */
  readonly maxManifestBytes?: number;
  /** Most bytes read for one pack, all files together. @default 128 MiB */
  readonly maxTotalBytes?: number;
  /** How the pack was asked for, for error messages. @default the folder */
  readonly source?: string;
}

const optionsSchema = z.strictObject({
  maxImageBytes: integerRangeSchema(1, 256 * 1024 * 1024).optional(),
  maxManifestBytes: integerRangeSchema(1, 64 * 1024 * 1024).optional(),
  maxTotalBytes: integerRangeSchema(1, 4 * 1024 * 1024 * 1024).optional(),
  source: z.string().optional(),
});

/** Default largest reference image: 8 MiB. */
export const defaultMaxPackImageBytes = 8 * 1024 * 1024;
/** Default largest manifest or workflow: 1 MiB. */
export const defaultMaxPackManifestBytes = 1024 * 1024;
/** Default most bytes read for one pack: 128 MiB. */
export const defaultMaxPackTotalBytes = 128 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

function decodeJson(bytes: Uint8Array, what: string, pack: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch (error) {
    throw new WorldPackError(
      'pack_invalid',
      `Expected \`${what}\` to be UTF-8 JSON, got: ${error instanceof Error ? error.message : String(error)}`,
      { pack, cause: error },
    );
  }
}

/** Every file path the manifest refers to, with the JSON path that names it. */
function referencedFiles(manifest: WorldPackManifest): {
  images: [string, string][];
  workflows: [string, string][];
} {
  const images: [string, string][] = [];
  const workflows: [string, string][] = [];
  const fromBindings = (bindings: WorldPackBindings | undefined, at: string) => {
    if (bindings === undefined) return;
    for (const [provider, binding] of Object.entries(bindings)) {
      if (binding === undefined) continue;
      if ('referenceImages' in binding && binding.referenceImages !== undefined) {
        binding.referenceImages.forEach((path, index) => {
          images.push([path, `${at}.bindings.${provider}.referenceImages[${index}]`]);
        });
      }
      if ('workflow' in binding && binding.workflow !== undefined) {
        workflows.push([binding.workflow, `${at}.bindings.${provider}.workflow`]);
      }
    }
  };
  for (const [id, entity] of Object.entries(manifest.entities)) {
    entity.referenceImages?.forEach((image, index) => {
      images.push([image.path, `entities.${id}.referenceImages[${index}].path`]);
    });
    fromBindings(entity.bindings, `entities.${id}`);
  }
  for (const [id, style] of Object.entries(manifest.styles ?? {})) {
    fromBindings(style.bindings, `styles.${id}`);
  }
  return { images, workflows };
}

async function readManifest(root: string, pack: string, maxBytes: number): Promise<unknown> {
  const read = await readPackFile(root, worldPackManifestFile, maxBytes, pack);
  if (read.status === 'missing' || read.status === 'not-a-file') {
    throw new WorldPackError(
      'pack_not_found',
      `Expected a \`${worldPackManifestFile}\` file in the pack's folder, found none`,
      { pack },
    );
  }
  if (read.status === 'too-large') {
    throw new WorldPackError(
      'pack_invalid',
      `Expected \`${worldPackManifestFile}\` to be at most ${maxBytes} bytes, got ${read.size}`,
      { pack },
    );
  }
  return decodeJson(read.bytes, worldPackManifestFile, pack);
}

/** Checks the manifest against the schema, with every problem's JSON path. */
export function checkWorldPackManifest(value: unknown, pack: string): WorldPackManifest {
  const result = worldPackManifestSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = formatIssues(result.error.issues, value, worldPackManifestFile);
  throw new WorldPackError(
    'pack_invalid',
    issues.length === 1
      ? `Invalid ${worldPackManifestFile}: ${issues[0]!.message}`
      : `Invalid ${worldPackManifestFile} (${issues.length} problems):\n${issues.map((issue) => `  - ${issue.message}`).join('\n')}`,
    { pack, issues, cause: result.error },
  );
}

async function checkPackageJson(root: string, manifest: WorldPackManifest, pack: string) {
  const read = await readPackFile(root, 'package.json', defaultMaxPackManifestBytes, pack);
  if (read.status !== 'ok') return;
  const json = decodeJson(read.bytes, 'package.json', pack) as Record<string, unknown> | null;
  if (json === null || typeof json !== 'object') return;
  for (const field of ['name', 'version'] as const) {
    if (json[field] !== undefined && json[field] !== manifest[field]) {
      throw new WorldPackError(
        'pack_invalid',
        `Expected \`package.json\` ${field} to equal \`${worldPackManifestFile}\` ${field} "${manifest[field]}", got ${JSON.stringify(json[field])}`,
        { pack, issues: [{ path: [field], message: `package.json ${field} differs` }] },
      );
    }
  }
}

async function readImage(
  root: string,
  path: string,
  at: string,
  maxBytes: number,
  pack: string,
): Promise<WorldPackImage> {
  const read = await readPackFile(root, path, maxBytes, pack);
  const fail = (why: string) =>
    new WorldPackError('pack_reference_image', `Expected \`${at}\` ("${path}") ${why}`, {
      pack,
      issues: [{ path: at.split('.'), message: why }],
    });
  if (read.status === 'missing') throw fail('to be a file in the pack, found none');
  if (read.status === 'not-a-file') throw fail('to be a file, got a folder');
  if (read.status === 'too-large') {
    throw fail(`to be at most ${maxBytes} bytes, got ${read.size} bytes`);
  }
  const inspection = inspectImage(read.bytes);
  if (inspection === undefined) {
    throw fail('to be a PNG, JPEG, WebP or GIF image, but its bytes are not one');
  }
  return {
    path,
    file: read.realPath,
    bytes: read.bytes,
    mediaType: inspection.mediaType,
    width: inspection.width,
    height: inspection.height,
  };
}

/**
 * Loads a world pack from its folder: reads `world-pack.json`, checks it against the schema,
 * reads and checks every file it refers to (reference images by their magic bytes and size,
 * ComfyUI workflows as JSON) and hashes it all. A pack is data only: nothing in it is run, and
 * nothing outside its real folder is read (`..`, absolute paths and symlinks out are refused).
 *
 * @param directory - the pack's folder.
 * @param options - size limits, and the source for messages.
 * @returns the loaded pack.
 * @throws WorldPackError for a missing, malformed or unsafe pack (see its `code`).
 * @throws ValidationError when `options` is malformed.
 *
 * @example
 * const pack = await loadWorldPack('examples/world-pack/ember-world');
 * console.log(pack.name, pack.version, Object.keys(pack.manifest.entities));
 */
export async function loadWorldPack(
  directory: string,
  options: LoadWorldPackOptions = {},
): Promise<WorldPack> {
  parseWithSchema(optionsSchema, options, 'options');
  const pack = options.source ?? directory;
  const maxImageBytes = options.maxImageBytes ?? defaultMaxPackImageBytes;
  const maxManifestBytes = options.maxManifestBytes ?? defaultMaxPackManifestBytes;
  let root: string;
  try {
    root = await realpath(directory);
  } catch (error) {
    throw new WorldPackError(
      'pack_not_found',
      `Expected a world pack folder at "${directory}", found none`,
      {
        pack,
        cause: error,
      },
    );
  }
  const manifest = checkWorldPackManifest(await readManifest(root, pack, maxManifestBytes), pack);
  await checkPackageJson(root, manifest, pack);
  const files = referencedFiles(manifest);
  const maxTotalBytes = options.maxTotalBytes ?? defaultMaxPackTotalBytes;
  let total = 0;
  const count = (bytes: number, path: string) => {
    total += bytes;
    if (total > maxTotalBytes) {
      throw new WorldPackError(
        'pack_invalid',
        `Expected the files of the pack to total at most ${maxTotalBytes} bytes, but "${path}" brings them to ${total}`,
        { pack },
      );
    }
  };
  const images = new Map<string, WorldPackImage>();
  for (const [path, at] of files.images) {
    if (images.has(path)) continue;
    const image = await readImage(root, path, at, maxImageBytes, pack);
    count(image.bytes.length, path);
    images.set(path, image);
  }
  const workflows = new Map<string, Readonly<Record<string, unknown>>>();
  const workflowHashes: [string, string][] = [];
  for (const [path, at] of files.workflows) {
    if (workflows.has(path)) continue;
    const read = await readPackFile(root, path, maxManifestBytes, pack);
    if (read.status !== 'ok') {
      throw new WorldPackError(
        'pack_invalid',
        `Expected \`${at}\` ("${path}") to be a JSON file of at most ${maxManifestBytes} bytes in the pack`,
        { pack, issues: [{ path: at.split('.'), message: 'missing or too large' }] },
      );
    }
    count(read.bytes.length, path);
    const json = decodeJson(read.bytes, path, pack);
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new WorldPackError(
        'pack_invalid',
        `Expected \`${at}\` to be a ComfyUI API-format workflow object`,
        {
          pack,
        },
      );
    }
    workflows.set(path, json as Record<string, unknown>);
    workflowHashes.push([path, sha256(read.bytes)]);
  }
  const contentHash = sha256(
    canonicalJson({
      manifest,
      images: [...images.values()].map((image) => [image.path, sha256(image.bytes)]).sort(),
      workflows: workflowHashes.sort(),
    }) ?? '',
  );
  return {
    name: manifest.name,
    version: manifest.version,
    contentHash,
    directory: root,
    manifest,
    images,
    workflows,
  };
}
