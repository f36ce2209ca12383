export type { Cache, CacheEntry } from './cache.js';
export { type CacheKeyInput, computeCacheKey, isCacheKey } from './cache-key.js';
export { type FileCache, type FileCacheOptions, fileCache } from './file-cache.js';
export { type MemoryCache, type MemoryCacheOptions, memoryCache } from './memory-cache.js';
