import { describe, expect, it } from 'vitest';
import { describeLeadingBytes } from './describe-leading-bytes.js';
import { encodePng } from './encode-png.js';
import { inspectImage } from './inspect-image.js';

const bytesOf = (text: string) => [...text].map((character) => character.charCodeAt(0));

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Big-endian 32 bits. */
function be32(value: number): number[] {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return [...bytes];
}

/** A PNG chunk with a zero CRC (nothing here checks it). */
const chunk = (type: string, data: readonly number[]) => [
  ...be32(data.length),
  ...bytesOf(type),
  ...data,
  ...be32(0),
];

/** A hand-made PNG header of `width`×`height` with a colour type and optional chunks. */
const png = (width: number, height: number, colorType: number, extra: number[] = []) =>
  new Uint8Array([
    ...pngSignature,
    ...chunk('IHDR', [...be32(width), ...be32(height), 8, colorType, 0, 0, 0]),
    ...extra,
    ...chunk('IDAT', [0]),
    ...chunk('IEND', []),
  ]);

/** SOI, APP0, SOF0 of `width`×`height`, EOI. */
function jpeg(width: number, height: number): Uint8Array {
  const bytes = Uint8Array.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0, 0, 0, 0, 0x01,
    0x01, 0x11, 0x00, 0xff, 0xd9,
  ]);
  const view = new DataView(bytes.buffer);
  view.setUint16(13, height);
  view.setUint16(15, width);
  return bytes;
}

/** A RIFF/WEBP file of one chunk of 14 bytes, with a consistent RIFF size. */
function webp(chunkType: string, fill: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(30);
  const view = new DataView(bytes.buffer);
  bytes.set(bytesOf('RIFF'), 0);
  view.setUint32(4, 22, true);
  bytes.set(bytesOf(`WEBP${chunkType}`), 8);
  view.setUint32(16, 10, true);
  fill(bytes, view);
  return bytes;
}

/** A 3×2 GIF89a with a two-colour table, optionally with a transparent colour. */
function gif(transparent: boolean): Uint8Array {
  const header = [...bytesOf('GIF89a'), 3, 0, 2, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255];
  const control = [0x21, 0xf9, 4, transparent ? 1 : 0, 0, 0, 0, 0];
  const comment = [0x21, 0xfe, 2, 0x68, 0x69, 0];
  const image = [0x2c, 0, 0, 0, 0, 3, 0, 2, 0, 0, 2, 2, 0x44, 0x01, 0];
  return new Uint8Array([...header, ...control, ...comment, ...image, 0x3b]);
}

