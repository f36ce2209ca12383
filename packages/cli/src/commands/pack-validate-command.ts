import { resolve } from 'node:path';
import { formatPath, loadWorldPack, WorldPackError } from '@layerloom/core';
import pc from 'picocolors';
import { type CliIo, writeLine } from '../cli-io.js';

/**
 * `layerloom pack validate [folder]`: loads a world pack as a render would — schema, paths,
 * reference images — and prints every problem with its JSON path (`entities.wolf.kind: …`).
 *
 * @param folder - the pack's folder. @default the working directory
 * @param json - print `{ valid, name?, version?, contentHash?, problems }` on stdout.
 * @returns 0 when the pack is valid, 1 otherwise.
 */
export async function packValidateCommand(
  folder: string | undefined,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const directory = resolve(io.cwd, folder ?? '.');
  try {
    const pack = await loadWorldPack(directory);
    const entities = Object.keys(pack.manifest.entities).length;
    const styles = Object.keys(pack.manifest.styles ?? {}).length;
    if (json) {
      writeLine(
        io.stdout,
        JSON.stringify({
          valid: true,
          name: pack.name,
          version: pack.version,
          contentHash: pack.contentHash,
          problems: [],
        }),
      );
    } else {
      writeLine(
        io.stdout,
        `${pc.green('valid')} ${pack.name}@${pack.version}: ${entities} entities, ${styles} styles, ${pack.images.size} reference images (content ${pack.contentHash.slice(0, 12)})`,
      );
    }
    return 0;
  } catch (error) {
    if (!(error instanceof WorldPackError)) throw error;
    const problems =
      error.issues.length > 0
        ? error.issues.map((issue) => ({
            path: formatPath(issue.path),
            message: issue.message,
            code: error.code,
          }))
        : [{ path: '', message: error.message, code: error.code }];
    if (json) {
      writeLine(io.stdout, JSON.stringify({ valid: false, problems }));
    } else {
      writeLine(io.stderr, pc.red(`invalid pack ${directory} [${error.code}]`));
      for (const problem of problems) {
        writeLine(
          io.stderr,
          `  ${problem.path === '' ? '' : `${problem.path}: `}${problem.message}`,
        );
      }
    }
    return 1;
  }
}
