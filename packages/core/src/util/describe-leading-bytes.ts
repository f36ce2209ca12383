/**
 * The length and first bytes of a file as hex, for an error message about bytes that are not
 * what they should be: `17 bytes starting 3c 68 74 6d 6c 3e 6f 6f` (an HTML page), `no bytes`.
 *
 * @param bytes - the file.
 * @param count - how many bytes to show. @default 8
 */
export function describeLeadingBytes(bytes: Uint8Array, count = 8): string {
  if (bytes.length === 0) return 'no bytes';
  const hex = Array.from(bytes.subarray(0, count), (byte) => byte.toString(16).padStart(2, '0'));
  return `${bytes.length} bytes starting ${hex.join(' ')}`;
}
