const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Base64 of some bytes (standard alphabet, padded), without a `data:` prefix: what JSON APIs
 * take for an input image.
 *
 * @param bytes - the bytes to encode.
 * @returns the base64 text.
 */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Bytes of a base64 string. Lenient, as servers' answers call for: a `data:…;base64,` prefix,
 * line breaks and missing padding are accepted, and characters outside the alphabet are
 * skipped. Check untrusted text with {@link isBase64} (and its size with
 * {@link base64DecodedLength}) first when a corrupted string must be refused.
 *
 * @param text - base64 text, optionally a `data:` URL.
 * @returns the decoded bytes.
 */
export function decodeBase64(text: string): Uint8Array {
  const comma = text.startsWith('data:') ? text.indexOf(',') : -1;
  const buffer = Buffer.from(comma === -1 ? text : text.slice(comma + 1), 'base64');
  // A small buffer is a view into Node's shared pool: copy it, so `bytes.buffer` is its own.
  return buffer.byteLength === buffer.buffer.byteLength
    ? new Uint8Array(buffer.buffer, 0, buffer.byteLength)
    : new Uint8Array(buffer);
}

/**
 * Whether `text` is strict base64: the standard alphabet, padded to a multiple of four
 * characters, no prefix, no white space. A string cut short in transit fails this test.
 *
 * @param text - the text to check.
 */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && base64Pattern.test(text);
}

/**
 * How many bytes strict base64 text decodes to, computed from its length without decoding,
 * so that a size limit can be checked before any allocation.
 *
 * @param text - strict base64 text (see {@link isBase64}).
 * @returns the decoded length in bytes.
 */
export function base64DecodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/**
 * How long the base64 text of `byteLength` bytes is (padded), e.g. to size a response limit
 * for an API that answers with base64 images.
 *
 * @param byteLength - the number of bytes.
 * @returns the number of base64 characters.
 */
export function base64EncodedLength(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}
