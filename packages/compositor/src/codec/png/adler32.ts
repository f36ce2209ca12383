/**
 * Adler-32 checksum of `bytes`, the trailer of a zlib stream (RFC 1950).
 *
 * Runs in worker threads from its source text: it references nothing but its arguments.
 *
 * @param bytes - the uncompressed bytes.
 * @returns the checksum, an unsigned 32-bit integer.
 */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  const length = bytes.length;
  let index = 0;
  while (index < length) {
    // 5552 bytes is the most that can be summed before `b` could pass 2³² (RFC 1950's NMAX).
    const end = Math.min(length, index + 5552);
    for (; index < end; index++) {
      a += bytes[index]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * The Adler-32 of two byte runs one after the other, from each run's checksum and the second's
 * length: what lets chunks compressed apart share one zlib trailer (zlib's `adler32_combine`).
 *
 * @param first - Adler-32 of the first run.
 * @param second - Adler-32 of the second run.
 * @param secondLength - length of the second run in bytes.
 * @returns the Adler-32 of both runs, joined.
 */
export function adler32Combine(first: number, second: number, secondLength: number): number {
  const base = 65521;
  const remainder = secondLength % base;
  const a1 = first & 0xffff;
  const b1 = first >>> 16;
  const a2 = second & 0xffff;
  const b2 = second >>> 16;
  const a = (a1 + a2 - 1 + base) % base;
  // b = b1 + b2 + n·(a1 − 1), all mod 65521; n·a1 stays below 2⁵³.
  const b = (b1 + b2 + ((remainder * ((a1 - 1 + base) % base)) % base)) % base;
  return ((b << 16) | a) >>> 0;
}
