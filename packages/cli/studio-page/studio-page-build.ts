import type { Options } from 'tsup';

/**
 * The studio page's build: one browser bundle (no CDN, no runtime dependency) plus the static
 * `public/` files, into `outDir` (the package's `dist/studio/`). Used by the package's tsup
 * config and by the tests that serve a freshly built page.
 *
 * @param outDir - where to write `index.html`, `studio.js` and `studio.css`.
 * @param base - the `studio-page` folder (relative to the working directory, or absolute).
 */
export function studioPageBuild(outDir: string, base: string): Options {
  return {
    entry: { studio: `${base}/src/studio.ts` },
    outDir,
    publicDir: `${base}/public`,
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    dts: false,
    clean: false,
    splitting: false,
    sourcemap: false,
    minify: true,
    tsconfig: `${base}/tsconfig.json`,
    outExtension: () => ({ js: '.js' }),
  };
}
