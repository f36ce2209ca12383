import {
  type Cache,
  type CachePolicy,
  type Compositor,
  createLoom,
  expected,
  type Loom,
  type Provider,
  parseWithSchema,
  type QueueLimits,
  queueLimitsSchema,
  type StepErrorPolicy,
} from '@layerloom/core';
import { z } from 'zod';
import { createQueueExecutor, type QueueExecutor } from './create-queue-executor.js';
import {
  connectionShape,
  type JobRetention,
  jobRetentionSchema,
  limitsSchema,
  type QueueConnectionOptions,
} from './queue-options.js';

/** Options of {@link createQueueRunner}. */
export interface QueueRunnerOptions extends QueueConnectionOptions {
  /** Providers by alias, as the workers have them (for planning: sizes, capabilities, ids). */
  readonly providers: Readonly<Record<string, Provider>>;
  /** Blends the painted layers, in this process. */
  readonly compositor: Compositor;
  /** Limits per alias; this side reads `maxRetries` (job attempts), workers read the rest. */
  readonly limits?: Readonly<Record<string, QueueLimits>>;
  /** Limits of aliases without an entry in `limits`. @default { maxRetries: 2 } */
  readonly defaultLimits?: QueueLimits;
  /** A layer cache consulted before any job is queued. @default no cache */
  readonly cache?: Cache;
  /** When the cache is used. @default 'seeded' */
  readonly cachePolicy?: CachePolicy;
  /** What a step that failed on every provider does. @default 'fail' */
  readonly onLayerError?: StepErrorPolicy;
  /** What BullMQ keeps of finished jobs. */
  readonly retention?: JobRetention;
  /** Safety-net lookup of jobs that sent no event, in milliseconds. @default 5000 */
  readonly pollIntervalMs?: number;
}

/** A loom whose provider calls run as BullMQ jobs on workers. */
export interface QueueRunner extends Omit<Loom, 'scheduler'> {
  /** The executor making the calls (e.g. to cancel one job by id). */
  readonly executor: QueueExecutor;
  /** Closes the queues and connections; renders still running fail with an `AbortError`. */
  close(): Promise<void>;
}

const functionOf = (phrase: string) =>
  z.custom<(...parameters: never[]) => unknown>(
    (value) => typeof value === 'function',
    expected(phrase),
  );

/** Schema of {@link QueueRunnerOptions} (providers and compositor are checked by the loom). */
export const queueRunnerOptionsSchema = z.strictObject(
  {
    ...connectionShape,
    providers: z.record(z.string(), z.unknown(), expected('an object of providers by alias')),
    compositor: z.object(
      { composite: functionOf('a function') },
      expected('a compositor `{ composite }`'),
    ),
    limits: limitsSchema.optional(),
    defaultLimits: queueLimitsSchema.optional(),
    cache: z
      .object({ get: functionOf('a function'), set: functionOf('a function') }, expected('a cache'))
      .optional(),
    cachePolicy: z
      .enum(['seeded', 'always', 'off'], expected('"seeded", "always" or "off"'))
      .optional(),
    onLayerError: z.enum(['fail', 'skip'], expected('"fail" or "skip"')).optional(),
    retention: jobRetentionSchema.optional(),
    pollIntervalMs: z.number(expected('a number of milliseconds')).optional(),
  },
  expected('queue runner options'),
);

/**
 * Creates the submitting side of distributed rendering: a loom with the same `plan`, `render`,
 * `stream` and `renderMany` (same semantics, same events) whose provider calls run as BullMQ
 * jobs — one queue per provider alias — on workers started with `startWorker`. Planning, the
 * cache, chain ordering and compositing stay in this process; image bytes travel through the
 * blob store, never through Redis.
 *
 * @param options - connection, prefix, blob store, providers, compositor, limits, cache.
 * @returns the runner; `close()` it when done.
 * @throws ValidationError naming the bad option.
 *
 * @example
 * const runner = createQueueRunner({ connection: 'redis://127.0.0.1:6379', providers, compositor });
 * const result = await runner.render(composition, { onEvent: (event) => console.log(event.type) });
 * await runner.close();
 */
export function createQueueRunner(options: QueueRunnerOptions): QueueRunner {
  parseWithSchema(queueRunnerOptionsSchema, options, 'queue runner options');
  const executor = createQueueExecutor({
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.blobStore === undefined ? {} : { blobStore: options.blobStore }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.defaultLimits === undefined ? {} : { defaultLimits: options.defaultLimits }),
    ...(options.retention === undefined ? {} : { retention: options.retention }),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  let loom: Loom;
  try {
    loom = createLoom({
      providers: options.providers,
      compositor: options.compositor,
      executor,
      ...(options.cache === undefined ? {} : { cache: options.cache }),
      ...(options.cachePolicy === undefined ? {} : { cachePolicy: options.cachePolicy }),
      ...(options.onLayerError === undefined ? {} : { onLayerError: options.onLayerError }),
    });
  } catch (error) {
    void executor.close();
    throw error;
  }
  return {
    executor,
    plan: loom.plan,
    render: loom.render,
    stream: loom.stream,
    renderMany: loom.renderMany,
    close: () => executor.close(),
  };
}
