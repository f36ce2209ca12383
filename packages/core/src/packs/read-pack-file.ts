import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { WorldPackError } from './world-pack-error.js';

/** Whether `child` (a real path) is `root` or inside it. */
export function isInside(root: string, child: string): boolean {
  if (child === root) return true;
  const rest = relative(root, child);
  return rest !== '' && !rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** What {@link readPackFile} found. */
export type PackFileRead =
  | { readonly status: 'ok'; readonly bytes: Uint8Array; readonly realPath: string }
  | { readonly status: 'missing' }
  | { readonly status: 'too-large'; readonly size: number }
  | { readonly status: 'not-a-file' };

/**
 * Reads a file of a pack, refusing any path whose real location (symlinks followed) is
 * outside the pack's real root, and any file over `maxBytes` (checked before reading and while
 * reading, so a file growing meanwhile cannot pass).
 *
 * @param root - the pack's real path (from `realpath`).
 * @param path - the path inside the pack, as the manifest writes it.
 * @param maxBytes - size limit.
 * @param pack - the pack's source, for errors.
 * @throws WorldPackError `pack_path_outside` when the path leaves the pack.
 */
export async function readPackFile(
  root: string,
  path: string,
  maxBytes: number,
  pack: string,
): Promise<PackFileRead> {
  const outside = () =>
    new WorldPackError(
      'pack_path_outside',
      `Expected \`${path}\` to stay inside the pack's folder, but it leads outside it`,
      { pack },
    );
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) throw outside();
  const joined = resolve(root, path);
  if (!isInside(root, joined)) throw outside();
  let real: string;
  try {
    real = await realpath(joined);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR')
      return { status: 'missing' };
    throw new WorldPackError('pack_not_found', `Could not read \`${path}\` of the pack`, {
      pack,
      cause: error,
    });
  }
  if (!isInside(root, real)) throw outside();
  const handle = await open(real, 'r').catch((error: unknown) => {
    throw new WorldPackError('pack_not_found', `Could not open \`${path}\` of the pack`, {
      pack,
      cause: error,
    });
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { status: 'not-a-file' };
    if (info.size > maxBytes) return { status: 'too-large', size: info.size };
    const buffer = new Uint8Array(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { status: 'too-large', size: length };
    }
    return { status: 'ok', bytes: buffer.slice(0, length), realPath: real };
  } finally {
    await handle.close();
  }
}
