import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ValidationError } from '@layerloom/core';

/** Extensions the studio reads and writes. */
export const studioFileExtensions = ['.loom', '.json'] as const;

function inside(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest));
}

/** The real path of `path`, or of its nearest existing parent joined with the rest. */
function realPath(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  if (parent === path) return path;
  return resolve(realPath(parent), relative(parent, path));
}

/**
 * Resolves a path the page asked for against the project folder, refusing anything outside it:
 * `..` segments, absolute paths elsewhere, and symbolic links that lead out. Only `.loom` and
 * `.json` files are allowed.
 *
 * @param root - the project folder (absolute).
 * @param path - the path from the request, relative to `root`.
 * @returns the absolute path inside `root`.
 * @throws ValidationError naming `path` when it leaves the folder or has another extension.
 */
export function resolveProjectPath(root: string, path: string): string {
  const realRoot = realPath(resolve(root));
  const wanted = resolve(realRoot, path);
  if (path.includes('\0') || !inside(realRoot, wanted) || !inside(realRoot, realPath(wanted))) {
    throw ValidationError.field(
      ['path'],
      `Expected a path inside the project folder, got ${JSON.stringify(path)}`,
      'studio request',
    );
  }
  if (!studioFileExtensions.some((extension) => wanted.endsWith(extension))) {
    throw ValidationError.field(
      ['path'],
      `Expected a ${studioFileExtensions.join(' or ')} file, got ${JSON.stringify(path)}`,
      'studio request',
    );
  }
  return wanted;
}
