import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { studioPageBuild } from '../studio-page/studio-page-build.js';

let built: Promise<string> | undefined;

/**
 * Builds the studio page from its sources into a temporary folder, once per test file, as the
 * package's build does into `dist/studio/`. Tests serve that folder.
 *
 * @returns the folder holding `index.html`, `studio.js` and `studio.css`.
 */
export function buildStudioPage(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'layerloom-studio-page-'));
    const base = fileURLToPath(new URL('../studio-page', import.meta.url));
    await build({ ...studioPageBuild(outDir, base), silent: true });
    return outDir;
  })();
  return built;
}
