import {
  AbortError,
  type CompositeLayer,
  encodePng,
  type Layer,
  ValidationError,
} from '@layerloom/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './codec/decode-image.js';
import { readImageHeader } from './codec/read-image-header.js';
import { compositeRasters } from './composite-rasters.js';
import { createCompositor } from './create-compositor.js';
import { ImageDecodeError } from './errors/image-decode-error.js';

function png(width: number, height: number, pixel: readonly number[]) {
  const data = new Uint8Array(width * height * 4);
  for (let index = 0; index < data.length; index += 4) data.set(pixel, index);
  return { bytes: encodePng({ width, height, data }), mediaType: 'image/png' };
}

function layer(
  id: string,
  image: ReturnType<typeof png>,
  fields: Partial<Layer> = {},
): CompositeLayer {
  return { layer: { id, prompt: id, provider: 'test', ...fields }, image };
}

const at = async (bytes: Uint8Array, x: number, y: number) => {
  const raster = await decodeImage(bytes);
  const index = (y * raster.width + x) * 4;
  return [...raster.data.subarray(index, index + 4)];
};

describe('createCompositor', () => {
  const compositor = createCompositor({ threads: 1 });

  it('makes the bottom layer opaque and uses the alpha of the others by default', async () => {
    const result = await compositor.composite({
      width: 4,
      height: 4,
      layers: [
        layer('top', png(2, 2, [0, 0, 255, 128]), {
          placement: { x: 2, y: 2, width: 2, height: 2 },
        }),
        layer('bottom', png(4, 4, [255, 0, 0, 0])),
      ],
    });
    expect(result).toMatchObject({ mediaType: 'image/png', width: 4, height: 4 });
    expect(await at(result.bytes, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(await at(result.bytes, 3, 3)).toEqual([127, 0, 128, 255]);
  });

  it('composites over an opaque full-canvas bottom layer as the backdrop, the same bytes', async () => {
    // A gradient bottom layer, a translucent multiply layer and a soft normal one over it.
    const width = 24;
    const height = 16;
    const bottom = new Uint8ClampedArray(width * height * 4);
    for (let index = 0; index < bottom.length; index += 4) {
      bottom.set([index % 251, (index * 7) % 253, (index * 13) % 255, 255], index);
    }
    const bottomImage = {
      bytes: encodePng({ width, height, data: new Uint8Array(bottom) }),
      mediaType: 'image/png',
    };
    const shade = png(10, 10, [40, 90, 200, 180]);
    const glow = png(8, 6, [250, 240, 10, 120]);
    const result = await compositor.composite({
      width,
      height,
      background: '#00ff00',
      layers: [
        layer('glow', glow, { placement: { x: 3, y: 2, width: 8, height: 6 } }),
        layer('shade', shade, {
          blend: 'multiply',
          opacity: 0.6,
          placement: { x: 9, y: 5, width: 10, height: 10 },
        }),
        layer('bottom', bottomImage),
      ],
    });
    const expected = await compositeRasters({ width, height, data: bottom }, [
      { raster: await decodeImage(glow.bytes), left: 3, top: 2 },
      { raster: await decodeImage(shade.bytes), left: 9, top: 5, blend: 'multiply', opacity: 0.6 },
    ]);
    const picture = await decodeImage(result.bytes);
    expect([...picture.data]).toEqual([...expected.data]);
  });

  it('takes an RGB PNG or a JPEG bottom layer as it is, under the layers above', async () => {
    const painted = () =>
      sharp({
        create: { width: 4, height: 4, channels: 3, background: { r: 200, g: 100, b: 50 } },
      });
    const rgb = await painted().png().toBuffer();
    const jpeg = await painted().jpeg({ quality: 100 }).toBuffer();
    for (const [bytes, mediaType] of [
      [rgb, 'image/png'],
      [jpeg, 'image/jpeg'],
    ] as const) {
      const result = await compositor.composite({
        width: 4,
        height: 4,
        background: '#00ff00',
        layers: [
          layer('top', png(2, 2, [0, 0, 255, 255]), {
            placement: { x: 0, y: 0, width: 2, height: 2 },
          }),
          layer('bottom', { bytes, mediaType }),
        ],
      });
      const bottom = await decodeImage(bytes);
      expect(await at(result.bytes, 0, 0)).toEqual([0, 0, 255, 255]);
      expect(await at(result.bytes, 3, 3), mediaType).toEqual([...bottom.data.subarray(60, 64)]);
      expect(bottom.data[63]).toBe(255);
    }
  });

  it('shows the background under a bottom layer that does not hide it', async () => {
    const half = await compositor.composite({
      width: 2,
      height: 2,
      background: '#0000ff',
      layers: [layer('bottom', png(2, 2, [255, 0, 0, 255]), { opacity: 0.5 })],
    });
    expect(await at(half.bytes, 1, 1)).toEqual([128, 0, 128, 255]);
    const small = await compositor.composite({
      width: 2,
      height: 2,
      background: '#0000ff',
      layers: [
        layer('bottom', png(1, 1, [255, 0, 0, 255]), {
          placement: { x: 0, y: 0, width: 1, height: 1 },
        }),
      ],
    });
    expect(await at(small.bytes, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(await at(small.bytes, 1, 1)).toEqual([0, 0, 255, 255]);
  });

  it('gives each render its own picture when it reuses the last one’s memory', async () => {
    // One compositor, renders of one size one after the other and at once: each composites
    // into the memory the previous one encoded from, and must not show any of it.
    const reused = createCompositor({ threads: 2 });
    const input = (pixel: readonly number[], background: string) => ({
      width: 64,
      height: 48,
      background,
      layers: [
        layer('top', png(20, 10, pixel), {
          matte: 'alpha',
          placement: { x: 5, y: 5, width: 20, height: 10 },
        }),
      ],
    });
    const first = await reused.composite(input([255, 0, 0, 255], '#000000'));
    const second = await reused.composite(input([0, 0, 255, 128], '#ffffff'));
    const again = await reused.composite(input([255, 0, 0, 255], '#000000'));
    expect(again.bytes).toEqual(first.bytes);
    expect(await at(second.bytes, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(await at(second.bytes, 10, 10)).toEqual([127, 127, 255, 255]);
    const together = await Promise.all([
      reused.composite(input([255, 0, 0, 255], '#000000')),
      reused.composite(input([0, 0, 255, 128], '#ffffff')),
      reused.composite({ ...input([0, 255, 0, 255], '#000000'), width: 32 }),
    ]);
    expect(together[0]!.bytes).toEqual(first.bytes);
    expect(together[1]!.bytes).toEqual(second.bytes);
    expect(await at(together[2]!.bytes, 10, 10)).toEqual([0, 255, 0, 255]);
  });

  it('honours explicit mattes: alpha on the bottom, a chroma key on top', async () => {
    const result = await compositor.composite({
      width: 2,
      height: 2,
      background: '#ffffff',
      layers: [
        layer('keyed', png(2, 2, [0, 255, 0, 255]), { matte: { chromaKey: '#00ff00' } }),
        layer('bottom', png(2, 2, [255, 0, 0, 0]), { matte: 'alpha' }),
      ],
    });
    expect(await at(result.bytes, 1, 1)).toEqual([255, 255, 255, 255]);
  });

  it('fits, blends, masks and encodes as asked', async () => {
    const result = await compositor.composite({
      width: 8,
      height: 4,
      background: 'rgb(128, 128, 128)',
      output: { format: 'webp', quality: 100 },
      layers: [
        layer('white', png(1, 1, [255, 255, 255, 255]), {
          blend: 'multiply',
          opacity: 0.5,
          mask: { type: 'rect', x: 0, y: 0, width: 4, height: 4 },
        }),
      ],
    });
    expect(result.mediaType).toBe('image/webp');
    expect(readImageHeader(result.bytes)).toEqual({ format: 'webp', width: 8, height: 4 });
  });

  it('skips layers placed off the canvas', async () => {
    const result = await compositor.composite({
      width: 2,
      height: 2,
      background: 'black',
      layers: [
        layer('away', png(2, 2, [255, 255, 255, 255]), {
          placement: { x: 50, y: 0 },
          matte: 'none',
        }),
      ],
    });
    expect(await at(result.bytes, 0, 0)).toEqual([0, 0, 0, 255]);
  });

  it('stops between layers when the signal aborts', async () => {
    const controller = new AbortController();
    const images = Array.from({ length: 4 }, (_, index) =>
      layer(`l${index}`, png(64, 64, [index, 0, 0, 255])),
    );
    const running = compositor.composite(
      { width: 64, height: 64, layers: images },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(AbortError);
    await expect(
      compositor.composite({ width: 1, height: 1, layers: [] }, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortError);
  });

  it('reports bad input as ValidationError naming the field', async () => {
    const good = layer('a', png(1, 1, [0, 0, 0, 255]));
    await expect(compositor.composite({ width: 0, height: 1, layers: [] })).rejects.toThrow(
      'Expected `width` to be an integer from 1 to 16384, got `0` (number)',
    );
    await expect(
      compositor.composite({ width: 1, height: 1, background: 'sky', layers: [] }),
    ).rejects.toThrow(
      'Expected `background` to be a CSS colour or "transparent", got "sky" (string)',
    );
    await expect(
      compositor.composite({
        width: 1,
        height: 1,
        layers: [good, { ...good, layer: { ...good.layer, opacity: Number.NaN } }],
      }),
    ).rejects.toThrow(
      'Expected `layers[1].layer.opacity` to be a number from 0 to 1, got `NaN` (number)',
    );
    await expect(
      compositor.composite({
        width: 1,
        height: 1,
        layers: [{ ...good, layer: { ...good.layer, blend: 'glow' as 'normal' } }],
      }),
    ).rejects.toThrow(ValidationError);
    await expect(
      compositor.composite({
        width: 1,
        height: 1,
        layers: [good],
        output: { format: 'png', quality: 500 },
      }),
    ).rejects.toThrow(
      'Expected `output.quality` to be an integer from 1 to 100, got `500` (number)',
    );
    expect(() => createCompositor({ maxPixels: -1 })).toThrow(ValidationError);
    expect(() => createCompositor({ compressionLevel: 12 })).toThrow(ValidationError);
  });

  it('passes decoding failures on as typed errors', async () => {
    await expect(
      compositor.composite({
        width: 1,
        height: 1,
        layers: [
          layer('broken', { bytes: new TextEncoder().encode('oops'), mediaType: 'image/png' }),
        ],
      }),
    ).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(
      createCompositor({ maxPixels: 10 }).composite({
        width: 1,
        height: 1,
        layers: [layer('big', png(4, 4, [0, 0, 0, 255]))],
      }),
    ).rejects.toMatchObject({ code: 'image_too_large' });
  });
});
