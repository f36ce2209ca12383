import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@layerloom/core';
import type { Options } from 'tsup';
import { studioPageBuild } from '../../studio-page/studio-page-build.js';

/** The page's sources, when this module runs from a clone of the repository. */
const pageSources = fileURLToPath(new URL('../../studio-page', import.meta.url));

/** Whether the page's sources are next to this module (a clone, not an installed package). */
export function hasStudioPageSources(): boolean {
  return existsSync(join(pageSources, 'src', 'studio.ts'));
}

/**
 * Builds the studio page from its sources into a new temporary folder, as the package's build
 * does into `dist/studio/`. Only in a clone of the repository, where tsup is a dev dependency
 * (the CLI runs from its sources there, without a build); an installed package ships
 * `dist/studio/` and never gets here.
 *
 * @returns the folder holding `index.html`, `studio.js` and `studio.css`.
 * @throws ValidationError when the sources are not there.
 */
export async function buildStudioPage(): Promise<string> {
  if (!hasStudioPageSources()) {
    throw ValidationError.field(
      ['studio'],
      `Expected the studio page's sources in ${pageSources}`,
      'studio',
    );
  }
  const outDir = mkdtempSync(join(tmpdir(), 'layerloom-studio-page-'));
  // A name built at run time: the package's own bundle must not pull tsup in.
  const tsupName = ['ts', 'up'].join('');
  const tsup = (await import(tsupName)) as { build(options: Options): Promise<void> };
  await tsup.build({ ...studioPageBuild(outDir, pageSources), silent: true });
  return outDir;
}
