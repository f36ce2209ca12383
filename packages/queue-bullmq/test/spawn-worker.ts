import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A test process (a worker, a submitter) running in its own `node` process. */
export interface SpawnedWorker {
  readonly child: ChildProcess;
  /** SIGKILL: dies mid-job, as a crashed machine would. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Spawns `worker-entry.ts` with tsx and waits for its `ready`. */
export function spawnWorker(config: Record<string, unknown>): Promise<SpawnedWorker> {
  return spawnTestProcess('worker-entry.ts', 'LAYERLOOM_WORKER_CONFIG', config, 'ready');
}

/**
 * Spawns a test entry of this folder with tsx, its configuration as JSON in the environment
 * variable `variable`, and waits until it prints `word`.
 */
export async function spawnTestProcess(
  file: string,
  variable: string,
  config: Record<string, unknown>,
  word: string,
): Promise<SpawnedWorker> {
  const entry = fileURLToPath(new URL(`./${file}`, import.meta.url));
  const child = spawn(
    process.execPath,
    // tsx as a loader in this very process (its CLI would fork a child that SIGKILL misses).
    ['--import', pathToFileURL(require.resolve('tsx')).href, entry],
    {
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: `${root}tsconfig.json`,
        [variable]: JSON.stringify(config),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} not ready: ${errors}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(word)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}: ${errors}`));
    });
  });
  const exited = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  return {
    child,
    async kill() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGKILL');
      }
      await exited();
    },
    async stop() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGTERM');
      }
      await exited();
    },
  };
}
