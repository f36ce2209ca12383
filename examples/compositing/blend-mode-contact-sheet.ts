/**
 * Renders a contact sheet of the 16 W3C blend modes: each tile blends the same source (a
 * colour-wheel disc at 80 % alpha) over the same backdrop (a gradient whose alpha fades towards
 * the bottom), so partial alpha on both sides is visible. Tiles run left to right, top to
 * bottom, in the spec's order: normal, multiply, screen, overlay / darken, lighten,
 * color-dodge, color-burn / hard-light, soft-light, difference, exclusion / hue, saturation,
 * color, luminosity.
 *
 * Run: `npx tsx --tsconfig tsconfig.json examples/compositing/blend-mode-contact-sheet.ts` —
 * writes `out/compositing/blend-modes.png` (the copy in docs/images/ was made this way).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compositeRastersSync, encodeImage, type Raster } from '@layerloom/compositor';
import { blendModes } from '@layerloom/core';

const tile = { width: 160, height: 120 };
const gap = 8;

function paint(
  width: number,
  height: number,
  pixel: (x: number, y: number) => readonly [number, number, number, number],
): Raster {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return { width, height, data };
}

/** Hue (0..1) to an RGB triple, full saturation. */
function hue(h: number): [number, number, number] {
  const channel = (offset: number) => {
    const t = (((h + offset) % 1) + 1) % 1;
    return Math.round(255 * Math.min(1, Math.max(0, Math.abs(t * 6 - 3) - 1)));
  };
  return [channel(0), channel(2 / 3), channel(1 / 3)];
}

const backdrop = paint(tile.width, tile.height, (x, y) => [
  30 + (x / tile.width) * 200,
  150 - (y / tile.height) * 80,
  200 - (x / tile.width) * 150,
  Math.round(255 * Math.min(1, 1.4 - y / tile.height)),
]);

const source = paint(tile.width, tile.height, (x, y) => {
  const dx = x - tile.width / 2;
  const dy = y - tile.height / 2;
  const inside = Math.hypot(dx, dy) < 46;
  return inside ? [...hue(Math.atan2(dy, dx) / (2 * Math.PI)), 204] : [0, 0, 0, 0];
});

/**
 * Builds the contact sheet raster: a 4×4 grid of tiles, one per blend mode.
 *
 * @returns the sheet, on a white background.
 */
export function blendModeContactSheet(): Raster {
  const width = 4 * tile.width + 5 * gap;
  const height = 4 * tile.height + 5 * gap;
  const sheet = paint(width, height, () => [255, 255, 255, 255]);
  const tiles = blendModes.map((blend, index) => ({
    raster: compositeRastersSync(backdrop, [{ raster: source, blend }]),
    left: gap + (index % 4) * (tile.width + gap),
    top: gap + Math.floor(index / 4) * (tile.height + gap),
  }));
  return compositeRastersSync(sheet, tiles);
}

/**
 * Writes the contact sheet as a PNG.
 *
 * @param directory - where to write `blend-modes.png`.
 * @returns the file's path.
 */
export async function writeBlendModeContactSheet(directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'blend-modes.png');
  await writeFile(path, await encodeImage(blendModeContactSheet(), { format: 'png' }));
  return path;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const path = await writeBlendModeContactSheet(join('out', 'compositing'));
  console.log(`blend modes: ${path}`);
}
