#!/usr/bin/env node
// Checks every built package as it would be published: publint --strict and
// are-the-types-wrong on the packed tarball (profile node16: the packages need Node >= 20, so
// the node10 resolution of subpath exports does not apply). Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages')).sort();
const failures = [];
for (const name of packages) {
  const directory = join(root, 'packages', name);
  for (const [label, command, args] of [
    ['publint --strict', 'npx', ['publint', '--strict', directory]],
    [
      'attw --pack',
      'npx',
      ['attw', '--pack', directory, '--profile', 'node16', '--format', 'table-flipped'],
    ],
  ]) {
    const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.status === 0) {
      console.log(`ok   ${label} @layerloom/${name}`);
    } else {
      console.log(`FAIL ${label} @layerloom/${name}\n${output}\n`);
      failures.push(`${label} @layerloom/${name}`);
    }
  }
}
if (failures.length > 0) {
  console.error(`\n${failures.length} packaging check(s) failed: ${failures.join(', ')}`);
  process.exit(1);
}
console.log(`\nAll ${packages.length} packages pass publint --strict and attw --pack.`);
