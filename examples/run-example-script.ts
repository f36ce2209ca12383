import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What an example script printed and how it ended. */
export interface ScriptRun {
  /** Its exit code (`null` when a signal ended it). */
  readonly code: number | null;
  /** Everything it wrote to stdout. */
  readonly stdout: string;
  /** Everything it wrote to stderr. */
  readonly stderr: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs an example as a user would — `node --import tsx <script> …args` from the repository
 * root — with only the given environment (plus `PATH`), and collects its output. For the
 * examples' tests.
 *
 * @param script - the example's path.
 * @param args - its command-line arguments.
 * @param env - its environment (`PATH` is added).
 */
export function runExampleScript(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<ScriptRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
