import { describe, expect, it } from 'vitest';
import { encodePng } from './encode-png.js';
import { readImageSize } from './read-image-size.js';

describe('readImageSize', () => {
  it('reads PNG, JPEG and WebP headers', () => {
    const png = encodePng({ width: 3, height: 2, data: new Uint8Array(24) });
    expect(readImageSize(png)).toEqual({ width: 3, height: 2 });
    // SOI, an APP0 segment, then SOF0 with height 480 and width 640.
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0,
      0x02, 0x80, 0x03,
    ]);
    expect(readImageSize(jpeg)).toEqual({ width: 640, height: 480 });
    const webp = new Uint8Array(30);
    webp.set(
      [...'RIFF'].map((character) => character.charCodeAt(0)),
      0,
    );
    webp.set(
      [...'WEBPVP8X'].map((character) => character.charCodeAt(0)),
      8,
    );
    webp.set([0x3f, 0x01, 0x00, 0xef, 0x00, 0x00], 24);
    expect(readImageSize(webp)).toEqual({ width: 320, height: 240 });
  });

  it('answers undefined for anything else', () => {
    expect(readImageSize(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(readImageSize(new Uint8Array(0))).toBeUndefined();
  });
});

describe('readImageSize on GIF and empty sizes', () => {
  it('reads a GIF logical screen and refuses a declared 0', () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x40, 0x01, 0xf0, 0x00]);
    expect(readImageSize(gif)).toEqual({ width: 320, height: 240 });
    expect(readImageSize(gif.map((byte, index) => (index >= 6 ? 0 : byte)))).toBeUndefined();
  });
});
