import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@layerloom/core';
import { buildStudioPage, hasStudioPageSources } from './build-studio-page.js';

/** The built page's files by name: body and content type. */
export type StudioAssets = ReadonlyMap<string, { readonly body: string; readonly type: string }>;

/** The files the page is made of, and their content types. */
export const studioAssetFiles: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'studio.js': 'text/javascript; charset=utf-8',
  'studio.css': 'text/css; charset=utf-8',
};

/**
 * Where the built page is: `dist/studio/` next to the package's bundle (the package's `build`
 * script writes it there).
 */
export function defaultStudioAssetsDirectory(): string {
  return fileURLToPath(new URL('./studio/', import.meta.url));
}

/**
 * Reads the built page into memory (three small files): only these names are ever served.
 *
 * @param directory - the folder the page was built into. @default defaultStudioAssetsDirectory()
 * @throws ValidationError when a file is missing (the package was not built).
 */
export function loadStudioAssets(directory = defaultStudioAssetsDirectory()): StudioAssets {
  const assets = new Map<string, { body: string; type: string }>();
  for (const [name, type] of Object.entries(studioAssetFiles)) {
    const path = join(directory, name);
    if (!existsSync(path)) {
      throw ValidationError.field(
        ['studio'],
        `Expected the built studio page at ${path}; build it with \`npm run build -w @layerloom/cli\``,
        'studio',
      );
    }
    assets.set(name, { body: readFileSync(path, 'utf8'), type });
  }
  return assets;
}

/**
 * The folder to serve the page from: `directory` when given, else the package's
 * `dist/studio/`, else — in a clone of the repository, running from the sources — the page
 * freshly built from `studio-page/`.
 *
 * @param directory - an explicit folder.
 */
export async function findStudioAssets(directory?: string): Promise<string> {
  if (directory !== undefined) return directory;
  const built = defaultStudioAssetsDirectory();
  if (existsSync(join(built, 'index.html')) || !hasStudioPageSources()) return built;
  return buildStudioPage();
}
