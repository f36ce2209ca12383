import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * Gives each test of the calling file a fresh directory under the system's temporary directory,
 * removed again after the test.
 *
 * @param prefix - start of the directory's name, e.g. `layerloom-cli-`.
 * @param onCreated - called before each test with the new directory's path (keep it, fill it).
 */
export function useTemporaryDirectory(prefix: string, onCreated: (path: string) => void): void {
  let path: string | undefined;
  beforeEach(() => {
    path = mkdtempSync(join(tmpdir(), prefix));
    onCreated(path);
  });
  afterEach(() => {
    if (path !== undefined) rmSync(path, { recursive: true, force: true });
    path = undefined;
  });
}
