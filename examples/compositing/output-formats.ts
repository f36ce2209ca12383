/**
 * Encodes one composite in every output format: PNG at the fast default and at level 9 (the
 * same pixels, a smaller file), WebP and AVIF lossy with a quality and lossless, and JPEG.
 * Prints each file's size and how long it took.
 *
 * Run: `npx tsx --tsconfig tsconfig.json examples/compositing/output-formats.ts` — writes
 * `out/compositing/formats/*`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  compositeRasters,
  type EncodeImageOptions,
  encodeImage,
  type Raster,
} from '@layerloom/compositor';

/** A sky gradient with a soft, half-transparent sun on top. */
async function picture(): Promise<Raster> {
  const width = 1024;
  const height = 640;
  const sky = new Uint8ClampedArray(width * height * 4);
  const sun = new Uint8ClampedArray(400 * 400 * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sky.set(
        [30 + (y * 120) / height, 60 + (y * 100) / height, 160 - x / 16, 255],
        (y * width + x) * 4,
      );
    }
  }
  for (let y = 0; y < 400; y++) {
    for (let x = 0; x < 400; x++) {
      const distance = Math.hypot(x - 200, y - 200);
      sun.set([255, 200, 80, Math.max(0, Math.min(255, (200 - distance) * 4))], (y * 400 + x) * 4);
    }
  }
  return compositeRasters({ width, height, data: sky }, [
    {
      raster: { width: 400, height: 400, data: sun },
      left: 560,
      top: 80,
      blend: 'screen',
      opacity: 0.9,
    },
  ]);
}

/** The encodings written, by file name. */
export const encodings: Readonly<Record<string, EncodeImageOptions>> = {
  'fast.png': { format: 'png' },
  'small.png': { format: 'png', compressionLevel: 9 },
  'lossy.webp': { format: 'webp', quality: 80 },
  'lossless.webp': { format: 'webp', lossless: true },
  'lossy.avif': { format: 'avif', quality: 50 },
  'photo.jpg': { format: 'jpeg', quality: 85 },
};

/**
 * Writes the composite in each of {@link encodings}.
 *
 * @param directory - where to write the files.
 * @returns each file's path and size in bytes.
 */
export async function writeOutputFormats(
  directory: string,
): Promise<{ path: string; bytes: number; ms: number }[]> {
  await mkdir(directory, { recursive: true });
  const raster = await picture();
  const written = [];
  for (const [name, options] of Object.entries(encodings)) {
    const start = performance.now();
    const bytes = await encodeImage(raster, options);
    const ms = performance.now() - start;
    const path = join(directory, name);
    await writeFile(path, bytes);
    written.push({ path, bytes: bytes.length, ms });
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const { path, bytes, ms } of await writeOutputFormats(
    join('out', 'compositing', 'formats'),
  )) {
    console.log(`${path}: ${(bytes / 1024).toFixed(0)} KiB in ${ms.toFixed(0)} ms`);
  }
}
