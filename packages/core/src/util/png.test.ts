import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLayerloomError } from '../errors/layerloom-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { decodePng } from './decode-png.js';
import { encodePng } from './encode-png.js';

function pngFrom(
  width: number,
  height: number,
  colorType: number,
  rows: number[][],
  extra: Uint8Array[] = [],
) {
  // A PNG built by hand with the given colour type and filter-0 rows, to test the decoder alone.
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, colorType, 0, 0, 0], 8);
  const encoded = encodePng({ width: 1, height: 1, data: new Uint8Array(4) });
  const ihdrStart = 8;
  const out: number[] = [...encoded.subarray(0, ihdrStart)];
  const chunk = (type: string, data: Uint8Array) => {
    // CRCs are not checked by the decoder; zero is fine here.
    const length = [
      data.length >>> 24,
      (data.length >>> 16) & 255,
      (data.length >>> 8) & 255,
      data.length & 255,
    ];
    out.push(...length, ...[...type].map((c) => c.charCodeAt(0)), ...data, 0, 0, 0, 0);
  };
  chunk('IHDR', header);
  for (const part of extra) chunk(String.fromCharCode(...part.subarray(0, 4)), part.subarray(4));
  chunk('IDAT', deflateSync(Uint8Array.from(rows.flatMap((row) => [0, ...row]))));
  chunk('IEND', new Uint8Array());
  return Uint8Array.from(out);
}

describe('encodePng / decodePng', () => {
  it('round-trips arbitrary RGBA pixels exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 255 })),
        (width, height, values) => {
          const data = Uint8ClampedArray.from(values.take(width * height * 4));
          const decoded = decodePng(encodePng({ width, height, data }));
          expect(decoded.width).toBe(width);
          expect(decoded.height).toBe(height);
          expect(decoded.data).toEqual(data);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('decodes grey, grey+alpha, RGB and palette images to RGBA', () => {
    expect([...decodePng(pngFrom(2, 1, 0, [[10, 200]])).data]).toEqual([
      10, 10, 10, 255, 200, 200, 200, 255,
    ]);
    expect([...decodePng(pngFrom(1, 1, 4, [[10, 20]])).data]).toEqual([10, 10, 10, 20]);
    expect([...decodePng(pngFrom(1, 1, 2, [[1, 2, 3]])).data]).toEqual([1, 2, 3, 255]);
    const plte = Uint8Array.from(
      [...'PLTE'].map((c) => c.charCodeAt(0)).concat([9, 8, 7, 6, 5, 4]),
    );
    const trns = Uint8Array.from([...'tRNS'].map((c) => c.charCodeAt(0)).concat([128]));
    expect([...decodePng(pngFrom(2, 1, 3, [[1, 0]], [plte, trns])).data]).toEqual([
      6, 5, 4, 255, 9, 8, 7, 128,
    ]);
  });

  it('refuses what is not a PNG, truncated files and oversized headers with typed errors', () => {
    const good = encodePng({ width: 4, height: 4, data: new Uint8Array(64) });
    for (const bytes of [
      new Uint8Array([1, 2, 3]),
      good.subarray(0, 30),
      new TextEncoder().encode('<html>'),
    ]) {
      let error: unknown;
      try {
        decodePng(bytes);
      } catch (thrown) {
        error = thrown;
      }
      expect(isLayerloomError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('image_decode_error');
    }
    expect(() => decodePng(good, { maxPixels: 15 })).toThrow(/exceeds 15 pixels/);
  });

  it('validates the pixel buffer it encodes', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(
      ValidationError,
    );
    expect(() => encodePng({ width: 0, height: 2, data: new Uint8Array(0) })).toThrow(
      /positive integers/,
    );
  });
});