describe('inspectImage', () => {
  it('reads a PNG: size, alpha (colour type or tRNS) and completeness', () => {
    const rgba = encodePng({ width: 12, height: 8, data: new Uint8Array(12 * 8 * 4) });
    expect(inspectImage(rgba)).toEqual({
      mediaType: 'image/png',
      width: 12,
      height: 8,
      complete: true,
      hasAlpha: true,
    });
    expect(inspectImage(png(5, 4, 2))).toMatchObject({ width: 5, height: 4, hasAlpha: false });
    expect(inspectImage(png(5, 4, 2, chunk('tRNS', [0, 0, 0, 0, 0, 0])))?.hasAlpha).toBe(true);
    expect(inspectImage(png(5, 4, 4))?.hasAlpha).toBe(true);
    expect(inspectImage(rgba.subarray(0, rgba.length - 1))).toMatchObject({ complete: false });
    expect(inspectImage(rgba.subarray(0, 20))).toEqual({
      mediaType: 'image/png',
      width: undefined,
      height: undefined,
      complete: false,
      hasAlpha: undefined,
    });
    expect(inspectImage(png(70_000, 0, 6))).toMatchObject({ width: 70_000, height: 0 });
  });

  it('reads a JPEG start-of-frame past fill bytes and standalone markers, and its end marker', () => {
    expect(inspectImage(jpeg(640, 480))).toEqual({
      mediaType: 'image/jpeg',
      width: 640,
      height: 480,
      complete: true,
      hasAlpha: false,
    });
    const padded = new Uint8Array([0xff, 0xd8, 0xff, 0xff, 0xd0, ...jpeg(3, 2).subarray(2), 0, 0]);
    expect(inspectImage(padded)).toMatchObject({ width: 3, height: 2, complete: true });
    expect(inspectImage(jpeg(640, 480).subarray(0, 21))).toMatchObject({ complete: false });
    expect(inspectImage(jpeg(640, 480).subarray(0, 12))).toMatchObject({
      mediaType: 'image/jpeg',
      width: undefined,
      complete: false,
    });
  });

  it('reads lossy, lossless and extended WebP headers and the RIFF size', () => {
    const lossy = webp('VP8 ', (_bytes, view) => {
      view.setUint16(26, 300, true);
      view.setUint16(28, 200, true);
    });
    expect(inspectImage(lossy)).toEqual({
      mediaType: 'image/webp',
      width: 300,
      height: 200,
      complete: true,
      hasAlpha: false,
    });
    const lossless = webp('VP8L', (bytes, view) => {
      bytes[20] = 0x2f;
      view.setUint32(21, 299 | (199 << 14) | (1 << 28), true);
    });
    expect(inspectImage(lossless)).toMatchObject({ width: 300, height: 200, hasAlpha: true });
    const extended = webp('VP8X', (bytes) => {
      bytes[20] = 0x10;
      bytes.set([0x3f, 0x01, 0x00, 0xef, 0x00, 0x00], 24);
    });
    expect(inspectImage(extended)).toMatchObject({ width: 320, height: 240, hasAlpha: true });
    expect(inspectImage(lossy.subarray(0, 28))).toMatchObject({
      mediaType: 'image/webp',
      width: undefined,
      complete: false,
    });
  });

  it('reads a GIF: size, transparent colour and trailer', () => {
    expect(inspectImage(gif(true))).toEqual({
      mediaType: 'image/gif',
      width: 3,
      height: 2,
      complete: true,
      hasAlpha: true,
    });
    expect(inspectImage(gif(false))).toMatchObject({ complete: true, hasAlpha: false });
    const cut = gif(false).subarray(0, 30);
    expect(inspectImage(cut)).toMatchObject({ width: 3, complete: false, hasAlpha: undefined });
    expect(inspectImage(new Uint8Array(bytesOf('GIF87a')))).toMatchObject({
      mediaType: 'image/gif',
      width: undefined,
    });
  });

  it('recognises only the accepted formats, and nothing else', () => {
    const accepted = ['image/png', 'image/jpeg', 'image/webp'] as const;
    expect(inspectImage(gif(true), accepted)).toBeUndefined();
    expect(inspectImage(jpeg(1, 1), accepted)?.mediaType).toBe('image/jpeg');
    expect(inspectImage(new TextEncoder().encode('<html></html>'))).toBeUndefined();
    expect(inspectImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined();
    expect(inspectImage(new Uint8Array())).toBeUndefined();
  });

  it('reads views into larger buffers', () => {
    const file = jpeg(7, 5);
    const larger = new Uint8Array(file.length + 10);
    larger.set(file, 10);
    expect(inspectImage(larger.subarray(10))).toMatchObject({ width: 7, height: 5 });
  });
});

describe('describeLeadingBytes', () => {
  it('shows the length and the first bytes in hex', () => {
    expect(describeLeadingBytes(new TextEncoder().encode('<html>oops</html>'))).toBe(
      '17 bytes starting 3c 68 74 6d 6c 3e 6f 6f',
    );
    expect(describeLeadingBytes(new Uint8Array([1, 255]), 4)).toBe('2 bytes starting 01 ff');
    expect(describeLeadingBytes(new Uint8Array())).toBe('no bytes');
  });
});
