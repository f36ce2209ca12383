import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { LayerloomError, parseWithSchema, ValidationError } from '@layerloom/core';
import { z } from 'zod';
import type { BlobEntry, BlobStore } from './blob-store.js';

/** A {@link BlobStore} over a directory, e.g. a volume every worker mounts. */
export interface FileBlobStore extends BlobStore {
  /** The absolute directory the objects live in. */
  readonly directory: string;
  /** Lists the objects under a prefix with their modification times (temporary files left out). */
  list(prefix: string): Promise<readonly BlobEntry[]>;
}

const keyPattern = /^(?!.*\.\.)[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/**
 * Checks a blob key: relative, lower-case `[a-z0-9/._-]`, no `..`.
 *
 * @throws ValidationError naming `key`.
 */
export function assertBlobKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length > 512 || !keyPattern.test(key)) {
    throw ValidationError.field(
      ['key'],
      `Expected \`key\` to be a relative key of [a-z0-9/._-] without "..", got ${typeof key === 'string' ? JSON.stringify(key.slice(0, 80)) : typeof key}`,
      'blob key',
    );
  }
}

/** Wraps a file-system failure without leaking anything but its code. */
function storeFailure(operation: string, key: string, error: unknown): LayerloomError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
  return new LayerloomError(
    'blob_store_error',
    `The file blob store could not ${operation} "${key}" (${code})`,
    { cause: error },
  );
}

const directorySchema = z.string().min(1, 'Expected a non-empty directory path');

/**
 * A {@link BlobStore} over a directory shared by the submitting process and every worker.
 * Writes are atomic (a temporary file renamed into place), so concurrent writers of the same
 * content-addressed key are harmless.
 *
 * @param directory - where objects are kept (created when missing).
 * @returns the store.
 * @throws ValidationError when `directory` is not a non-empty string.
 */
export function fileBlobStore(directory: string): FileBlobStore {
  const root = resolve(parseWithSchema(directorySchema, directory, 'directory'));
  const pathOf = (key: string) => {
    assertBlobKey(key);
    return join(root, key);
  };
  return {
    directory: root,
    async put(key, bytes) {
      const path = pathOf(key);
      const temporary = `${path}.${randomUUID()}.tmp`;
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(temporary, bytes);
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        throw storeFailure('write', key, error);
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        return new Uint8Array(await readFile(path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw storeFailure('read', key, error);
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true }).catch((error: unknown) => {
        throw storeFailure('delete', key, error);
      });
    },
    async list(prefix) {
      if (
        typeof prefix !== 'string' ||
        (prefix !== '' && !/^[a-z0-9][a-z0-9/._-]*$/.test(prefix))
      ) {
        throw ValidationError.field(
          ['prefix'],
          `Expected \`prefix\` to be a key prefix of [a-z0-9/._-], got ${typeof prefix === 'string' ? JSON.stringify(prefix.slice(0, 80)) : typeof prefix}`,
          'blob key prefix',
        );
      }
      // Walk the deepest directory the prefix names, then filter by the whole prefix.
      const base = join(root, prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '');
      let files: string[];
      try {
        files = (await readdir(base, { recursive: true, withFileTypes: true }))
          .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
          .map((entry) =>
            // `parentPath` is Node ≥ 20.12; `path` before.
            join(entry.parentPath ?? (entry as { path?: string }).path ?? base, entry.name),
          );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw storeFailure('list', prefix, error);
      }
      const entries: BlobEntry[] = [];
      for (const file of files) {
        const key = relative(root, file).split(sep).join('/');
        if (!key.startsWith(prefix)) continue;
        try {
          const info = await stat(file);
          entries.push({ key, modifiedAt: info.mtimeMs, size: info.size });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
            throw storeFailure('list', key, error);
        }
      }
      return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
}
