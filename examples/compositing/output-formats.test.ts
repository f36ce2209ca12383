import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutputFormats } from './output-formats.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('output formats example (docs/compositing.md)', () => {
  it('writes every format; both PNGs hold the same pixels, the level-9 one in fewer bytes', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-formats-'));
    const written = await writeOutputFormats(directory);
    const formats = await Promise.all(
      written.map(async ({ path }) => (await sharp(await readFile(path)).metadata()).format),
    );
    expect(formats).toEqual(['png', 'png', 'webp', 'webp', 'heif', 'jpeg']);
    const [fast, small] = await Promise.all(
      written.slice(0, 2).map(async ({ path }) =>
        sharp(await readFile(path))
          .raw()
          .toBuffer(),
      ),
    );
    expect(fast!.equals(small!)).toBe(true);
    expect(written[1]!.bytes).toBeLessThan(written[0]!.bytes);
  });
});
