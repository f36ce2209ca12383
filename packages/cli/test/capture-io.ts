import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import type { CliIo } from '../src/cli-io.js';

/** A {@link CliIo} that keeps what is written to it. */
export interface CapturedIo extends CliIo {
  /**
   * Everything written so far to stdout and stderr, without terminal colours (picocolors
   * colours output under `CI`, which `.ci/run` sets, even when it is not a terminal).
   */
  readonly text: () => { stdout: string; stderr: string };
  /** The lines written to stderr so far. */
  readonly stderrLines: () => string[];
}

/**
 * A `CliIo` over in-memory streams (not TTYs), for tests of commands and progress displays.
 *
 * @param options - the working directory (default: the process's) and the environment
 *   (default: empty).
 */
export function captureIo(
  options: { readonly cwd?: string; readonly env?: Record<string, string | undefined> } = {},
): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  return {
    stdout,
    stderr,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    text: () => ({ stdout: stripVTControlCharacters(out), stderr: stripVTControlCharacters(err) }),
    stderrLines: () => stripVTControlCharacters(err).trimEnd().split('\n'),
  };
}
