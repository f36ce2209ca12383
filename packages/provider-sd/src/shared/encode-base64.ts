/**
 * Base64 of some bytes, without a `data:` prefix.
 *
 * @param bytes - the bytes to encode.
 */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Bytes of a base64 string, tolerating a `data:…;base64,` prefix and line breaks.
 *
 * @param text - base64 text.
 */
export function decodeBase64(text: string): Uint8Array {
  const comma = text.startsWith('data:') ? text.indexOf(',') : -1;
  return new Uint8Array(Buffer.from(comma === -1 ? text : text.slice(comma + 1), 'base64'));
}
