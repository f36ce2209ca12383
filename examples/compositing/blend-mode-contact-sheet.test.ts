import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '@layerloom/compositor';
import { describe, expect, it } from 'vitest';
import { blendModeContactSheet, writeBlendModeContactSheet } from './blend-mode-contact-sheet.js';

describe('blend mode contact sheet (docs/compositing.md)', () => {
  it('writes a 4×4 grid in which every mode gives a different tile', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'layerloom-sheet-'));
    try {
      const path = await writeBlendModeContactSheet(directory);
      const sheet = await decodeImage(new Uint8Array(await readFile(path)));
      expect([sheet.width, sheet.height]).toEqual([680, 520]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
    const sheet = blendModeContactSheet();
    // The centre pixel of each tile (inside the disc): 16 modes, and no two tiles alike.
    const centres = Array.from({ length: 16 }, (_, index) => {
      const x = 8 + (index % 4) * 168 + 80 + 20;
      const y = 8 + Math.floor(index / 4) * 128 + 60 + 10;
      return [
        ...sheet.data.subarray((y * sheet.width + x) * 4, (y * sheet.width + x) * 4 + 4),
      ].join(',');
    });
    expect(new Set(centres).size).toBeGreaterThanOrEqual(14);
  });
});
