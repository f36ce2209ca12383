/**
 * Golden images: whole composites (decode → matte → fit → mask → blend → encode) of the small
 * committed fixtures, compared pixel by pixel with the committed results, ±1 per channel.
 * After a deliberate change, look at the new images and rewrite them with
 * `UPDATE_GOLDENS=1 npx vitest run packages/compositor/test/golden.test.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCompositor, decodeImage } from '@layerloom/compositor';
import type { CompositeInput, CompositeLayer, Layer } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { maxChannelError } from './reference-composite.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const goldens = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDENS === '1';

const fixture = (name: string) => ({
  bytes: new Uint8Array(readFileSync(join(fixtures, `${name}.png`))),
  mediaType: 'image/png',
});

function layer(id: string, image: string, fields: Partial<Layer> = {}): CompositeLayer {
  return { layer: { id, prompt: id, provider: 'fixture', ...fields }, image: fixture(image) };
}

const scenes: Record<string, CompositeInput> = {
  placement: {
    width: 48,
    height: 32,
    background: '#202020',
    layers: [
      layer('contain-left', 'checker', {
        placement: { x: 2, y: 2, width: 20, height: 12, fit: 'contain', anchor: 'left' },
      }),
      layer('cover-top', 'checker', {
        placement: { x: 26, y: 2, width: 20, height: 12, fit: 'cover', anchor: 'top' },
      }),
      layer('fill', 'checker', { placement: { x: 2, y: 17, width: 20, height: 13, fit: 'fill' } }),
      layer('off-edge', 'checker', {
        placement: { x: 30, y: 20, width: 30, height: 20, fit: 'contain', anchor: 'bottom-right' },
        matte: 'none',
      }),
    ],
  },
  matte: {
    width: 48,
    height: 32,
    layers: [
      layer('keyed', 'green-screen', {
        placement: { x: 2, y: 4, width: 24, height: 24 },
        matte: { chromaKey: '#00ff00' },
      }),
      layer('sticker', 'sticker', {
        placement: { x: 30, y: 10, width: 12, height: 12 },
        blend: 'multiply',
      }),
      layer('background', 'background'),
    ],
  },
  mask: {
    width: 48,
    height: 32,
    background: 'white',
    layers: [
      layer('ramp', 'checker', {
        placement: { x: 0, y: 22, width: 48, height: 10, fit: 'fill' },
        mask: { type: 'image', image: fixture('ramp-mask'), channel: 'luminance' },
        blend: 'screen',
        opacity: 0.8,
      }),
      layer('ellipse', 'checker', {
        placement: { x: 24, y: 0, width: 24, height: 22, fit: 'fill' },
        mask: { type: 'ellipse', x: 2, y: 2, width: 20, height: 18, invert: true, feather: 1 },
      }),
      layer('rect', 'checker', {
        placement: { x: 0, y: 0, width: 24, height: 22, fit: 'fill' },
        mask: { type: 'rect', x: 4, y: 4, width: 16, height: 14, feather: 3 },
      }),
      layer('background', 'background', { matte: 'alpha', opacity: 0.5 }),
    ],
  },
};

describe('golden images', () => {
  const compositor = createCompositor({ threads: 1 });
  it.each(Object.keys(scenes))('%s', async (name) => {
    const result = await compositor.composite(scenes[name]!);
    const path = join(goldens, `${name}.png`);
    if (update || !existsSync(path)) {
      writeFileSync(path, result.bytes);
      if (!update) throw new Error(`Wrote the missing golden ${path}; check it and run again`);
    }
    const actual = await decodeImage(result.bytes);
    const expected = await decodeImage(new Uint8Array(readFileSync(path)));
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    expect(maxChannelError(actual, expected)).toBeLessThanOrEqual(1);
  });
});
