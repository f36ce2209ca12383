import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
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
