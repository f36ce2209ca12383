import { buildStudioPage as build } from '../src/studio/build-studio-page.js';

let built: Promise<string> | undefined;

/**
 * The studio page built from its sources into a temporary folder, once per test file (as the
 * package's build does into `dist/studio/`). Tests serve that folder.
 *
 * @returns the folder holding `index.html`, `studio.js` and `studio.css`.
 */
export function buildStudioPage(): Promise<string> {
  built ??= build();
  return built;
}
