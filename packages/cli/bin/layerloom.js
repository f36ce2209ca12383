#!/usr/bin/env node
// The `layerloom` command. Installed from the registry, the package has no sources and this runs
// the build (dist/bin.js). In a clone of the repository it runs the TypeScript sources through
// tsx (a root devDependency) with the workspace's tsconfig, so `npx --no-install layerloom` works
// right after `npm ci`, without a build, and never runs a stale one.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/bin.ts', import.meta.url);
const tsconfig = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));

if (existsSync(fileURLToPath(source)) && existsSync(tsconfig)) {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig });
  await import(source.href);
} else {
  await import('../dist/bin.js');
}
