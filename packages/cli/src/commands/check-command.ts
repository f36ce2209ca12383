import { dirname, extname, relative, resolve } from 'node:path';
import {
  type Composition,
  isLayerloomError,
  LayerNotationError,
  resolveCompositionPacks,
  ValidationError,
  WorldPackError,
} from '@layerloom/core';
import { checkProviderAliases, expandWorldPacks } from '@layerloom/core/pipeline';
import pc from 'picocolors';
import { type CliIo, writeLine } from '../cli-io.js';
import type { LayerloomConfig } from '../config/layerloom-config.js';
import { loadConfig } from '../config/load-config.js';
import { readCompositionSource } from '../read-composition-file.js';

/** Options of `layerloom check`. */
export interface CheckOptions {
  /** `name=value` pairs for `$name` in prompts. */
  readonly variables: Readonly<Record<string, string>>;
}

/** Line and column (1-based, in characters) of the first `@alias` written in a `.loom` text. */
function aliasPosition(text: string, alias: string): { line: number; column: number } | undefined {
  const escaped = alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`@${escaped}(?![\\p{L}\\p{N}_-])`, 'u').exec(text);
  if (match === null) return undefined;
  const before = text.slice(0, match.index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return {
    line: before.split('\n').length,
    column: [...before.slice(lineStart)].length + 1,
  };
}

/**
 * Formats a Layerloom error for the terminal: `file:line:column` and a code frame for notation
 * errors, one line per problem for validation errors (with the line and column of the first
 * unknown alias when the `.loom` text is given).
 *
 * @param error - what was thrown.
 * @param file - the composition file, as shown to the user.
 * @param text - the `.loom` file's text, to place an unknown alias.
 */
export function formatError(error: unknown, file?: string, text?: string): string {
  if (error instanceof LayerNotationError) {
    const where = file === undefined ? '' : `${file}:${error.line}:${error.column}: `;
    return `${where}${error.codeFrame()}`;
  }
  if (error instanceof ValidationError) {
    const alias = /unknown provider alias "([^"]+)"/.exec(error.message)?.[1];
    const position =
      alias === undefined || text === undefined ? undefined : aliasPosition(text, alias);
    const prefix =
      file === undefined
        ? ''
        : position === undefined
          ? `${file}: `
          : `${file}:${position.line}:${position.column}: `;
    return `${prefix}${error.message}`;
  }
  if (isLayerloomError(error)) return `${error.message} [${error.code}]`;
  return String(error instanceof Error ? error.message : error);
}

/**
 * Checks the composition's provider aliases against the config's, when it configures providers
 * (without, every alias is painted by the preview provider and any alias is fine).
 *
 * @param composition - the composition.
 * @param config - the loaded configuration.
 * @throws ValidationError naming each unknown alias, the nearest configured one and all of them.
 */
export function checkConfiguredAliases(composition: Composition, config: LayerloomConfig): void {
  const configured = Object.keys(config.providers ?? {});
  if (configured.length > 0) checkProviderAliases(composition, configured);
}

/**
 * Reads a composition file and checks its aliases against the config, writing any problem to
 * stderr as `file:line:column: message` (or `file: message`).
 *
 * @returns the composition, or `undefined` after writing the problem.
 */
export async function readCheckedComposition(
  file: string,
  variables: Readonly<Record<string, string>>,
  config: LayerloomConfig,
  io: CliIo,
): Promise<Composition | undefined> {
  const shown = relative(io.cwd, file) || file;
  let text: string | undefined;
  try {
    const source = await readCompositionSource(file, { variables });
    text = extname(file).toLowerCase() === '.json' ? undefined : source.text;
    checkConfiguredAliases(source.composition, config);
    return source.composition;
  } catch (error) {
    writeLine(io.stderr, pc.red(formatError(error, shown, text)));
    return undefined;
  }
}

/**
 * `layerloom check <file>`: validates a `.loom` or `.json` composition without rendering, its
 * provider aliases against the config's when a config names providers, and its world packs
 * (`use` lines resolved from the file's folder, every `$alias.id` looked up).
 *
 * @returns the process exit code: 0 when valid, 1 otherwise.
 */
export async function checkCommand(
  file: string,
  options: CheckOptions,
  io: CliIo,
): Promise<number> {
  const shown = relative(io.cwd, file) || file;
  const { config } = await loadConfig(io.cwd);
  const composition = await readCheckedComposition(file, options.variables, config, io);
  if (composition === undefined) return 1;
  let packs = '';
  if (composition.packs !== undefined && composition.packs.length > 0) {
    try {
      const resolved = await resolveCompositionPacks(composition, {
        baseDirectory: dirname(resolve(io.cwd, file)),
      });
      expandWorldPacks(composition, resolved);
      packs = `, packs ${[...resolved.values()].map((pack) => `${pack.name}@${pack.version}`).join(', ')}`;
    } catch (error) {
      if (!(error instanceof WorldPackError)) throw error;
      writeLine(io.stderr, pc.red(`${shown}: ${error.message} [${error.code}]`));
      return 1;
    }
  }
  const layers = composition.layers.map((layer) => layer.id).join(', ');
  const style =
    composition.style === undefined
      ? ''
      : `, style @${[composition.style.provider].flat().join('|')}`;
  writeLine(
    io.stdout,
    `${pc.green('ok')} ${shown}: ${composition.width}x${composition.height}, ${composition.layers.length} layer(s) (${layers})${style}${packs}`,
  );
  return 0;
}
