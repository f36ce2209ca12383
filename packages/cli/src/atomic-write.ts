import { closeSync, openSync, renameSync, rmdirSync, rmSync, writeFile } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { AbortError, ValidationError } from '@layerloom/core';

const writeToDescriptor = promisify(writeFile);

/** Temporary files this process has created and not yet renamed or removed. */
const temporaryFiles = new Set<string>();
let sequence = 0;

/** One file to write: where, and what. */
export interface FileToWrite {
  /** The target path. */
  readonly path: string;
  /** Its content. */
  readonly data: Uint8Array | string;
}

/** Options of {@link writeFilesAtomically}. */
export interface WriteFilesOptions {
  /** Checked before each file and passed to each write: aborting stops at once, writing nothing. */
  readonly signal?: AbortSignal;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw AbortError.fromSignal(signal, 'Writing');
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Best effort: a file that cannot be removed must not hide the original error.
  }
}

/**
 * Removes `directory` and its parents up to `top`, the first directory this run created, as
 * long as they are empty: a failed or aborted write leaves no empty folders behind either.
 */
function removeCreatedDirectories(directory: string, top: string): void {
  let current = directory;
  for (;;) {
    if (current !== top && !current.startsWith(`${top}${sep}`)) return;
    try {
      rmdirSync(current);
    } catch {
      return; // Not empty (or already gone): what is left is not this run's alone.
    }
    if (current === top) return;
    current = dirname(current);
  }
}

/**
 * Writes `data` into a new temporary file beside `path` (`.<name>.<pid>.<n>.tmp`) and returns
 * its path. The file is registered before it exists and created synchronously, so
 * {@link removeTemporaryFiles} always knows about it; it is removed again if the write fails.
 *
 * @param created - collects the directories created for it (the top-most of each `mkdir`).
 */
async function stage(
  path: string,
  data: Uint8Array | string,
  signal: AbortSignal | undefined,
  created: Map<string, string>,
): Promise<string> {
  const directory = dirname(path);
  const top = await mkdir(directory, { recursive: true });
  if (top !== undefined) created.set(directory, top);
  throwIfAborted(signal);
  sequence += 1;
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${sequence}.tmp`);
  temporaryFiles.add(temporary);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(temporary, 'wx');
    await writeToDescriptor(descriptor, data, signal === undefined ? {} : { signal });
    return temporary;
  } catch (error) {
    removeQuietly(temporary);
    temporaryFiles.delete(temporary);
    throw error;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Writes a set of files all or nothing, so readers never see a half-written file and a failure
 * or an abort never leaves part of the set behind. Every file is first written to a temporary
 * file beside its target, checking `signal` before each one; only when all are written are they
 * renamed over their targets, synchronously, so a Ctrl-C cannot land between two renames.
 * On failure or abort, every temporary file (and any directory created for them, once empty) is
 * removed and the existing targets are untouched.
 *
 * @param files - the files, in the order to write them.
 * @param options - an abort signal.
 * @returns the paths written, in order.
 * @throws AbortError when `signal` aborts before the renames (nothing is left behind).
 * @throws ValidationError when two files have the same target.
 */
export async function writeFilesAtomically(
  files: readonly FileToWrite[],
  options: WriteFilesOptions = {},
): Promise<string[]> {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) {
      throw ValidationError.field(
        ['output'],
        `Expected every output file to have its own path, but ${file.path} would be written twice (choose another --output or --layers-dir)`,
        'render options',
      );
    }
    seen.add(file.path);
  }
  const staged: { readonly temporary: string; readonly path: string }[] = [];
  const renamed: string[] = [];
  const created = new Map<string, string>();
  try {
    for (const file of files) {
      throwIfAborted(options.signal);
      const temporary = await stage(file.path, file.data, options.signal, created);
      staged.push({ temporary, path: file.path });
    }
    throwIfAborted(options.signal);
    for (const { temporary, path } of staged) {
      renameSync(temporary, path);
      temporaryFiles.delete(temporary);
      renamed.push(path);
    }
    return renamed;
  } catch (error) {
    // Only a failed rename gets here with files renamed: take this run's files back out too.
    for (const path of renamed) removeQuietly(path);
    for (const { temporary } of staged) {
      removeQuietly(temporary);
      temporaryFiles.delete(temporary);
    }
    const deepestFirst = [...created].sort(([a], [b]) => b.length - a.length);
    for (const [directory, top] of deepestFirst) removeCreatedDirectories(directory, top);
    // Node's own abort error (from a write cut short) becomes the Layerloom one.
    if (options.signal?.aborted === true) throw AbortError.fromSignal(options.signal, 'Writing');
    throw error;
  }
}

/**
 * Writes one file so that readers never see it half-written: into a temporary file beside it,
 * then renamed over the target. The temporary file is removed if anything fails.
 *
 * @param path - the target file.
 * @param data - its content.
 * @param options - an abort signal.
 */
export async function atomicWrite(
  path: string,
  data: Uint8Array | string,
  options: WriteFilesOptions = {},
): Promise<void> {
  await writeFilesAtomically([{ path, data }], options);
}

/**
 * Removes, synchronously, every temporary file a write of this process has in flight. For an
 * exit that cannot wait for the writes to clean up after themselves (a second Ctrl-C).
 *
 * @returns the paths removed.
 */
export function removeTemporaryFiles(): string[] {
  const removed = [...temporaryFiles];
  for (const path of removed) removeQuietly(path);
  temporaryFiles.clear();
  return removed;
}
