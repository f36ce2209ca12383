import type { Cache, CacheEntry } from '../cache/cache.js';
import { computeCacheKey } from '../cache/cache-key.js';
import type { CachePolicy } from '../loom/loom-options.js';
import type { PlannedImageRequest, Provider } from '../types/provider.js';
import type { PaintedStep } from './painted-step.js';

/**
 * Whether a request is read from and written to the cache: every request under `always`, only
 * seeded ones under `seeded` (an unseeded request paints something new each time, and caching
 * would freeze one random outcome), none under `off`.
 *
 * @param policy - the render's cache policy.
 * @param request - the request as it will be sent.
 */
export function usesCache(
  policy: CachePolicy,
  request: Pick<PlannedImageRequest, 'seed'>,
): boolean {
  return policy === 'always' || (policy === 'seeded' && request.seed !== undefined);
}

/**
 * The cache key of a request to a provider: its id, model, fingerprint and every request field,
 * input images by hash (see `computeCacheKey`).
 *
 * @param provider - the provider that paints it.
 * @param request - the complete request, input image included.
 * @returns the key, or `undefined` for a request that has no canonical form (never cached).
 */
export function requestCacheKey(
  provider: Provider,
  request: PlannedImageRequest,
): string | undefined {
  return computeCacheKey({
    providerId: provider.id,
    modelId: provider.modelId,
    ...(provider.fingerprint === undefined ? {} : { fingerprint: provider.fingerprint }),
    request,
  });
}

/**
 * Reads a painted step from the cache: an entry counts only when it was painted by the same
 * provider and model.
 *
 * @param cache - the cache.
 * @param key - the request's cache key.
 * @param provider - the provider the step would be painted by.
 * @returns the entry, or `undefined` when there is none that counts.
 * @throws what the cache throws.
 */
export async function readCachedStep(
  cache: Cache,
  key: string,
  provider: Pick<Provider, 'id' | 'modelId'>,
): Promise<CacheEntry | undefined> {
  const entry = await cache.get(key);
  return entry !== undefined &&
    entry.providerId === provider.id &&
    entry.modelId === provider.modelId
    ? entry
    : undefined;
}

/**
 * The cache entry of a painted step: its image, ids, seed, prompt rewrite, request id, cost and
 * the provider's own warnings.
 *
 * @param painted - the painted step.
 * @param createdAt - ISO 8601 time of the entry.
 */
export function cacheEntryOf(painted: PaintedStep, createdAt: string): CacheEntry {
  const { record } = painted;
  return {
    image: record.image,
    providerId: record.providerId,
    modelId: record.modelId,
    ...(record.seed === undefined ? {} : { seed: record.seed }),
    ...(record.revisedPrompt === undefined ? {} : { revisedPrompt: record.revisedPrompt }),
    ...(record.requestId === undefined ? {} : { requestId: record.requestId }),
    ...(record.costUsd === undefined ? {} : { costUsd: record.costUsd }),
    warnings: painted.resultWarnings,
    createdAt,
  };
}
