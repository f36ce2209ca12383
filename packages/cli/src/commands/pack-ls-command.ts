import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { loadWorldPack, WorldPackError, worldPackManifestFile } from '@layerloom/core';
import { type CliIo, writeLine } from '../cli-io.js';
import { formatTable } from '../format-table.js';

/** Folders of `node_modules/NAME` and `node_modules/@scope/NAME` holding a pack manifest. */
async function installedPackFolders(start: string): Promise<string[]> {
  const found: string[] = [];
  for (let directory = start; ; directory = dirname(directory)) {
    const modules = join(directory, 'node_modules');
    const entries = await readdir(modules, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const candidates = entry.name.startsWith('@')
        ? (await readdir(join(modules, entry.name)).catch(() => [])).map((name) =>
            join(modules, entry.name, name),
          )
        : [join(modules, entry.name)];
      for (const folder of candidates) {
        if (existsSync(join(folder, worldPackManifestFile))) found.push(folder);
      }
    }
    if (dirname(directory) === directory) return found;
  }
}

/**
 * `layerloom pack ls`: lists the world packs installed in `node_modules` from the working
 * directory up (the ones `use NAME@RANGE` can find), nearest first.
 *
 * @param json - print a JSON array on stdout.
 * @returns the process exit code (0, also when there is none).
 */
export async function packLsCommand(json: boolean, io: CliIo): Promise<number> {
  const rows: Record<string, unknown>[] = [];
  for (const folder of await installedPackFolders(io.cwd)) {
    try {
      const pack = await loadWorldPack(folder);
      rows.push({
        name: pack.name,
        version: pack.version,
        entities: Object.keys(pack.manifest.entities).length,
        styles: Object.keys(pack.manifest.styles ?? {}).length,
        license: pack.manifest.license,
        folder,
      });
    } catch (error) {
      if (!(error instanceof WorldPackError)) throw error;
      rows.push({ name: relative(io.cwd, folder), version: '', invalid: error.code, folder });
    }
  }
  if (json) {
    writeLine(io.stdout, JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    writeLine(io.stdout, 'No world packs installed in node_modules (from here up).');
    return 0;
  }
  writeLine(
    io.stdout,
    formatTable(
      ['pack', 'version', 'entities', 'styles', 'license', 'folder'],
      rows.map((row) => [
        String(row.name),
        row.invalid === undefined ? String(row.version) : `invalid (${String(row.invalid)})`,
        String(row.entities ?? ''),
        String(row.styles ?? ''),
        String(row.license ?? ''),
        relative(io.cwd, String(row.folder)) || '.',
      ]),
      [2, 3],
    ),
  );
  return 0;
}
