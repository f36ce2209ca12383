import { relative } from 'node:path';
import { resolveWorldPack } from '@layerloom/core';
import { type CliIo, writeLine } from '../cli-io.js';
import { formatTable } from '../format-table.js';

/**
 * `layerloom pack show <pack>`: a pack's credits, entities (kind, name, tags, the providers it
 * has bindings for, and its reference images as file paths, to open as thumbnails) and styles.
 * `<pack>` is a `use` source: `@studio/ember-world@^1.2`, or a folder such as `./packs/ember`.
 *
 * @param source - the pack.
 * @param json - print JSON on stdout.
 * @returns the process exit code.
 * @throws WorldPackError when the pack cannot be found or loaded.
 */
export async function packShowCommand(source: string, json: boolean, io: CliIo): Promise<number> {
  const pack = await resolveWorldPack(source, { baseDirectory: io.cwd });
  const shown = (file: string) => relative(io.cwd, file) || file;
  const entities = Object.entries(pack.manifest.entities).map(([id, entity]) => ({
    id,
    kind: entity.kind,
    name: entity.name ?? '',
    tags: entity.tags ?? [],
    bindings: Object.keys(entity.bindings ?? {}),
    referenceImages: (entity.referenceImages ?? []).map((image) =>
      shown(pack.images.get(image.path)!.file),
    ),
  }));
  const styles = Object.entries(pack.manifest.styles ?? {}).map(([id, style]) => ({
    id,
    name: style.name ?? '',
    strength: style.strength,
    bindings: Object.keys(style.bindings ?? {}),
  }));
  if (json) {
    writeLine(
      io.stdout,
      JSON.stringify(
        {
          name: pack.name,
          version: pack.version,
          contentHash: pack.contentHash,
          license: pack.manifest.license,
          attribution: pack.manifest.attribution,
          folder: pack.directory,
          entities,
          styles,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  writeLine(io.stdout, `${pack.name}@${pack.version}  (${shown(pack.directory)})`);
  writeLine(io.stdout, `license: ${pack.manifest.license}`);
  writeLine(io.stdout, `credit: ${pack.manifest.attribution}`);
  writeLine(io.stdout, '');
  writeLine(
    io.stdout,
    formatTable(
      ['entity', 'kind', 'name', 'tags', 'bindings', 'reference images'],
      entities.map((entity) => [
        entity.id,
        entity.kind,
        entity.name,
        entity.tags.join(', '),
        entity.bindings.join(', '),
        entity.referenceImages.join(', '),
      ]),
    ),
  );
  if (styles.length > 0) {
    writeLine(io.stdout, '');
    writeLine(
      io.stdout,
      formatTable(
        ['style', 'name', 'strength', 'bindings'],
        styles.map((style) => [
          style.id,
          style.name,
          style.strength === undefined ? '' : String(style.strength),
          style.bindings.join(', '),
        ]),
      ),
    );
  }
  return 0;
}
