import {
  AbortError,
  type Cache,
  type CachePolicy,
  type Compositor,
  createWorldPackCache,
  expected,
  LayerloomError,
  type Loom,
  type Provider,
  parseWithSchema,
  type QueueLimits,
  queueLimitsSchema,
  type RenderInput,
  type RenderOptions,
  type RenderResult,
  type StepErrorPolicy,
} from '@layerloom/core';
import {
  deriveRenderMethods,
  planOptionsSchema,
  planRenderInput,
  renderOptionsSchema,
  resolveRenderRun,
} from '@layerloom/core/pipeline';
import { FlowProducer } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { BlobStore } from './blob-store.js';
import { fileBlobStore } from './file-blob-store.js';
import { createFlowEvents } from './flow-events.js';
import { queueNameOf } from './queue-names.js';
import {
  connectionShape,
  type JobRetention,
  jobRetentionSchema,
  limitsSchema,
  type QueueConnectionOptions,
} from './queue-options.js';
import { createQueuePool, setClusterLimits } from './queue-pool.js';
import { toRedisOptions } from './redis-connection.js';
import { runFlow } from './run-flow.js';

/** Options of {@link createQueueRunner}. */
export interface QueueRunnerOptions extends QueueConnectionOptions {
  /** Providers by alias, as the workers have them (for planning: sizes, capabilities, ids). */
  readonly providers: Readonly<Record<string, Provider>>;
  /**
   * Not used: compositing runs on the workers (`startWorker({ compositor })`). Accepted so that
   * callers of the earlier API keep working; leave it out.
   * @deprecated compositing moved to the workers.
   */
  readonly compositor?: Compositor;
  /** Limits per alias; this side reads `maxRetries` (job attempts), workers read the rest. */
  readonly limits?: Readonly<Record<string, QueueLimits>>;
  /** Limits of aliases without an entry in `limits`. @default { maxRetries: 2 } */
  readonly defaultLimits?: QueueLimits;
  /**
   * A layer cache consulted before a composition is queued and filled after it (on top of the
   * workers' shared checkpoints in the blob store). @default no cache
   */
  readonly cache?: Cache;
  /**
   * When the cache and the workers' shared checkpoints answer a request: `seeded` requests,
   * `always`, or `off` (every render paints anew). @default 'seeded'
   */
  readonly cachePolicy?: CachePolicy;
  /** What a step that failed on every provider does. @default 'fail' */
  readonly onLayerError?: StepErrorPolicy;
  /** What BullMQ keeps of finished jobs. */
  readonly retention?: JobRetention;
  /**
   * How often the flow's root job is looked up in Redis, in milliseconds: a safety net for events
   * lost while Redis restarted, and how soon a flow that Redis lost (a restart without
   * persistence) is added again. @default 5000
   */
  readonly pollIntervalMs?: number;
}

/** A loom whose compositions run as BullMQ flows on workers. */
export interface QueueRunner extends Omit<Loom, 'scheduler'> {
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
    compositor: z
      .object({ composite: functionOf('a function') }, expected('a compositor `{ composite }`'))
      .optional(),
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
    pollIntervalMs: z
      .number(expected('an integer of milliseconds from 100 to 600000'))
      .int()
      .min(100, expected('an integer of milliseconds from 100 to 600000'))
      .max(600_000, expected('an integer of milliseconds from 100 to 600000'))
      .optional(),
  },
  expected('queue runner options'),
);

/**
 * Creates the submitting side of distributed rendering: the same `plan`, `render`, `stream` and
 * `renderMany` as a loom (same semantics, same events), where each composition runs as one
 * BullMQ flow on workers started with `startWorker` — layer jobs on one queue per provider
 * alias, the compose job (compositing, on a worker) as their parent, the style job as its
 * parent, `from` sources as nested children. This process plans (validation, aliases,
 * capabilities, cache keys, cost), queues the flow, relays its events and builds the result
 * from the blob store; image bytes never go through Redis.
 *
 * @param options - connection, prefix, blob store, providers, limits, cache, policies.
 * @returns the runner; `close()` it when done.
 * @throws ValidationError naming the bad option.
 *
 * @example
 * const runner = createQueueRunner({ connection: 'redis://127.0.0.1:6379', providers, limits });
 * const result = await runner.render(composition, { onEvent: (event) => console.log(event.type) });
 * await runner.close();
 */
export function createQueueRunner(options: QueueRunnerOptions): QueueRunner {
  parseWithSchema(queueRunnerOptionsSchema, options, 'queue runner options');
  const redisOptions = toRedisOptions(options.connection);
  const prefix = options.prefix ?? 'layerloom';
  const blobStore: BlobStore = options.blobStore ?? fileBlobStore('.layerloom/blobs');
  const providers: Readonly<Record<string, Provider>> = { ...options.providers };
  const limitsOf = (alias: string): QueueLimits =>
    options.limits?.[alias] ?? options.defaultLimits ?? {};
  const events = createFlowEvents(redisOptions, prefix);
  const flowProducer = new FlowProducer({ connection: redisOptions, prefix });
  flowProducer.on('error', () => {});
  let client: Redis | undefined;
  let closed = false;
  const closing = new AbortController();

  const queues = createQueuePool(redisOptions, prefix);
  const queueOf = queues.of;
  const redis = () => {
    if (client === undefined) {
      client = new Redis(redisOptions);
      client.on('error', () => {});
    }
    return client;
  };
  const restoreLimits = (alias: string) =>
    setClusterLimits(queueOf(queueNameOf(alias)), limitsOf(alias));
  const context = {
    providers,
    blobStore,
    prefix,
    redis,
    flowProducer,
    queueOf,
    events,
    cache: options.cache,
    attemptsOf: (alias: string) => (limitsOf(alias).maxRetries ?? 2) + 1,
    restoreLimits,
    removeOnComplete: options.retention?.removeOnComplete ?? true,
    removeOnFail: options.retention?.removeOnFail ?? { age: 86_400, count: 1000 },
    pollIntervalMs: options.pollIntervalMs ?? 5000,
  };

  // A batch that uses a pack loads it once; an edited pack is loaded again.
  const packCache = createWorldPackCache();

  async function render(
    input: RenderInput,
    renderOptions: RenderOptions = {},
  ): Promise<RenderResult> {
    parseWithSchema(renderOptionsSchema, renderOptions, 'render options');
    if (closed) throw new LayerloomError('runner_closed', 'The queue runner is closed');
    const userSignal = renderOptions.signal;
    if (userSignal?.aborted) throw AbortError.fromSignal(userSignal, 'The render');
    const startedAt = Date.now();
    const plan = await planRenderInput(input, renderOptions, providers, packCache);
    const planMs = Date.now() - startedAt;
    const signal =
      userSignal === undefined ? closing.signal : AbortSignal.any([userSignal, closing.signal]);
    return runFlow(
      context,
      resolveRenderRun({ plan, startedAt, planMs, signal }, renderOptions, options),
    );
  }

  return {
    async plan(input, planOptions = {}) {
      parseWithSchema(planOptionsSchema, planOptions, 'plan options');
      return planRenderInput(input, planOptions, providers, packCache);
    },
    render,
    ...deriveRenderMethods(render),
    async close() {
      if (closed) return;
      closed = true;
      closing.abort(new AbortError('The queue runner was closed'));
      await events.close();
      await Promise.allSettled([flowProducer.close(), queues.close()]);
      if (client !== undefined) await client.quit().catch(() => client?.disconnect());
    },
  };
}
