/**
 * The scheduler on its own (docs/limits-retries-caching.md §1): any async work in per-key
 * queues with concurrency limits, priorities, timeouts and retries — here, thumbnails "uploaded"
 * to two services, one of which answers the first call with a 429.
 *
 * Run: `npx tsx --tsconfig tsconfig.json examples/render/standalone-scheduler.ts`
 */
import { pathToFileURL } from 'node:url';
import { createScheduler, ProviderError } from '@layerloom/core';

/** What the example observed, for its test. */
export interface SchedulerExampleReport {
  /** Upload order per service, as the uploads started. */
  readonly started: Record<string, string[]>;
  /** Most uploads in flight at once, per service. */
  readonly maxInFlight: Record<string, number>;
  /** Retry notices, as `onRetry` reported them. */
  readonly retries: string[];
  /** The results, in submission order. */
  readonly results: string[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/**
 * Uploads eight thumbnails to two services through one scheduler and reports what happened.
 *
 * @param log - prints a line.
 */
export async function runStandaloneScheduler(
  log: (line: string) => void = () => {},
): Promise<SchedulerExampleReport> {
  const scheduler = createScheduler({
    limits: { cdn: { concurrency: 2 }, archive: { concurrency: 1, maxRetries: 2 } },
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
  const started: Record<string, string[]> = { cdn: [], archive: [] };
  const inFlight: Record<string, number> = { cdn: 0, archive: 0 };
  const maxInFlight: Record<string, number> = { cdn: 0, archive: 0 };
  const retries: string[] = [];
  let archiveCalls = 0;

  const upload = (service: 'cdn' | 'archive', name: string, priority: number) =>
    scheduler.run(
      service,
      async ({ signal, attempt }) => {
        if (attempt === 1) started[service]!.push(name);
        inFlight[service]! += 1;
        maxInFlight[service] = Math.max(maxInFlight[service]!, inFlight[service]!);
        try {
          await sleep(30, signal);
          if (service === 'archive' && ++archiveCalls === 1) {
            throw new ProviderError('Too many requests', {
              provider: 'archive',
              status: 429,
              retryable: true,
              retryAfterMs: 50,
            });
          }
          return `${service}/${name}`;
        } finally {
          inFlight[service]! -= 1;
        }
      },
      {
        priority,
        timeoutMs: 5_000,
        label: `${name} to ${service}`,
        onRetry: ({ attempt, delayMs, reason }) => {
          const line = `${name}: retry after attempt ${attempt} in ${delayMs} ms (${reason})`;
          retries.push(line);
          log(line);
        },
      },
    );

  const jobs = [
    upload('cdn', 'a.png', 0),
    upload('cdn', 'b.png', 0),
    upload('cdn', 'c.png', 0),
    upload('cdn', 'urgent.png', 10), // jumps the queue: starts as soon as a slot frees
    upload('archive', 'a.png', 0),
    upload('archive', 'b.png', 0),
  ];
  const results = await Promise.all(jobs);
  for (const stats of scheduler.stats()) {
    log(
      `${stats.key}: ${stats.succeeded} done, at most ${stats.maxActive} at once, ${stats.retries} retries`,
    );
  }
  return { started, maxInFlight, retries, results };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runStandaloneScheduler((line) => console.log(line));
}
