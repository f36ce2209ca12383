import { AbortError } from '@layerloom/core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { type CliIo, processIo, writeLine } from './cli-io.js';
import { checkCommand, formatError } from './commands/check-command.js';
import { initCommand } from './commands/init-command.js';
import { packInitCommand } from './commands/pack-init-command.js';
import { packLsCommand } from './commands/pack-ls-command.js';
import { packShowCommand } from './commands/pack-show-command.js';
import { packValidateCommand } from './commands/pack-validate-command.js';
import { providersCommand } from './commands/providers-command.js';
import { renderCommand } from './commands/render-command.js';
import { studioCommand } from './commands/studio-command.js';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Streams, directory and environment. @default the process's */
  readonly io?: CliIo;
  /** Aborts a running render (the bin wires Ctrl-C to it). */
  readonly signal?: AbortSignal;
}

function collectVariable(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals < 1) throw new InvalidArgumentError(`Expected name=value, got "${value}"`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

/** `--var name=value`, repeatable. No default, so the help shows none (unset is `{}`). */
function variableOption(): Option {
  return new Option('--var <name=value>', 'set $name in prompts (repeatable)').argParser(
    collectVariable,
  );
}

function integer(name: string, min: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`Expected ${name} to be an integer >= ${min}, got "${value}"`);
    }
    return parsed;
  };
}

function integerUpTo(name: string, min: number, max: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(
        `Expected ${name} to be an integer from ${min} to ${max}, got "${value}"`,
      );
    }
    return parsed;
  };
}

/**
 * Runs the `layerloom` command line.
 *
 * @param argv - the arguments after the program name, e.g. `['render', 'scene.loom']`.
 * @param options - io and an abort signal.
 * @returns the exit code: 0 success, 1 failure, 2 usage error, 130 aborted.
 */
export async function runCli(
  argv: readonly string[],
  options: RunCliOptions = {},
): Promise<number> {
  const io = options.io ?? processIo();
  let exitCode = 0;
  const program = new Command('layerloom')
    .description('Render layered, multi-provider image compositions.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError();

  program
    .command('render')
    .description('render a .loom or .json composition to an image')
    .argument('<file>', 'composition file (.loom or .json)')
    .option('-o, --output <path>', 'output image (default: out/<name>.<format>)')
    .option('--layers-dir <dir>', 'also write each layer image into this directory')
    .option('--manifest [path]', 'write the manifest (default: <output>.manifest.json)')
    .option('--json', 'machine-readable output on stdout', false)
    .option('--dry-run', 'print the plan and cost estimate; call nothing', false)
    .addOption(variableOption())
    .option('--seed <n>', 'seed for every step without one', integer('--seed', 0))
    .option('--concurrency <n>', 'calls in flight per provider', integer('--concurrency', 1))
    .addOption(
      new Option('--format <format>', "output format, overriding the file's `format`").choices([
        'png',
        'webp',
        'jpeg',
        'jpg',
        'avif',
      ]),
    )
    .option(
      '--quality <n>',
      'quality of webp, jpeg and avif (1-100)',
      integerUpTo('--quality', 1, 100),
    )
    .option(
      '--compression <n>',
      'png compression level (0-9; default 1, fast)',
      integerUpTo('--compression', 0, 9),
    )
    .option(
      '--before-harmony <path>',
      'also write the composite without harmonize, shadow and wrap (before/after; no extra call)',
    )
    .addOption(new Option('--no-cache', 'do not read or write the file cache'))
    .action(async (file: string, flags) => {
      exitCode = await renderCommand(
        file,
        {
          output: flags.output,
          layersDir: flags.layersDir,
          manifest: flags.manifest,
          json: flags.json,
          dryRun: flags.dryRun,
          variables: flags.var ?? {},
          seed: flags.seed,
          concurrency: flags.concurrency,
          format: flags.format === 'jpg' ? 'jpeg' : flags.format,
          quality: flags.quality,
          compressionLevel: flags.compression,
          beforeHarmony: flags.beforeHarmony,
          cache: flags.cache,
          signal: options.signal,
        },
        io,
      );
    });

  program
    .command('check')
    .description('validate a composition file; errors show line and column')
    .argument('<file>', 'composition file (.loom or .json)')
    .addOption(variableOption())
    .action(async (file: string, flags) => {
      exitCode = await checkCommand(file, { variables: flags.var ?? {} }, io);
    });

  program
    .command('studio')
    .description('open a local web page to compose, watch and re-roll layers')
    .argument('[file]', '.loom file to open (inside the working directory)')
    .option('--port <n>', 'port to listen on (default: a free port)', integer('--port', 0))
    .option('--host <host>', 'interface to listen on (default: 127.0.0.1; others warn)')
    .option('--open', 'open the page in the default browser', false)
    .action(async (file: string | undefined, flags) => {
      exitCode = await studioCommand(
        file,
        { port: flags.port, host: flags.host, open: flags.open, signal: options.signal },
        io,
      );
    });

  program
    .command('providers')
    .description('list the configured provider aliases and their capabilities')
    .option('--json', 'machine-readable output', false)
    .action(async (flags) => {
      exitCode = await providersCommand({ json: flags.json }, io);
    });

  program
    .command('init')
    .description('write a starter layerloom.config.mjs and scene.loom')
    .option('--force', 'overwrite existing files', false)
    .action(async (flags) => {
      exitCode = await initCommand({ force: flags.force }, io);
    });

  const pack = program.command('pack').description('create, check and inspect world packs');
  pack
    .command('init')
    .description('scaffold a valid world pack (world-pack.json, its JSON Schema, package.json)')
    .argument('[folder]', 'where to write (default: here)')
    .option('--name <name>', 'npm package name of the pack (default: the folder name)')
    .option('--force', 'overwrite existing files', false)
    .action(async (folder: string | undefined, flags) => {
      exitCode = await packInitCommand(folder, { name: flags.name, force: flags.force }, io);
    });
  pack
    .command('validate')
    .description('check a world pack; every problem with its JSON path')
    .argument('[folder]', "the pack's folder (default: here)")
    .option('--json', 'machine-readable output', false)
    .action(async (folder: string | undefined, flags) => {
      exitCode = await packValidateCommand(folder, flags.json, io);
    });
  pack
    .command('ls')
    .description('list the world packs installed in node_modules')
    .option('--json', 'machine-readable output', false)
    .action(async (flags) => {
      exitCode = await packLsCommand(flags.json, io);
    });
  pack
    .command('show')
    .description("a pack's credits, entities (with reference image paths) and styles")
    .argument('<pack>', 'package name with an optional range, or a folder (./packs/x)')
    .option('--json', 'machine-readable output', false)
    .action(async (source: string, flags) => {
      exitCode = await packShowCommand(source, flags.json, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof AbortError || options.signal?.aborted) {
      writeLine(io.stderr, pc.yellow('Cancelled.'));
      return 130;
    }
    writeLine(io.stderr, pc.red(formatError(error)));
    return 1;
  }
}
