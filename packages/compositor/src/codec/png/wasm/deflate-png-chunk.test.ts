import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { noiseGenerator } from '../../../../test/noise.js';
import { adler32 } from '../adler32.js';
import { canonicalCodes, deflatePngChunk, huffmanCodeLengths } from './deflate-png-chunk.js';
import { type PngEncoderKernel, pngEncoderKernel } from './png-encoder-kernel-module.js';

const next = noiseGenerator(9);

const kernel = pngEncoderKernel() as PngEncoderKernel;

/** Kraft's sum of code lengths: exactly 1 for a complete prefix code. */
function kraft(lengths: Uint8Array): number {
  let sum = 0;
  for (const bits of lengths) if (bits > 0) sum += 2 ** -bits;
  return sum;
}

/** Deflates `data` with the kernel, as the encoder does with a chunk's filtered rows. */
function deflate(data: Uint8Array, final: boolean): Uint8Array {
  const at = 65536;
  const needed = at + data.length + 16;
  const have = kernel.memory.buffer.byteLength;
  if (needed > have) kernel.memory.grow(Math.ceil((needed - have) / 65536));
  new Uint8Array(kernel.memory.buffer).set(data, at);
  return deflatePngChunk(kernel, at, data.length, final);
}

const kinds: Record<string, (size: number) => Uint8Array> = {
  noise: (size) => Uint8Array.from({ length: size }, () => (next() * 256) | 0),
  runs: (size) => {
    const bytes = new Uint8Array(size);
    let value = 0;
    for (let index = 0; index < size; index++) {
      if (next() < 0.02) value = (next() * 3) | 0;
      bytes[index] = value;
    }
    return bytes;
  },
  zeros: (size) => new Uint8Array(size),
  skewed: (size) =>
    Uint8Array.from({ length: size }, () => (next() < 0.9 ? 0 : (next() * 256) | 0)),
  ramp: (size) => Uint8Array.from({ length: size }, (_, index) => (index >> 3) & 255),
};

describe('huffmanCodeLengths', () => {
  it('gives complete prefix codes no longer than the limit, even for Fibonacci frequencies', () => {
    const fibonacci = new Uint32Array(286);
    for (let index = 0, a = 1, b = 1; index < 30; index++, [a, b] = [b, a + b])
      fibonacci[index] = a;
    const cases = [fibonacci];
    for (let trial = 0; trial < 200; trial++) {
      const frequencies = new Uint32Array(286);
      const used = 2 + ((next() * 284) | 0);
      for (let symbol = 0; symbol < used; symbol++) {
        frequencies[(next() * 286) | 0] = 1 + Math.floor(next() ** 8 * 1_000_000);
      }
      cases.push(frequencies);
    }
    for (const frequencies of cases) {
      for (const limit of [15, 9, 7]) {
        const used = frequencies.filter((value) => value > 0).length;
        if (used > 2 ** limit || used < 2) continue;
        const lengths = huffmanCodeLengths(frequencies, 286, limit);
        expect(Math.max(...lengths)).toBeLessThanOrEqual(limit);
        expect(kraft(lengths)).toBe(1);
        for (let symbol = 0; symbol < 286; symbol++) {
          expect(lengths[symbol]! > 0).toBe(frequencies[symbol]! > 0);
        }
      }
    }
  });

  it('gives one used symbol length 1, and none length 0', () => {
    expect([...huffmanCodeLengths(Uint32Array.of(0, 7, 0), 3, 15)]).toEqual([0, 1, 0]);
    expect([...huffmanCodeLengths(new Uint32Array(3), 3, 15)]).toEqual([0, 0, 0]);
  });
});

describe('canonicalCodes', () => {
  it('makes RFC 1951’s example codes, bit-reversed, with their lengths', () => {
    // RFC 1951 §3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) give 010, 011, 100, 101, 110, 00, 1110, 1111.
    const codes = canonicalCodes(Uint8Array.of(3, 3, 3, 3, 3, 2, 4, 4));
    const expected = ['010', '011', '100', '101', '110', '00', '1110', '1111'];
    expect(
      [...codes].map((code) => {
        const bits = code >>> 16;
        let text = '';
        for (let bit = 0; bit < bits; bit++) text += (code >> bit) & 1;
        return text;
      }),
    ).toEqual(expected);
  });
});

describe('deflatePngChunk', () => {
  it('writes raw deflate that zlib inflates back, a sync flush after every chunk but the last', () => {
    for (const size of [1, 2, 3, 4, 258, 259, 1000, 70_000, 300_000]) {
      for (const [kind, make] of Object.entries(kinds)) {
        const data = make(size);
        for (const final of [false, true]) {
          const bytes = deflate(data, final);
          const back = zlib.inflateRawSync(bytes, {
            finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
          });
          expect(Buffer.from(back).equals(data), `${kind}, ${size} bytes, final ${final}`).toBe(
            true,
          );
          if (!final) expect([...bytes.subarray(-4)]).toEqual([0, 0, 255, 255]);
        }
      }
    }
  });

  it('makes chunks that join into one zlib stream, as the encoder joins them', () => {
    const parts = [kinds.noise!(40_000), kinds.runs!(50_000), kinds.zeros!(9_000), kinds.ramp!(3)];
    const deflated = parts.map((part, index) => deflate(part, index === parts.length - 1));
    const whole = Buffer.concat(parts);
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32BE(adler32(whole));
    const stream = Buffer.concat([Buffer.from([0x78, 0x01]), ...deflated, trailer]);
    expect(zlib.inflateSync(stream).equals(whole)).toBe(true);
  });

  it('compresses runs: a chunk of zeros takes a few hundred bytes', () => {
    expect(deflate(new Uint8Array(500_000), true).length).toBeLessThan(1000);
  });
});
