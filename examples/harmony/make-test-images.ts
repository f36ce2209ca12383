/**
 * Writes the two committed test images of the harmony example (run once; the PNGs are in git):
 * `images/subject-on-green.png`, a warm, soft-edged subject painted "on a plain green
 * background" (as a model without transparency delivers it, with green spill in its fringe),
 * and `images/cold-scene.png`, a cold blue evening scene.
 *
 * Run: `npx tsx --tsconfig tsconfig.json examples/harmony/make-test-images.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePng } from '@layerloom/core';

const directory = join(import.meta.dirname, 'images');

function paint(
  width: number,
  height: number,
  pixel: (x: number, y: number) => readonly number[],
): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return encodePng({ width, height, data });
}

const green = [40, 200, 70];
const grain = (x: number, y: number) => (((x * 73856093) ^ (y * 19349663)) >>> 0) % 13;

// A warm figure: a head and a body, anti-aliased over 3 pixels, mixed with the green backdrop.
const subject = paint(160, 200, (x, y) => {
  const head = 22 - Math.hypot(x - 80, y - 52);
  const body = 46 - Math.hypot((x - 80) * 1.25, (y - 140) * 0.8);
  const coverage = Math.min(1, Math.max(0, Math.max(head, body) / 3));
  const warm = [226 - y / 4 + grain(x, y), 150 - y / 5 + grain(y, x), 96 + grain(x, x)];
  return [
    ...warm.map((value, channel) => coverage * value + (1 - coverage) * green[channel]!),
    255,
  ];
});

// A cold scene: a dusk gradient over a dark blue ground.
const scene = paint(320, 200, (x, y) => {
  const ground = y > 150;
  return ground
    ? [24 + grain(x, y), 40 + grain(y, x), 70 + x / 16, 255]
    : [50 + y / 4, 80 + y / 3, 160 + y / 3 - grain(x, y), 255];
});

await writeFile(join(directory, 'subject-on-green.png'), subject);
await writeFile(join(directory, 'cold-scene.png'), scene);
console.log(`wrote ${directory}/subject-on-green.png and cold-scene.png`);
