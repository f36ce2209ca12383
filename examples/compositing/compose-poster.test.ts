import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '@layerloom/compositor';
import { afterAll, describe, expect, it } from 'vitest';
import { composePoster } from './compose-poster.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('compositing example (docs/compositing.md)', () => {
  it('writes the poster and the raster-level composite', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-compositing-'));
    const [poster, glow] = await composePoster(directory);
    const picture = await decodeImage(new Uint8Array(await readFile(poster!)));
    expect([picture.width, picture.height]).toEqual([320, 200]);
    const pixel = (x: number, y: number) => [
      ...picture.data.subarray((y * 320 + x) * 4, (y * 320 + x) * 4 + 4),
    ];
    // The green backdrop of the hero is keyed out: the sky (lightened by the glow) shows there.
    const besideHero = pixel(170, 60);
    expect(besideHero[1]!).toBeLessThan(besideHero[0]! + 60);
    // The hero's face is there, opaque.
    const face = pixel(220, 80);
    expect(face[0]).toBeGreaterThan(200);
    expect(face[3]).toBe(255);
    // The vignette darkens the corner towards the background colour.
    expect(pixel(0, 0)[2]!).toBeLessThan(60);
    expect((await decodeImage(new Uint8Array(await readFile(glow!)))).width).toBe(320);
  });

  it('writes three frames composited into one reused output, each its own picture', async () => {
    directory ??= await mkdtemp(join(tmpdir(), 'layerloom-compositing-'));
    const paths = await composePoster(directory);
    const frames = await Promise.all(
      paths.slice(2).map(async (path) => decodeImage(new Uint8Array(await readFile(path)))),
    );
    expect(frames).toHaveLength(3);
    // The glow's centre moves right by 60 px a frame (columns 100, 160, 220 on row 100); where
    // it is not, the sky shows (red 40 + 100 / 2 = 90), with nothing left of an earlier frame.
    const red = (frame: { data: Uint8ClampedArray }, x: number) => frame.data[(100 * 320 + x) * 4]!;
    expect(red(frames[0]!, 100)).toBeGreaterThan(200);
    expect(red(frames[2]!, 220)).toBeGreaterThan(200);
    expect(red(frames[2]!, 100)).toBe(90);
    expect(red(frames[0]!, 220)).toBe(90);
    expect(red(frames[1]!, 160)).toBeGreaterThan(200);
  });
});
