import { z } from 'zod';
import type { Cache } from '../cache/cache.js';
import type { LayerloomError } from '../errors/layerloom-error.js';
import type { StepExecutor } from '../pipeline/step-executor.js';
import type { Clock } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/create-scheduler.js';
import type { QueueLimits, RetryOptions } from '../scheduler/scheduler-options.js';
import {
  clockSchema,
  queueLimitsSchema,
  retryOptionsSchema,
} from '../scheduler/scheduler-options.js';
import { imageSizeSchema, nameSchema } from '../schema/composition-schema.js';
import { expected } from '../schema/format-issues.js';
import type { Compositor } from '../types/compositor.js';
import type { Provider } from '../types/provider.js';
import type { RenderEvent } from '../types/render-event.js';
import type { RenderResult } from '../types/render-result.js';

/**
 * When painted layers are read from and written to the cache:
 * - `seeded`: only requests with a seed (without one, a provider paints something new each
 *   time, and caching would freeze one random outcome);
 * - `always`: every request;
 * - `off`: never.
 */
export type CachePolicy = 'seeded' | 'always' | 'off';

/** What a failing step does once every provider of its fallback list failed. */
export type StepErrorPolicy = 'fail' | 'skip';

/** Options of `createLoom`. */
export interface LoomOptions {
  /** Providers by alias: the names layers use with `provider` (`@A` in the notation). */
  readonly providers: Readonly<Record<string, Provider>>;
  /** Blends the painted layers (e.g. `createCompositor()` from `@layerloom/compositor`). */
  readonly compositor: Compositor;
  /**
   * Limits per alias: `concurrency`, `requestsPerMinute`, `timeoutMs` (per attempt) and
   * `maxRetries`. Entries for aliases that are not configured are ignored. Only for the
   * built-in scheduler.
   */
  readonly limits?: Readonly<Record<string, QueueLimits>>;
  /** Limits of aliases without an entry in `limits`. @default { concurrency: 4, maxRetries: 2 } */
  readonly defaultLimits?: QueueLimits;
  /** Provider calls in flight across every alias. @default unlimited */
  readonly concurrency?: number;
  /** Retry delays and the per-alias retry budget (see `RetryOptions`). */
  readonly retry?: RetryOptions;
  /** Where painted layers are kept between renders. @default no cache */
  readonly cache?: Cache;
  /** When the cache is used. @default 'seeded' */
  readonly cachePolicy?: CachePolicy;
  /** What a layer or style pass that failed on every provider does. @default 'fail' */
  readonly onLayerError?: StepErrorPolicy;
  /**
   * A scheduler to run calls in, shared with other looms (instead of `limits`,
   * `defaultLimits`, `concurrency`, `retry` and `random`).
   */
  readonly scheduler?: Scheduler;
  /**
   * Runs the provider calls instead of the built-in scheduler (e.g. on queue workers). Limits,
   * retries and timeouts are then the executor's business.
   */
  readonly executor?: StepExecutor;
  /** Time and timers, for timings, manifests and the built-in scheduler. @default systemClock */
  readonly clock?: Clock;
  /** Random source of backoff jitter (built-in scheduler). @default Math.random */
  readonly random?: () => number;
}

