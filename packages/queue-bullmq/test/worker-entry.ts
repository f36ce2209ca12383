// A worker process for the distributed tests and the bench: configured through environment
// variables, prints `ready` once connected, closes on SIGTERM.
import { createCompositor } from '@layerloom/compositor';
import { fileBlobStore, startWorker } from '@layerloom/queue-bullmq';
import { createFakeHttpProvider } from './fake-provider-server.js';

interface WorkerConfig {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly blobDirectory: string;
  readonly fakeUrl: string;
  readonly latencyMs?: number;
  readonly aliases: readonly string[];
  readonly limits?: Record<string, { concurrency?: number; maxRetries?: number }>;
  readonly concurrency?: number;
}

const config = JSON.parse(process.env.LAYERLOOM_WORKER_CONFIG ?? '{}') as WorkerConfig;
const providers = Object.fromEntries(
  config.aliases.map((alias) => [
    alias,
    createFakeHttpProvider(config.fakeUrl, alias.toLowerCase(), config.latencyMs ?? 100),
  ]),
);
const worker = await startWorker({
  connection: config.redisUrl,
  prefix: config.prefix,
  blobStore: fileBlobStore(config.blobDirectory),
  providers,
  compositor: createCompositor(),
  ...(config.limits === undefined ? {} : { limits: config.limits }),
  ...(config.concurrency === undefined ? {} : { concurrency: config.concurrency }),
  // Short enough to recover a killed worker's jobs quickly, long enough that a busy machine
  // (parallel test files on 2 cores) renews its locks in time.
  lockDurationMs: 2000,
  stalledIntervalMs: 500,
  maxStalledCount: 2,
  retry: { baseDelayMs: 50, maxDelayMs: 200 },
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  setTimeout(() => process.exit(0), 2000).unref();
  void worker.close({ force: true }).then(() => process.exit(0));
});
