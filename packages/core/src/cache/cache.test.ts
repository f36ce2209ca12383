import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { sha256 } from '../util/sha256.js';
import type { CacheEntry } from './cache.js';
import { computeCacheKey } from './cache-key.js';
import { fileCache } from './file-cache.js';
import { memoryCache } from './memory-cache.js';

const entry = (size: number, fill = 7): CacheEntry => ({
  image: { bytes: new Uint8Array(size).fill(fill), mediaType: 'image/png' },
  providerId: 'studio',
  modelId: 'people-v2',
  seed: 42,
  revisedPrompt: 'a knight, revised',
  requestId: 'req_1',
  costUsd: 0.04,
  warnings: ['quality lowered'],
  createdAt: '2026-11-29T00:00:00.000Z',
});
const key = (name: string) => sha256(name);

describe('computeCacheKey', () => {
  const request = {
    prompt: 'a knight',
    width: 512,
    height: 512,
    seed: 7,
    options: { quality: 'high', steps: 30 },
  };

  it('is a sha256 that ignores key order and undefined fields', () => {
    const first = computeCacheKey({ providerId: 'p', modelId: 'm', request });
    const second = computeCacheKey({
      modelId: 'm',
      providerId: 'p',
      request: {
        options: { steps: 30, quality: 'high' },
        seed: 7,
        height: 512,
        width: 512,
        prompt: 'a knight',
        negativePrompt: undefined,
      },
    });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
  });

  it('changes with the provider, model, fingerprint and every request field', () => {
    const base = computeCacheKey({ providerId: 'p', modelId: 'm', request });
    const variants = [
      computeCacheKey({ providerId: 'q', modelId: 'm', request }),
      computeCacheKey({ providerId: 'p', modelId: 'n', request }),
      computeCacheKey({ providerId: 'p', modelId: 'm', fingerprint: 'quality=low', request }),
      computeCacheKey({
        providerId: 'p',
        modelId: 'm',
        request: { ...request, prompt: 'a knight!' },
      }),
      computeCacheKey({ providerId: 'p', modelId: 'm', request: { ...request, width: 513 } }),
      computeCacheKey({ providerId: 'p', modelId: 'm', request: { ...request, seed: 8 } }),
      computeCacheKey({
        providerId: 'p',
        modelId: 'm',
        request: { ...request, transparent: true },
      }),
      computeCacheKey({ providerId: 'p', modelId: 'm', request: { ...request, strength: 0.5 } }),
      computeCacheKey({
        providerId: 'p',
        modelId: 'm',
        request: { ...request, negativePrompt: 'blur' },
      }),
      computeCacheKey({
        providerId: 'p',
        modelId: 'm',
        request: { ...request, options: { quality: 'low', steps: 30 } },
      }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('hashes input images by content', () => {
    const withImage = (bytes: number[]) =>
      computeCacheKey({
        providerId: 'p',
        modelId: 'm',
        request: { ...request, image: { bytes: new Uint8Array(bytes), mediaType: 'image/png' } },
      });
    expect(withImage([1, 2, 3])).toBe(withImage([1, 2, 3]));
    expect(withImage([1, 2, 3])).not.toBe(withImage([1, 2, 4]));
  });

  it('hashes reference images by content and order, and keeps keys without them unchanged', () => {
    const png = (bytes: number[]) => ({ bytes: new Uint8Array(bytes), mediaType: 'image/png' });
    const withReferences = (...images: number[][]) =>
      computeCacheKey({
        providerId: 'p',
        modelId: 'm',
        request: { ...request, referenceImages: images.map(png) },
      });
    expect(withReferences([1], [2])).toBe(withReferences([1], [2]));
    expect(withReferences([1], [2])).not.toBe(withReferences([2], [1]));
    expect(withReferences([1], [2])).not.toBe(withReferences([1], [3]));
    expect(computeCacheKey({ providerId: 'p', modelId: 'm', request })).not.toBe(
      withReferences([1]),
    );
  });

  it('refuses a malformed input with a ValidationError', () => {
    expect(() => computeCacheKey({ providerId: 'p', modelId: 'm' } as never)).toThrow(
      'Expected `request` to be a request `{ prompt, width, height, … }`, got nothing',
    );
  });

  it('refuses to key requests whose options have no canonical form', () => {
    expect(
      computeCacheKey({
        providerId: 'p',
        modelId: 'm',
        request: { ...request, options: { callback: () => 1 } },
      }),
    ).toBeUndefined();
  });
});

describe('memoryCache', () => {
  it('returns what was stored, copied, and forgets the least recently used entries first', async () => {
    const cache = memoryCache({ maxBytes: 3 * (1000 + 1024) });
    const stored = entry(1000);
    await cache.set(key('a'), stored);
    stored.image.bytes.fill(0);
    expect((await cache.get(key('a')))!.image.bytes[0]).toBe(7);
    await cache.set(key('b'), entry(1000));
    await cache.set(key('c'), entry(1000));
    await cache.get(key('a'));
    await cache.set(key('d'), entry(1000));
    expect(await cache.get(key('b'))).toBeUndefined();
    expect(await cache.get(key('a'))).toBeDefined();
    expect(cache.size).toBe(3);
    expect(cache.byteLength).toBeLessThanOrEqual(3 * 2024);
    await cache.delete(key('a'));
    expect(await cache.get(key('a'))).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing larger than its budget', async () => {
    const cache = memoryCache({ maxBytes: 1000 });
    await cache.set(key('big'), entry(2000));
    expect(cache.size).toBe(0);
  });

  it('validates keys, entries and options', async () => {
    const cache = memoryCache();
    await expect(cache.get('../etc/passwd')).rejects.toThrow(ValidationError);
    await expect(cache.set(key('x'), { ...entry(1), warnings: 'no' } as never)).rejects.toThrow(
      'Expected `warnings` to be an array of strings',
    );
    expect(() => memoryCache({ maxBytes: 0 })).toThrow(
      'Expected `maxBytes` to be a positive integer of bytes',
    );
  });
});

describe('fileCache', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-cache-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('stores entries as content-addressed files and reads them back', async () => {
    const cache = fileCache(directory);
    const stored = entry(5000, 3);
    await cache.set(key('a'), stored);
    const path = cache.pathOf(key('a'));
    expect(path).toBe(join(directory, key('a').slice(0, 2), `${key('a')}.loomcache`));
    expect((await stat(path)).size).toBeGreaterThan(5000);
    expect(await cache.get(key('a'))).toEqual(stored);
    expect(await fileCache(directory).get(key('a'))).toEqual(stored);
    expect(await cache.get(key('missing'))).toBeUndefined();
    await cache.delete(key('a'));
    await cache.delete(key('a'));
    expect(await cache.get(key('a'))).toBeUndefined();
    const leftovers = await readdir(join(directory, key('a').slice(0, 2)));
    expect(leftovers).toEqual([]);
  });

  it('reads a damaged, truncated or foreign file as a miss and removes it', async () => {
    const cache = fileCache(directory, { fsync: false });
    await cache.set(key('a'), entry(3000));
    const path = cache.pathOf(key('a'));
    const file = await readFile(path);
    await writeFile(path, file.subarray(0, file.length - 10));
    expect(await cache.get(key('a'))).toBeUndefined();
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });

    await cache.set(key('b'), entry(3000));
    const flipped = await readFile(cache.pathOf(key('b')));
    flipped[flipped.length - 1] = flipped.at(-1)! ^ 0xff;
    await writeFile(cache.pathOf(key('b')), flipped);
    expect(await cache.get(key('b'))).toBeUndefined();

    // A valid entry stored under another key's name is not served.
    await cache.set(key('c'), entry(10));
    for (const name of ['d', 'e'])
      await mkdir(dirname(cache.pathOf(key(name))), { recursive: true });
    await writeFile(cache.pathOf(key('d')), await readFile(cache.pathOf(key('c'))));
    expect(await cache.get(key('d'))).toBeUndefined();
    await writeFile(cache.pathOf(key('e')), 'not a cache file');
    expect(await cache.get(key('e'))).toBeUndefined();
  });

  it('never shows a partial entry when the writing process dies mid-write', async () => {
    const worker = join(dirname(fileURLToPath(import.meta.url)), 'file-cache-crash.fixture.ts');
    const victim = key('crash');
    const child = spawn(process.execPath, ['--import', 'tsx', worker, directory, victim], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const folder = join(directory, victim.slice(0, 2));
    // Kill the writer once bytes reach its temporary file (mid-write, before the rename).
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + 15_000;
    let sawTemporary = false;
    while (Date.now() < deadline && child.exitCode === null) {
      const names = await readdir(folder).catch(() => [] as string[]);
      const temporary = names.find((name) => name.endsWith('.tmp'));
      const written =
        temporary === undefined
          ? 0
          : await stat(join(folder, temporary)).then(
              (file) => file.size,
              () => 0,
            );
      if (written > 0) {
        sawTemporary = true;
        child.kill('SIGKILL');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    const cache = fileCache(directory);
    const found = await cache.get(victim);
    // Either the writer was killed before the rename (nothing under the final name) or it
    // finished: a partial entry is never served.
    if (found === undefined) expect(sawTemporary || output.includes('writing')).toBe(true);
    else expect(found.image.bytes.length).toBe(32 * 1024 * 1024);
    // The cache keeps working next to a stray temporary file.
    await cache.set(victim, entry(100));
    expect((await cache.get(victim))!.image.bytes.length).toBe(100);
  }, 30_000);

  it('validates its directory, options and keys', async () => {
    expect(() => fileCache('')).toThrow('Expected `directory` to be a non-empty directory path');
    expect(() => fileCache(directory, { sync: true } as never)).toThrow('Unknown key `sync`');
    await expect(fileCache(directory).get('../../x')).rejects.toThrow(ValidationError);
  });

  it('reports file system failures as cache_error', async () => {
    const blocker = join(directory, 'file');
    await writeFile(blocker, 'x');
    const cache = fileCache(blocker);
    await expect(cache.set(key('a'), entry(10))).rejects.toMatchObject({ code: 'cache_error' });
  });
});
