import { encodePng, isLayerloomError, ValidationError } from '@layerloom/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageDecodeError } from '../errors/image-decode-error.js';
import { ImageTooLargeError } from '../errors/image-too-large-error.js';
import { decodeImage } from './decode-image.js';
import { encodeImage } from './encode-image.js';
import { readImageHeader } from './read-image-header.js';

const pixels = new Uint8ClampedArray([
  255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120,
]);
const raster = { width: 3, height: 2, data: pixels };
const png = encodePng(raster);

/** A picture with gradients; at 640 × 480, above the parallel PNG encoder's threshold. */
function picture(
  width = 640,
  height = 480,
): { width: number; height: number; data: Uint8ClampedArray } {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let index = 0; index < data.length; index += 4) {
    const x = (index / 4) % width;
    const y = Math.floor(index / 4 / width);
    data[index] = x & 255;
    data[index + 1] = (y * 2) & 255;
    data[index + 2] = (x * y) & 255;
    data[index + 3] = 255 - (y & 127);
  }
  return { width, height, data };
}

/** A PNG whose header declares `width × height` but holds no image data. */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(png.subarray(0, 33));
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

describe('readImageHeader', () => {
  it('reads the size of PNG, WebP (lossy, lossless, extended) and JPEG', async () => {
    expect(readImageHeader(png)).toEqual({ format: 'png', width: 3, height: 2 });
    const input = sharp(Buffer.from(pixels), { raw: { width: 3, height: 2, channels: 4 } });
    const lossy = await input.clone().removeAlpha().webp({ quality: 50 }).toBuffer();
    const lossless = await input.clone().webp({ lossless: true }).toBuffer();
    const extended = await input.clone().webp({ quality: 50 }).toBuffer();
    const jpeg = await input.clone().jpeg().toBuffer();
    expect(readImageHeader(lossy)).toEqual({ format: 'webp', width: 3, height: 2 });
    expect(readImageHeader(lossless)).toEqual({ format: 'webp', width: 3, height: 2 });
    expect(readImageHeader(extended)).toEqual({ format: 'webp', width: 3, height: 2 });
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 3, height: 2 });
  });

  it('refuses what is not an image, and cut-short headers', () => {
    expect(() => readImageHeader(new TextEncoder().encode('<html>'))).toThrow(
      'Expected PNG, WebP or JPEG bytes, got bytes starting 3c 68 74 6d',
    );
    expect(() => readImageHeader(new Uint8Array(0))).toThrow('got no bytes');
    expect(() => readImageHeader(png.subarray(0, 20))).toThrow('The PNG header is truncated');
    expect(() => readImageHeader(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16))).toThrow(
      'The JPEG header is truncated',
    );
  });
});

