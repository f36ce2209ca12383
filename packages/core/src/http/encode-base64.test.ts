import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64DecodedLength,
  base64EncodedLength,
  decodeBase64,
  encodeBase64,
  isBase64,
} from './encode-base64.js';

describe('encodeBase64 and decodeBase64', () => {
  it('round-trip any bytes, views included, and know their lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 10_000 }), fc.nat(4), (bytes, offset) => {
        const view = bytes.subarray(Math.min(offset, bytes.length));
        const text = encodeBase64(view);
        expect(isBase64(text)).toBe(true);
        expect(text.length).toBe(base64EncodedLength(view.length));
        expect(base64DecodedLength(text)).toBe(view.length);
        const decoded = decodeBase64(text);
        expect(decoded).toEqual(new Uint8Array(view));
        expect(decoded.byteOffset).toBe(0);
        expect(decoded.buffer.byteLength).toBe(decoded.byteLength);
      }),
    );
  });

  it('decodes leniently: a data: prefix and line breaks', () => {
    expect([...decodeBase64('data:image/png;base64,AQID')]).toEqual([1, 2, 3]);
    expect([...decodeBase64('AQID\nBAU=')]).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('isBase64', () => {
  it('refuses text cut short, prefixes, white space and other alphabets', () => {
    expect(isBase64('AQID')).toBe(true);
    expect(isBase64('AQIDBA==')).toBe(true);
    for (const text of ['AQIDB', 'AQIDBA=', 'data:x;base64,AQID', 'AQ ID', 'AQ-_', 'AQ=D']) {
      expect(isBase64(text), text).toBe(false);
    }
  });
});
