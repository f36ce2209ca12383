/**
 * Deterministic bench inputs. W8: a 2048² opaque background and 7 layers of 1024²–2048² at
 * different offsets, each an opaque rounded shape with a 32-pixel soft edge on a transparent
 * exterior (what AI layers look like after matting). The random-alpha variant gives every layer
 * pixel a random alpha: no pixel is opaque or transparent, so nothing is hidden or trimmed.
 */

import type { Raster, RasterLayer } from '@layerloom/compositor';
import type { BlendMode } from '@layerloom/core';

/** A small deterministic pseudo-random generator (mulberry32). */
export function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface LayerSpec {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly blend: BlendMode;
  readonly opacity: number;
}

/** The 7 layers of W8, top-first. */
export const w8Layers: readonly LayerSpec[] = [
  { width: 1024, height: 1024, left: 160, top: 120, blend: 'normal', opacity: 1 },
  { width: 1536, height: 1280, left: 700, top: 500, blend: 'multiply', opacity: 0.7 },
  { width: 1152, height: 1152, left: 600, top: 800, blend: 'soft-light', opacity: 0.7 },
  { width: 2048, height: 2048, left: -300, top: -200, blend: 'normal', opacity: 0.7 },
  { width: 1280, height: 1792, left: 900, top: 300, blend: 'screen', opacity: 1 },
  { width: 1792, height: 1024, left: -100, top: 1100, blend: 'normal', opacity: 1 },
  { width: 2048, height: 1664, left: 200, top: 600, blend: 'normal', opacity: 1 },
];

/** Canvas side of W8. */
export const w8Side = 2048;

/** An opaque background with a gradient and noise. */
export function background(side: number, seed: number): Raster {
  const random = randomGenerator(seed);
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const index = (y * side + x) * 4;
      data[index] = (x * 255) / side + random() * 16;
      data[index + 1] = (y * 255) / side + random() * 16;
      data[index + 2] = 128 + random() * 32;
      data[index + 3] = 255;
    }
  }
  return { width: side, height: side, data };
}

/**
 * A layer painted with a colour gradient and noise; `alpha` decides the shape: `matted` is a
 * rounded rectangle inset by 48 px with a 32-px soft edge, `random` a random alpha per pixel.
 */
export function paintedLayer(
  width: number,
  height: number,
  seed: number,
  alpha: 'matted' | 'random',
): Raster {
  const random = randomGenerator(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  const inset = 48;
  const radius = Math.min(width, height) / 5;
  const soft = 32;
  const [hueRed, hueGreen, hueBlue] = [random() * 255, random() * 255, random() * 255];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = (y * width + x) * 4;
      data[index] = hueRed * (1 - x / width) + 255 * (x / width) * random();
      data[index + 1] = hueGreen * (1 - y / height) + random() * 40;
      data[index + 2] = hueBlue + random() * 30 - 15;
      if (alpha === 'random') {
        data[index + 3] = random() * 256;
        continue;
      }
      // Signed distance inside the rounded rectangle, in pixels.
      const halfWidth = width / 2 - inset;
      const halfHeight = height / 2 - inset;
      const qx = Math.abs(x + 0.5 - width / 2) - (halfWidth - radius);
      const qy = Math.abs(y + 0.5 - height / 2) - (halfHeight - radius);
      const outside =
        Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
      const coverage = Math.min(1, Math.max(0, -outside / soft));
      data[index + 3] = coverage * 255;
    }
  }
  return { width, height, data };
}

/**
 * The W8 workload: its background and its 7 layers, top-first; `scale` multiplies every size
 * and offset (2 gives the 4096² variant).
 */
export function workload(
  alpha: 'matted' | 'random',
  scale = 1,
): {
  readonly base: Raster;
  readonly layers: RasterLayer[];
} {
  return {
    base: background(w8Side * scale, 1),
    layers: w8Layers.map((spec, index) => ({
      raster: paintedLayer(spec.width * scale, spec.height * scale, 100 + index, alpha),
      left: spec.left * scale,
      top: spec.top * scale,
      blend: spec.blend,
      opacity: spec.opacity,
    })),
  };
}
