import { describe, expect, it } from 'vitest';
import { jpegImage, pngImage, pngWithDeclaredSize, webpImage } from './fixtures/png-images.js';
import { inspectOpenAIImage } from './inspect-image.js';

describe('inspectOpenAIImage', () => {
  it('reads a PNG: size, alpha and completeness', () => {
    expect(inspectOpenAIImage(pngImage(12, 8, { transparent: true }))).toEqual({
      mediaType: 'image/png',
      width: 12,
      height: 8,
      complete: true,
      hasAlpha: true,
    });
    const png = pngImage(12, 8);
    expect(inspectOpenAIImage(png.subarray(0, png.length - 1))).toMatchObject({ complete: false });
    expect(inspectOpenAIImage(png.subarray(0, 20))).toMatchObject({
      mediaType: 'image/png',
      width: undefined,
      complete: false,
    });
    expect(inspectOpenAIImage(pngWithDeclaredSize(70_000, 70_000))).toMatchObject({
      width: 70_000,
      height: 70_000,
    });
  });

  it('reads a JPEG start-of-frame and end marker', () => {
    expect(inspectOpenAIImage(jpegImage(640, 480))).toEqual({
      mediaType: 'image/jpeg',
      width: 640,
      height: 480,
      complete: true,
      hasAlpha: false,
    });
    const jpeg = jpegImage(640, 480);
    expect(inspectOpenAIImage(jpeg.subarray(0, jpeg.length - 2))).toMatchObject({
      complete: false,
    });
  });

  it('reads a lossless WebP header and its RIFF size', () => {
    expect(inspectOpenAIImage(webpImage(300, 200))).toEqual({
      mediaType: 'image/webp',
      width: 300,
      height: 200,
      complete: true,
      hasAlpha: true,
    });
    expect(inspectOpenAIImage(webpImage(300, 200).subarray(0, 28))).toMatchObject({
      complete: false,
    });
  });

  it('knows nothing else', () => {
    expect(inspectOpenAIImage(new TextEncoder().encode('<html></html>'))).toBeUndefined();
    expect(inspectOpenAIImage(new TextEncoder().encode('GIF89a......'))).toBeUndefined();
    expect(inspectOpenAIImage(new Uint8Array())).toBeUndefined();
  });
});
