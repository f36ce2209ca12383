#!/usr/bin/env node
// Runs every `bench/*.bench.ts` of the current package in sequence, each in its own process
// (tsx resolves the workspace packages to their sources through tsconfig paths).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const directory = join(process.cwd(), 'bench');
const files = existsSync(directory)
  ? readdirSync(directory)
      .filter((name) => name.endsWith('.bench.ts'))
      .sort()
  : [];
const only = process.argv.slice(2);
let failed = false;
for (const file of files) {
  if (only.length > 0 && !only.some((name) => file.includes(name))) continue;
  console.log(`\n# ${file}`);
  const result = spawnSync(
    'npx',
    ['tsx', '--tsconfig', '../../tsconfig.json', join('bench', file)],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
