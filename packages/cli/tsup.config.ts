import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // Shared chunks in both formats, so the entry points share one copy of each error class.
  splitting: true,
  shims: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: '../../tsconfig.build.json',
  // ESM-only dependencies are bundled so the CommonJS build also loads on every Node 20.
  noExternal: [/^p-limit$/, /^yocto-queue$/, /^p-queue$/],
});
