import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A Redis for a test file: the CI's (`LAYERLOOM_REDIS_URL`) or one started here. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops the server if this helper started it. */
  stop(): Promise<void>;
}

const hasRedisServer = () => {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
};

/**
 * Why queue tests cannot run here, or `undefined` when they can. Throws under `CI` rather than
 * skipping: CI must run them.
 */
export function redisUnavailableReason(): string | undefined {
  if (process.env.LAYERLOOM_REDIS_URL !== undefined) return undefined;
  if (hasRedisServer()) return undefined;
  const reason =
    'queue tests need Redis: set LAYERLOOM_REDIS_URL or put redis-server on PATH (scripts/with-redis.sh)';
  if (process.env.CI !== undefined) throw new Error(`CI: ${reason}`);
  console.warn(`Skipping: ${reason}`);
  return reason;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });

async function waitForPing(url: string, child: ChildProcess | undefined): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    for (let tries = 0; tries < 100; tries += 1) {
      if (child?.exitCode !== null && child !== undefined) throw new Error('redis-server exited');
      try {
        if (client.status !== 'ready') await client.connect();
        if ((await client.ping()) === 'PONG') return;
      } catch {
        client.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error(`Redis at ${url} did not answer PING`);
  } finally {
    client.disconnect();
  }
}

/** Uses `LAYERLOOM_REDIS_URL`, or starts a throw-away redis-server on a free port. */
export async function startTestRedis(): Promise<TestRedis> {
  const fromEnvironment = process.env.LAYERLOOM_REDIS_URL;
  if (fromEnvironment !== undefined) return { url: fromEnvironment, stop: async () => {} };
  return spawnRedis();
}

/** Starts a throw-away redis-server (no persistence, noeviction); `stop()` kills it by pid. */
export async function spawnRedis(port?: number): Promise<TestRedis & { readonly port: number }> {
  const chosen = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(chosen),
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${chosen}`;
  await waitForPing(url, child);
  return {
    url,
    port: chosen,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.pid === undefined) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid, 'SIGTERM');
      }),
  };
}

/**
 * Why a test that starts and restarts its own redis-server cannot run here, or `undefined` when
 * it can (`LAYERLOOM_REDIS_URL` does not help: a shared server cannot be restarted by a test).
 * Throws under `CI` rather than skipping.
 */
export function redisServerUnavailableReason(): string | undefined {
  if (hasRedisServer()) return undefined;
  const reason =
    'Redis restart tests need redis-server on PATH (scripts/with-redis.sh installs it)';
  if (process.env.CI !== undefined) throw new Error(`CI: ${reason}`);
  console.warn(`Skipping: ${reason}`);
  return reason;
}

/** How a {@link RestartableRedis} keeps its data across a restart. */
export type RedisPersistence =
  /** `--appendonly yes` (fsync every second), the production setting: state survives. */
  | 'aof'
  /** `--save '' --appendonly no`, as CI runs it: a restart starts empty. */
  | 'none';

/** A redis-server owned by one test, that can be stopped and started again on the same port. */
export interface RestartableRedis {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its port (the same after every restart). */
  readonly port: number;
  /** Its working directory (AOF files, log). */
  readonly directory: string;
  /** Whether the server runs now. */
  readonly running: boolean;
  /** Stops the server with SIGTERM (a clean shutdown: the AOF is flushed) and waits for its exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it (if running) and removes its directory. */
  close(): Promise<void>;
}

/**
 * Starts a redis-server in a fresh temporary directory (bound to 127.0.0.1, `noeviction`) that
 * the test can stop and start again, e.g. to restart Redis in the middle of a batch.
 *
 * @param persistence - `aof` (state survives a restart) or `none` (a restart starts empty).
 */
export async function startRestartableRedis(
  persistence: RedisPersistence,
): Promise<RestartableRedis> {
  const port = await freePort();
  const directory = await mkdtemp(join(tmpdir(), 'layerloom-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    directory,
    '--logfile',
    join(directory, 'redis.log'),
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    ...(persistence === 'aof'
      ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
      : ['--appendonly', 'no']),
  ];
  let child: ChildProcess | undefined;
  const isRunning = () =>
    child !== undefined && child.exitCode === null && child.signalCode === null;
  const server: RestartableRedis = {
    url,
    port,
    directory,
    get running() {
      return isRunning();
    },
    async start() {
      if (isRunning()) return;
      child = spawn('redis-server', args, { stdio: 'ignore' });
      await waitForPing(url, child);
    },
    async stop() {
      const current = child;
      if (current === undefined || !isRunning() || current.pid === undefined) return;
      await new Promise<void>((resolve) => {
        current.once('exit', () => resolve());
        process.kill(current.pid!, 'SIGTERM');
      });
    },
    async close() {
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}