describe('decodeImage', () => {
  it('decodes to straight-alpha RGBA, exactly for PNG', async () => {
    const decoded = await decodeImage(png);
    expect(decoded.width).toBe(3);
    expect(decoded.height).toBe(2);
    expect(decoded.data).toBeInstanceOf(Uint8ClampedArray);
    expect([...decoded.data]).toEqual([...pixels]);
  });

  it('adds an opaque alpha to images without one, greyscale included', async () => {
    const grey = await sharp(Buffer.from([0, 128, 255, 64]), {
      raw: { width: 2, height: 2, channels: 1 },
    })
      .png()
      .toBuffer();
    const decoded = await decodeImage(grey);
    expect([...decoded.data.subarray(0, 8)]).toEqual([0, 0, 0, 255, 128, 128, 128, 255]);
  });

  it('round-trips through encodeImage in every format', async () => {
    for (const format of ['png', 'webp', 'jpeg'] as const) {
      const decoded = await decodeImage(
        await encodeImage(raster, { format, quality: 100, lossless: format === 'webp' }),
      );
      expect([decoded.width, decoded.height]).toEqual([3, 2]);
    }
  });

  it('refuses a 100000 × 100000 header before allocating anything', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const error = await decodeImage(pngHeader(100_000, 100_000)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect(error).toMatchObject({ code: 'image_too_large', width: 100_000, height: 100_000 });
    expect(isLayerloomError(error)).toBe(true);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it('applies maxPixels', async () => {
    await expect(decodeImage(png, { maxPixels: 5 })).rejects.toThrow(
      'Expected an image of at most 5 pixels, got 3 × 2 = 6',
    );
    await expect(decodeImage(png, { maxPixels: 0 })).rejects.toThrow(ValidationError);
  });

  it('turns truncated and corrupt images into ImageDecodeError', async () => {
    const truncated = await decodeImage(png.subarray(0, png.length - 20)).catch(
      (caught: unknown) => caught,
    );
    expect(truncated).toBeInstanceOf(ImageDecodeError);
    expect(truncated).toMatchObject({ code: 'image_decode_error', format: 'png' });
    const corrupt = new Uint8Array(png);
    corrupt.fill(7, 40);
    await expect(decodeImage(corrupt)).rejects.toBeInstanceOf(ImageDecodeError);
    await expect(
      decodeImage(new TextEncoder().encode('not an image at all')),
    ).rejects.toMatchObject({
      code: 'image_decode_error',
    });
  });

  it('validates its arguments', async () => {
    await expect(decodeImage('png' as unknown as Uint8Array)).rejects.toThrow(
      'Expected `bytes` to be a Uint8Array, got "png" (string)',
    );
  });
});

describe('encodeImage', () => {
  it('encodes PNG losslessly, with a configurable compression level', async () => {
    const fast = await encodeImage(raster, { format: 'png' });
    const small = await encodeImage(raster, { format: 'png', compressionLevel: 9 });
    for (const bytes of [fast, small]) {
      expect(readImageHeader(bytes).format).toBe('png');
      expect([...(await decodeImage(bytes)).data]).toEqual([...pixels]);
    }
  });

  it('encodes AVIF with sharp, lossy or lossless, with a quality', async () => {
    const lossless = await encodeImage(raster, { format: 'avif', lossless: true });
    const decoded = await sharp(lossless).raw().toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ format: 'raw', width: 3, height: 2, channels: 4 });
    const low = await encodeImage(picture(96, 64), { format: 'avif', quality: 20 });
    const high = await encodeImage(picture(96, 64), { format: 'avif', quality: 90 });
    expect((await sharp(low).metadata()).format).toBe('heif');
    expect(low.length).toBeLessThan(high.length);
    await expect(encodeImage(raster, { format: 'avif', quality: 101 })).rejects.toThrow(
      'Expected `quality` to be an integer from 1 to 100, got `101` (number)',
    );
  });

  it('encodes big PNGs on the worker threads, which sharp decodes to the same pixels', async () => {
    const big = picture();
    const png = await encodeImage(big, { format: 'png' });
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(data.equals(Buffer.from(big.data.buffer))).toBe(true);
    await expect(encodeImage(big, { format: 'png', threads: 0 })).rejects.toThrow(
      'Expected `threads` to be an integer from 1 to 256, got `0` (number)',
    );
  });

  it('flattens JPEG onto white', async () => {
    const transparent = { width: 1, height: 1, data: new Uint8ClampedArray([0, 0, 0, 0]) };
    const decoded = await decodeImage(
      await encodeImage(transparent, { format: 'jpeg', quality: 100 }),
    );
    expect([...decoded.data]).toEqual([255, 255, 255, 255]);
  });

  it('validates the raster and the options', async () => {
    await expect(encodeImage(raster, { format: 'gif' as 'png' })).rejects.toThrow(
      'Expected `format` to be one of "png", "webp", "jpeg", "avif", got "gif" (string)',
    );
    await expect(encodeImage(raster, { format: 'webp', quality: 0 })).rejects.toThrow(
      'Expected `quality` to be an integer from 1 to 100, got `0` (number)',
    );
    await expect(encodeImage(raster, { format: 'png', compressionLevel: 10 })).rejects.toThrow(
      ValidationError,
    );
    await expect(
      encodeImage({ width: 2, height: 2, data: new Uint8ClampedArray(3) }, { format: 'png' }),
    ).rejects.toThrow(
      'Expected `raster.data` to be a Uint8ClampedArray of 2 × 2 × 4 = 16 bytes, got 3 bytes',
    );
  });
});
