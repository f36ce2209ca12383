import { spawn } from 'node:child_process';
import pc from 'picocolors';
import { type CliIo, writeLine } from '../cli-io.js';
import { isLoopbackHost, type StudioHandle, startStudio } from '../studio/start-studio.js';

/** Options of `layerloom studio`. */
export interface StudioOptions {
  /** Port to listen on. @default 0 (a free port) */
  readonly port?: number | undefined;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string | undefined;
  /** Open the URL in the default browser. */
  readonly open: boolean;
  /** Stops the server (Ctrl-C). Without one the server runs until the process ends. */
  readonly signal?: AbortSignal | undefined;
  /** Folder of the built page. @default the package's `dist/studio/` */
  readonly assetsDirectory?: string | undefined;
  /** Called once the server listens (tests). */
  readonly onListening?: ((studio: StudioHandle) => void) | undefined;
}

function openInBrowser(url: string): void {
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  const child = spawn(command!, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

/**
 * `layerloom studio [file]`: serves the studio page for the project in the working directory,
 * with the same config and providers as `layerloom render` (the preview provider without a
 * config), on loopback unless `--host` says otherwise (then it warns). Prints the URL with the
 * session token and runs until the signal aborts.
 *
 * @returns the exit code: 0 once stopped.
 */
export async function studioCommand(
  file: string | undefined,
  options: StudioOptions,
  io: CliIo,
): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    writeLine(
      io.stderr,
      pc.yellow(
        `warning: listening on ${host}, not only on this machine: anyone who can reach it and learns the URL's token can render with your providers and keys.`,
      ),
    );
  }
  const studio = await startStudio({
    root: io.cwd,
    ...(file === undefined ? {} : { file }),
    host,
    ...(options.port === undefined ? {} : { port: options.port }),
    env: io.env,
    ...(options.assetsDirectory === undefined ? {} : { assetsDirectory: options.assetsDirectory }),
  });
  if (studio.previewOnly) {
    writeLine(
      io.stderr,
      pc.yellow('No providers configured: every alias is painted by the offline preview provider.'),
    );
  }
  writeLine(io.stdout, `Layerloom Studio: ${studio.url}`);
  writeLine(io.stderr, pc.dim('Press Ctrl-C to stop.'));
  if (options.open) openInBrowser(studio.url);
  options.onListening?.(studio);
  await new Promise<void>((resolve) => {
    if (options.signal === undefined) return;
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await studio.close();
  writeLine(io.stderr, 'Studio stopped.');
  return 0;
}
