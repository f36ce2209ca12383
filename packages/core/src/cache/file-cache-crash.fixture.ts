/**
 * Test fixture of `cache.test.ts`, run in a child process: writes one large entry to a file
 * cache so that the parent can kill this process in the middle of the write.
 *
 * Usage: `node --import tsx file-cache-crash.fixture.ts <directory> <key>`.
 */
import { fileCache } from './file-cache.js';

const [directory, key] = process.argv.slice(2) as [string, string];
const bytes = new Uint8Array(32 * 1024 * 1024).fill(9);
process.stdout.write('writing\n');
await fileCache(directory).set(key, {
  image: { bytes, mediaType: 'image/png' },
  providerId: 'studio',
  modelId: 'm',
  warnings: [],
  createdAt: new Date(0).toISOString(),
});
process.stdout.write('written\n');
