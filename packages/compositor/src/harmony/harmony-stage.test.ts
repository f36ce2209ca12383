import { type CompositeLayer, encodePng, type Layer, ValidationError } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../codec/decode-image.js';
import { compositeRasters } from '../composite-rasters.js';
import { compositeRastersSync } from '../composite-rasters-sync.js';
import { createCompositor } from '../create-compositor.js';
import { oklabFromSrgb } from '../matte/oklab.js';
import { dropShadow } from './drop-shadow.js';
import { harmonizeLayers } from './harmonize-layers.js';

const side = 300;

/** A warm, noisy subject disc on a plain green backdrop (opaque, as a provider paints it). */
function subjectOnGreen() {
  const data = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const at = (y * side + x) * 4;
      const inside = Math.hypot(x - 150, y - 150) < 90;
      const grain = ((x * 7 + y * 13) % 17) - 8;
      data.set(inside ? [210 + grain, 140 + grain, 90 + grain, 255] : [0, 255, 0, 255], at);
    }
  }
  return { bytes: encodePng({ width: side, height: side, data }), mediaType: 'image/png' };
}

/** A cold scene: a vertical gradient of blues. */
function coldScene() {
  const data = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      data.set([40 + y / 6, 80 + y / 5, 150 + y / 4, 255], (y * side + x) * 4);
    }
  }
  return { bytes: encodePng({ width: side, height: side, data }), mediaType: 'image/png' };
}

function entry(id: string, image: CompositeLayer['image'], fields: Partial<Layer> = {}) {
  return { layer: { id, prompt: id, provider: 'test', ...fields }, image };
}

const stack = (hero: Partial<Layer>) => ({
  width: side,
  height: side,
  layers: [
    entry('hero', subjectOnGreen(), {
      matte: { chromaKey: '#00ff00', refineEdges: true },
      ...hero,
    }),
    entry('scene', coldScene()),
  ],
});

async function meanOklabAt(bytes: Uint8Array, x: number, y: number, radius: number) {
  const raster = await decodeImage(bytes);
  const color = { l: 0, a: 0, b: 0 };
  const sums = [0, 0, 0];
  let count = 0;
  for (let row = y - radius; row <= y + radius; row++) {
    for (let column = x - radius; column <= x + radius; column++) {
      const at = (row * raster.width + column) * 4;
      oklabFromSrgb(raster.data[at]!, raster.data[at + 1]!, raster.data[at + 2]!, color);
      sums[0]! += color.l;
      sums[1]! += color.a;
      sums[2]! += color.b;
      count++;
    }
  }
  return sums.map((sum) => sum / count);
}

describe('the harmony stage of createCompositor', () => {
  it('moves a layer towards its reference, casts its shadow and is byte-stable across threads', async () => {
    const single = createCompositor({ threads: 1 });
    const plain = await single.composite(stack({}));
    const options = {
      harmonize: { to: 'scene', amount: 1 },
      shadow: { angle: 90, distance: 12, blur: 4, opacity: 0.6 },
      lightWrap: { amount: 0.5, radius: 6 },
    } as const;
    const harmonized = await single.composite(stack(options));
    // The hero's centre turns from warm (b > 0) towards the scene's blue (b < 0).
    const [, , warmB] = await meanOklabAt(plain.bytes, 150, 150, 10);
    const [, , matchedB] = await meanOklabAt(harmonized.bytes, 150, 150, 10);
    expect(warmB).toBeGreaterThan(0.03);
    expect(matchedB).toBeLessThan(0);
    // Under the disc's bottom edge, the shadow darkens the scene.
    const [sceneL] = await meanOklabAt(plain.bytes, 150, 246, 2);
    const [shadowL] = await meanOklabAt(harmonized.bytes, 150, 246, 2);
    expect(shadowL!).toBeLessThan(sceneL! - 0.05);
    // No green survives the refined matte at the edge.
    const [, edgeA] = await meanOklabAt(harmonized.bytes, 150, 61, 1);
    expect(edgeA).toBeGreaterThan(-0.03);
    const again = await single.composite(stack(options));
    expect(again.bytes).toEqual(harmonized.bytes);
    const threaded = await createCompositor({ threads: 2 }).composite(stack(options));
    expect(threaded.bytes).toEqual(harmonized.bytes);
  });

  it('auto matte keys out a plain backdrop and keeps a scene', async () => {
    const compositor = createCompositor({ threads: 1 });
    const result = await compositor.composite({
      width: side,
      height: side,
      background: '#ffffff',
      layers: [entry('hero', subjectOnGreen(), { matte: 'auto' })],
    });
    const raster = await decodeImage(result.bytes);
    expect([...raster.data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    const scene = await compositor.composite({
      width: side,
      height: side,
      background: '#ffffff',
      layers: [entry('scene', coldScene(), { matte: 'auto' })],
    });
    expect([...(await decodeImage(scene.bytes)).data.subarray(0, 3)]).toEqual([40, 80, 150]);
  });

  it('rejects an unknown reference, a cycle and an out-of-range amount, naming layer and field', async () => {
    const compositor = createCompositor({ threads: 1 });
    const unknown = compositor.composite(stack({ harmonize: { to: 'sky' } }));
    await expect(unknown).rejects.toBeInstanceOf(ValidationError);
    await expect(unknown).rejects.toThrow(
      '`layers[0].layer.harmonize.to`: layer "hero" is matched to "sky", but no layer has that id; expected one of "hero", "scene"',
    );
    const cycle = {
      width: side,
      height: side,
      layers: [
        entry('hero', subjectOnGreen(), { harmonize: { to: 'scene' } }),
        entry('scene', coldScene(), { harmonize: { to: 'hero' } }),
      ],
    };
    await expect(compositor.composite(cycle)).rejects.toThrow(
      'layer "hero" is in the harmony cycle "hero" -> "scene" -> "hero"',
    );
    await expect(
      compositor.composite(stack({ harmonize: { to: 'scene', amount: 3 } })),
    ).rejects.toThrow(
      '`layers[0].layer.harmonize.amount`: layer "hero" has a harmony amount of `3` (number); expected a number from 0 to 1',
    );
  });

  it('gives the same bytes on worker threads as on the calling thread', async () => {
    const hero = await decodeImage(subjectOnGreen().bytes);
    const scene = await decodeImage(coldScene().bytes);
    const [matched] = await harmonizeLayers([
      { layer: { id: 'hero', harmonize: { to: 'scene', amount: 0.7 } }, raster: hero },
      { layer: { id: 'scene' }, raster: scene },
    ]);
    const shadow = dropShadow(matched!, { blur: 6, distance: 9, opacity: 0.5 });
    const layers = [
      { raster: matched!, left: 20, top: 10 },
      { raster: shadow.raster, left: 20 + shadow.left, top: 10 + shadow.top },
    ];
    const sync = compositeRastersSync(scene, layers);
    const threaded = await compositeRasters(scene, layers, { threads: 2, parallelThreshold: 0 });
    expect(threaded.data).toEqual(sync.data);
    expect(threaded.data).not.toEqual(scene.data);
  });
});
