import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.package.js';
import { studioPageBuild } from './studio-page/studio-page-build.js';

export default defineConfig([
  // `shims` gives the CommonJS build `import.meta.url` (the config loader needs it).
  packageConfig({ index: 'src/index.ts' }, { shims: true, clean: false }),
  // The executable is ESM only (it uses top-level await). Neither build cleans: they share
  // `dist`, which the package's build script empties first.
  packageConfig({ bin: 'src/bin.ts' }, { format: ['esm'], dts: false, clean: false }),
  // The studio page, served by `layerloom studio` from `dist/studio/` (works offline).
  studioPageBuild('dist/studio', 'studio-page'),
]);
