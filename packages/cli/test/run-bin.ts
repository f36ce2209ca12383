import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const bin = join(root, 'packages', 'cli', 'src', 'bin.ts');

/** A `layerloom` process started from the sources, as a user's shell would start it. */
export interface BinProcess {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  readonly output: () => { stdout: string; stderr: string };
  /** Resolves with the exit code and all output. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `file <args>` in `cwd` with only PATH, HOME and `env`, collecting its output. */
export function startProcess(
  file: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): BinProcess {
  const child = spawn(file, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Starts `layerloom <args>` in `cwd`, without a TTY and without colour forcing. */
export function startBin(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): BinProcess {
  return startProcess(
    process.execPath,
    [tsx, '--tsconfig', join(root, 'tsconfig.json'), bin, ...args],
    cwd,
    env,
  );
}

/** Runs `layerloom <args>` to completion. */
export function runBin(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  return startBin(args, cwd, env).done;
}
