import { expected, type QueueLimits, queueLimitsSchema, type RetryOptions } from '@layerloom/core';
import { z } from 'zod';
import type { BlobStore } from './blob-store.js';
import type { RedisConnection } from './redis-connection.js';

/** How long BullMQ keeps finished jobs of one kind. */
export type RetentionRule = boolean | number | { readonly age: number; readonly count?: number };

/** What BullMQ keeps of finished jobs (`removeOnComplete` / `removeOnFail`). */
export interface JobRetention {
  /**
   * Completed jobs: `true` removes them at once, a number keeps that many, `{ age, count? }`
   * keeps them `age` seconds (and at most `count`). @default true
   */
  readonly removeOnComplete?: RetentionRule;
  /** Failed jobs, kept for inspection. @default { age: 86400, count: 1000 } */
  readonly removeOnFail?: RetentionRule;
}

/** Options both sides share: where Redis and the blobs are. */
export interface QueueConnectionOptions {
  /** Redis: a `redis://` URL or ioredis options. Use `maxmemory-policy noeviction`. */
  readonly connection: RedisConnection;
  /** Prefix of every Redis key (BullMQ `prefix`); submitters and workers must agree. @default 'layerloom' */
  readonly prefix?: string;
  /**
   * Where image bytes go (never into Redis); every submitter and worker must see the same
   * store. @default fileBlobStore('.layerloom/blobs') (a directory: one machine, or a shared volume)
   */
  readonly blobStore?: BlobStore;
}

const functionOf = (phrase: string) =>
  z.custom<(...parameters: never[]) => unknown>(
    (value) => typeof value === 'function',
    expected(phrase),
  );

const retentionValue = z.union(
  [
    z.boolean(),
    z.number().int().min(0),
    z.strictObject({
      age: z.number().int().min(0),
      count: z.number().int().min(0).optional(),
    }),
  ],
  expected('a boolean, a count or `{ age, count? }`'),
);

/** Schema of {@link JobRetention}. */
export const jobRetentionSchema = z.strictObject(
  { removeOnComplete: retentionValue.optional(), removeOnFail: retentionValue.optional() },
  expected('`{ removeOnComplete?, removeOnFail? }`'),
);

/** Shape shared by every options schema of this package. */
export const connectionShape = {
  connection: z.union(
    [
      z.string(expected('a redis:// URL')).min(1, expected('a redis:// URL')),
      z.record(z.string(), z.unknown()),
    ],
    expected('a redis:// URL or ioredis options'),
  ),
  prefix: z
    .string(expected('a key prefix of letters, digits, `_`, `-` or `.`'))
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, expected('a key prefix of letters, digits, `_`, `-` or `.`'))
    .optional(),
  blobStore: z
    .object(
      {
        put: functionOf('a function'),
        get: functionOf('a function'),
        delete: functionOf('a function'),
      },
      expected('a blob store `{ put, get, delete }`'),
    )
    .optional(),
};

/** Schema of a provider as workers need it. */
export const providerShapeSchema = z.object(
  {
    id: z.string(expected('a non-empty string')).min(1, expected('a non-empty string')),
    modelId: z.string(expected('a non-empty string')).min(1, expected('a non-empty string')),
    generate: functionOf('a function'),
  },
  expected('a provider `{ id, modelId, capabilities, generate }`'),
);

/** Schema of per-alias limits. */
export const limitsSchema = z.record(
  z.string(),
  queueLimitsSchema,
  expected('an object of limits by alias'),
);

export type { QueueLimits, RetryOptions };
