import { z } from 'zod';
import { expected } from '../schema/format-issues.js';
import type { CacheEntry } from './cache.js';

/** Schema of a {@link CacheEntry} handed to `Cache.set`. */
export const cacheEntrySchema = z.strictObject(
  {
    image: z.strictObject(
      {
        bytes: z.custom<Uint8Array>(
          (value) => value instanceof Uint8Array,
          expected('a Uint8Array'),
        ),
        mediaType: z.string(expected('a media type such as "image/png"')).min(1),
      },
      expected('an image `{ bytes, mediaType }`'),
    ),
    providerId: z.string(expected('a string')),
    modelId: z.string(expected('a string')),
    seed: z.number(expected('a number')).optional(),
    revisedPrompt: z.string(expected('a string')).optional(),
    requestId: z.string(expected('a string')).optional(),
    costUsd: z.number(expected('a number')).optional(),
    warnings: z.array(z.string(expected('a string')), expected('an array of strings')),
    createdAt: z.string(expected('an ISO 8601 time')),
  },
  expected('a cache entry'),
) satisfies z.ZodType<CacheEntry>;