/** Options of `loom.plan`. */
export interface PlanOptions {
  /** Values of `$NAME` in notation text (ignored for composition objects). */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * Folder that `use` paths start from and where the `node_modules` search for pack packages
   * starts (usually the `.loom` file's folder). @default process.cwd()
   */
  readonly packDirectory?: string;
}

/** Options of `loom.render` and `loom.stream`. */
export interface RenderOptions extends PlanOptions {
  /** Aborts the render: queued calls are dropped, running calls aborted. */
  readonly signal?: AbortSignal;
  /**
   * Called with every event, in order. Keep it quick; if it throws, the render is aborted and
   * fails with a LayerloomError `event_handler_error`.
   */
  readonly onEvent?: (event: RenderEvent) => void;
  /** Overrides the loom's `onLayerError` for this render. */
  readonly onLayerError?: StepErrorPolicy;
  /** Overrides the loom's `cachePolicy` for this render. */
  readonly cache?: CachePolicy;
  /** Queue priority of this render's calls: higher runs first. @default 0 */
  readonly priority?: number;
}

/** Options of `loom.renderMany`. */
export interface RenderManyOptions extends Omit<RenderOptions, 'onEvent'> {
  /** Compositions rendered at once (and held in memory at most). @default 4 */
  readonly concurrency?: number;
  /** Called with every event of every render, and the 0-based index of its composition. */
  readonly onEvent?: (event: RenderEvent, index: number) => void;
}

/**
 * One outcome of `loom.renderMany`, in completion order. A failed composition does not stop
 * the others: it yields `{ ok: false, error }`.
 */
export type RenderManyItem =
  | {
      readonly ok: true;
      /** 0-based position of the composition in the input. */
      readonly index: number;
      /** The render. */
      readonly result: RenderResult;
    }
  | {
      readonly ok: false;
      /** 0-based position of the composition in the input. */
      readonly index: number;
      /** Why it failed (a `ValidationError` for a bad composition, a provider error…). */
      readonly error: LayerloomError;
    };

const functionOf = (phrase: string) =>
  z.custom<(...parameters: never[]) => unknown>(
    (value) => typeof value === 'function',
    expected(phrase),
  );

const sizesSchema = z.union(
  [
    z.array(imageSizeSchema).min(1),
    z
      .strictObject({
        min: z.number().int().min(1),
        max: z.number().int().min(1),
        multipleOf: z.number().int().min(1).optional(),
      })
      .refine((range) => range.min <= range.max),
  ],
  expected('a non-empty list of `{ width, height }` or a range `{ min, max, multipleOf? }`'),
);

/** Schema of a {@link Provider} as the loom needs it. */
export const providerSchema = z.object(
  {
    id: z.string(expected('a non-empty string')).min(1, expected('a non-empty string')),
    modelId: z.string(expected('a non-empty string')).min(1, expected('a non-empty string')),
    capabilities: z.object(
      {
        transparency: z.boolean(expected('a boolean')),
        imageInput: z.boolean(expected('a boolean')),
        mask: z.boolean(expected('a boolean')),
        seed: z.boolean(expected('a boolean')),
        maxImagesPerCall: z.number(expected('a positive integer')).int().min(1),
        sizes: sizesSchema,
        maxReferenceImages: z
          .number(expected('a whole number from 0'))
          .int(expected('a whole number from 0'))
          .min(0, expected('a whole number from 0'))
          .optional(),
      },
      expected('provider capabilities'),
    ),
    fingerprint: z.string(expected('a string')).optional(),
    generate: functionOf('a function'),
    estimateCostUsd: functionOf('a function').optional(),
  },
  expected('a provider `{ id, modelId, capabilities, generate }`'),
);

const compositorSchema = z.object(
  { composite: functionOf('a function') },
  expected('a compositor `{ composite }`'),
);

const cacheSchema = z.object(
  { get: functionOf('a function'), set: functionOf('a function') },
  expected('a cache `{ get, set, delete }`'),
);

const cachePolicySchema = z.enum(
  ['seeded', 'always', 'off'],
  expected('"seeded", "always" or "off"'),
);
const errorPolicySchema = z.enum(['fail', 'skip'], expected('"fail" or "skip"'));

/** Schema of {@link LoomOptions}. */
export const loomOptionsSchema = z.strictObject(
  {
    providers: z
      .record(nameSchema, providerSchema, expected('an object of providers by alias'))
      .refine(
        (providers) => Object.keys(providers).length > 0,
        expected('an object of at least one provider'),
      ),
    compositor: compositorSchema,
    limits: z
      .record(z.string(), queueLimitsSchema, expected('an object of limits by alias'))
      .optional(),
    defaultLimits: queueLimitsSchema.optional(),
    concurrency: z.number(expected('a positive integer')).int().min(1).max(1_000_000).optional(),
    retry: retryOptionsSchema.optional(),
    cache: cacheSchema.optional(),
    cachePolicy: cachePolicySchema.optional(),
    onLayerError: errorPolicySchema.optional(),
    scheduler: z
      .custom<Scheduler>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          typeof (value as Scheduler).run === 'function',
        expected('a scheduler from `createScheduler()`'),
      )
      .optional(),
    executor: z
      .custom<StepExecutor>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          typeof (value as StepExecutor).execute === 'function',
        expected('a step executor `{ execute }`'),
      )
      .optional(),
    clock: clockSchema.optional(),
    random: functionOf('a function returning a number in [0, 1)').optional(),
  },
  expected('loom options'),
);

const variablesSchema = z
  .record(z.string(), z.string(expected('a string')), expected('an object of strings'))
  .optional();

/** Schema of {@link PlanOptions}. */
const packDirectorySchema = z
  .string(expected('a folder path'))
  .min(1, expected('a folder path'))
  .optional();

export const planOptionsSchema = z.strictObject(
  { variables: variablesSchema, packDirectory: packDirectorySchema },
  expected('plan options'),
);

const renderShape = {
  variables: variablesSchema,
  packDirectory: packDirectorySchema,
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, expected('an AbortSignal'))
    .optional(),
  onEvent: functionOf('a function').optional(),
  onLayerError: errorPolicySchema.optional(),
  cache: cachePolicySchema.optional(),
  priority: z
    .number(expected('a finite number'))
    .min(-Number.MAX_VALUE, expected('a finite number'))
    .max(Number.MAX_VALUE, expected('a finite number'))
    .optional(),
};

/** Schema of {@link RenderOptions}. */
export const renderOptionsSchema = z.strictObject(renderShape, expected('render options'));

/** Schema of {@link RenderManyOptions}. */
export const renderManyOptionsSchema = z.strictObject(
  {
    ...renderShape,
    concurrency: z
      .number(expected('an integer from 1 to 1000'))
      .int(expected('an integer from 1 to 1000'))
      .min(1, expected('an integer from 1 to 1000'))
      .max(1000, expected('an integer from 1 to 1000'))
      .optional(),
  },
  expected('renderMany options'),
);
