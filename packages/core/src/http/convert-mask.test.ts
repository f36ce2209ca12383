import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { thrownBy } from '../testing/thrown-by.js';
import { decodePng } from '../util/decode-png.js';
import { encodePng } from '../util/encode-png.js';
import { convertMask, readMaskCoverage } from './convert-mask.js';

/** 4x1 pixels: opaque white, opaque black, transparent white, half-transparent white. */
const rgba = new Uint8Array([
  255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 0, 255, 255, 255, 128,
]);
const mask = { bytes: encodePng({ width: 4, height: 1, data: rgba }), mediaType: 'image/png' };

describe('readMaskCoverage', () => {
  it('reads luminance times alpha: white and opaque repaints, black or transparent keeps', () => {
    const read = readMaskCoverage(mask);
    expect(read.width).toBe(4);
    expect(read.height).toBe(1);
    expect([...read.coverage]).toEqual([255, 0, 0, 128]);
  });

  it('weighs colours by Rec. 709 luminance', () => {
    const green = encodePng({ width: 1, height: 1, data: new Uint8Array([0, 255, 0, 255]) });
    expect([...readMaskCoverage({ bytes: green, mediaType: 'image/png' }).coverage]).toEqual([
      Math.round(0.7152 * 255),
    ]);
  });

  it('refuses what is not a PNG with a ValidationError naming the field', () => {
    const error = thrownBy(() =>
      readMaskCoverage(
        { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), mediaType: 'image/jpeg' },
        { path: ['layers', 0, 'mask'] },
      ),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual(['layers', 0, 'mask']);
    expect((error as Error).message).toMatch(
      /Expected `layers\.0\.mask` to be an 8-bit PNG.*image\/jpeg/,
    );
  });
});

describe('convertMask', () => {
  it('writes `transparent-repaints` as black with alpha 255 − coverage (OpenAI)', () => {
    const converted = convertMask(mask, 'transparent-repaints');
    expect(converted.mediaType).toBe('image/png');
    const { data } = decodePng(converted.bytes);
    expect([...data]).toEqual([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 127]);
  });

  it('writes `white-repaints` as opaque grey equal to coverage (A1111)', () => {
    const { data } = decodePng(convertMask(mask, 'white-repaints').bytes);
    expect([...data]).toEqual([255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128, 255]);
  });

  it('round-trips: a converted mask read back as coverage is the same in both conventions', () => {
    const white = readMaskCoverage(convertMask(mask, 'white-repaints'));
    expect([...white.coverage]).toEqual([...readMaskCoverage(mask).coverage]);
  });
});
