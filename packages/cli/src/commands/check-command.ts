import { relative } from 'node:path';
import { isLayerloomError, LayerNotationError, ValidationError } from '@layerloom/core';
import pc from 'picocolors';
import { type CliIo, writeLine } from '../cli-io.js';
import { readCompositionFile } from '../read-composition-file.js';

/** Options of `layerloom check`. */
export interface CheckOptions {
  /** `name=value` pairs for `$name` in prompts. */
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * Formats a Layerloom error for the terminal: `file:line:column` and a code frame for notation
 * errors, one line per problem for validation errors.
 */
export function formatError(error: unknown, file?: string): string {
  if (error instanceof LayerNotationError) {
    const where = file === undefined ? '' : `${file}:${error.line}:${error.column}: `;
    return `${where}${error.codeFrame()}`;
  }
  if (error instanceof ValidationError) {
    const prefix = file === undefined ? '' : `${file}: `;
    return `${prefix}${error.message}`;
  }
  if (isLayerloomError(error)) return `${error.message} [${error.code}]`;
  return String(error instanceof Error ? error.message : error);
}

/**
 * `layerloom check <file>`: validates a `.loom` or `.json` composition without rendering.
 *
 * @returns the process exit code: 0 when valid, 1 otherwise.
 */
export async function checkCommand(
  file: string,
  options: CheckOptions,
  io: CliIo,
): Promise<number> {
  const shown = relative(io.cwd, file) || file;
  try {
    const composition = await readCompositionFile(file, { variables: options.variables });
    const layers = composition.layers.map((layer) => layer.id).join(', ');
    const style =
      composition.style === undefined
        ? ''
        : `, style @${[composition.style.provider].flat().join('|')}`;
    writeLine(
      io.stdout,
      `${pc.green('ok')} ${shown}: ${composition.width}x${composition.height}, ${composition.layers.length} layer(s) (${layers})${style}`,
    );
    return 0;
  } catch (error) {
    writeLine(io.stderr, pc.red(formatError(error, shown)));
    return 1;
  }
}
