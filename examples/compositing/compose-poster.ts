/**
 * Composes a small poster from layer images, offline: the images stand in for what providers
 * would paint (a sky, a character painted "on a plain green background" by a model without
 * transparency, a glow), and the compositor keys, places, masks and blends them.
 *
 * Run: `npx tsx examples/compositing/compose-poster.ts` — writes `out/compositing/poster.png`,
 * `out/compositing/glow-over-sky.png` and three frames `glow-frame-N.png` composited into one
 * reused output. See docs/compositing.md for the walk-through.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  compositeRasters,
  createCompositor,
  decodeImage,
  encodeImage,
  featherMask,
  type Raster,
} from '@layerloom/compositor';
import { type CompositeInput, encodePng } from '@layerloom/core';

/** Paints a raster pixel by pixel (stands in for a provider's image). */
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

const sky = paint(320, 200, (x, y) => [40 + y / 2, 70 + y / 2, 160 + x / 8, 255]);

// A character painted on green, the way a model without transparency delivers it.
const character = paint(160, 200, (x, y) => {
  const head = Math.hypot(x - 80, y - 60) < 30;
  const body = Math.abs(x - 80) < 34 - (y - 100) / 8 && y > 85 && y < 190;
  return head || body ? [225, 120 + y / 4, 90, 255] : [30, 200 - y / 10, 60, 255];
});

// A warm glow: opaque in the middle, fading out.
const glow = paint(200, 200, (x, y) => {
  const fade = Math.max(0, 1 - Math.hypot(x - 100, y - 100) / 100);
  return [255, 190, 90, fade * fade * 255];
});

const png = async (raster: Raster) => ({
  bytes: await encodeImage(raster, { format: 'png' }),
  mediaType: 'image/png',
});

/**
 * Builds the poster with `createCompositor` (what a loom does after painting the layers) and a
 * raster-level variant with `compositeRasters`.
 *
 * @param directory - where the PNGs go.
 * @returns the paths written.
 */
export async function composePoster(directory: string): Promise<string[]> {
  const compositor = createCompositor();
  const input: CompositeInput = {
    width: 320,
    height: 200,
    background: '#101018',
    layers: [
      // Top: the character, keyed out of its green backdrop and fitted into a box.
      {
        layer: {
          id: 'hero',
          prompt: 'a knight on a plain green background',
          provider: 'P',
          placement: { x: 150, y: 20, width: 140, height: 180, fit: 'contain', anchor: 'bottom' },
          matte: { chromaKey: '#00ff00', tolerance: 0.12, softness: 0.12 },
        },
        image: await png(character),
      },
      // A glow behind the hero, brightening what is below it.
      {
        layer: {
          id: 'glow',
          prompt: 'a warm glow',
          provider: 'P',
          placement: { x: 120, y: 10, width: 200, height: 200 },
          blend: 'screen',
          opacity: 0.8,
        },
        image: await png(glow),
      },
      // Bottom: the sky, with a soft elliptical vignette mask.
      {
        layer: {
          id: 'sky',
          prompt: 'an evening sky',
          provider: 'S',
          mask: { type: 'ellipse', x: -40, y: -30, width: 400, height: 260, feather: 24 },
        },
        image: { bytes: encodePng(sky), mediaType: 'image/png' },
      },
    ],
  };
  const poster = await compositor.composite(input);

  // The same blend at raster level: a glow over the sky, with a feathered rectangular mask.
  const mask = featherMask(
    Uint8Array.from({ length: 200 * 200 }, (_, index) => (index % 200 < 150 ? 255 : 0)),
    200,
    200,
    10,
  );
  const glowOverSky = await compositeRasters(sky, [
    { raster: glow, left: 60, top: 0, blend: 'screen', opacity: 0.9, mask },
  ]);

  await mkdir(directory, { recursive: true });
  const posterPath = join(directory, 'poster.png');
  const glowPath = join(directory, 'glow-over-sky.png');
  await writeFile(posterPath, poster.bytes);
  await writeFile(glowPath, await encodeImage(glowOverSky, { format: 'png', compressionLevel: 9 }));
  const written = await decodeImage(poster.bytes);
  console.log(`poster: ${written.width}×${written.height} → ${posterPath}`);

  // Frames of the glow sliding across the sky, each composited into the same memory (the first
  // frame's): a batch reuses one result instead of fresh memory for every frame.
  const framePaths: string[] = [];
  let frame: Raster | undefined;
  for (const [index, left] of [0, 60, 120].entries()) {
    frame = await compositeRasters(sky, [{ raster: glow, left, blend: 'screen', mask }], {
      ...(frame === undefined ? {} : { output: frame.data }),
    });
    const path = join(directory, `glow-frame-${index}.png`);
    await writeFile(path, await encodeImage(frame, { format: 'png' }));
    framePaths.push(path);
  }
  return [posterPath, glowPath, ...framePaths];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await composePoster(join('out', 'compositing'));
}
