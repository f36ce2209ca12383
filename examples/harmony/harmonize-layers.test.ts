import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '@layerloom/compositor';
import { afterAll, describe, expect, it } from 'vitest';
import { harmonyExample } from './harmonize-layers.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** Mean red minus blue over a square: positive is warm, negative cold. */
async function warmth(bytes: Uint8Array, x: number, y: number, radius: number) {
  const raster = await decodeImage(bytes);
  let sum = 0;
  let count = 0;
  for (let row = y - radius; row <= y + radius; row++) {
    for (let column = x - radius; column <= x + radius; column++) {
      const at = (row * raster.width + column) * 4;
      sum += raster.data[at]! - raster.data[at + 2]!;
      count++;
    }
  }
  return sum / count;
}

describe('harmony example (docs/compositing.md)', () => {
  it('writes both before | after sheets; harmony re-composites without a provider call', async () => {
    directory = await mkdtemp(join(tmpdir(), 'layerloom-harmony-'));
    const result = await harmonyExample(directory);
    for (const file of result.files) {
      const sheet = await decodeImage(new Uint8Array(await readFile(file)));
      expect(sheet.width).toBeGreaterThan(600);
    }
    expect(result.providerCalls).toEqual([2, 0]);
    // The warm figure (centre of its body at 170, 140) turns towards the cold scene.
    const [testImages, preview] = result.composites;
    const before = await warmth(testImages!.before, 170, 140, 8);
    const after = await warmth(testImages!.after, 170, 140, 8);
    expect(before).toBeGreaterThan(60);
    expect(after).toBeLessThan(before - 40);
    expect(preview!.after).not.toEqual(preview!.before);
    // Deterministic: the same inputs give the same bytes.
    const again = await harmonyExample(directory);
    expect(again.composites[0]!.after).toEqual(testImages!.after);
    expect(again.composites[1]!.after).toEqual(preview!.after);
  });
});
