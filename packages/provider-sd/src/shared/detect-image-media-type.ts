/** Media types the Stable Diffusion servers return. */
export type ServerImageMediaType = 'image/png' | 'image/jpeg' | 'image/webp';

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((value, index) => bytes[offset + index] === value);
}

/**
 * The media type of an encoded image, read from its magic bytes.
 *
 * @param bytes - the file's bytes.
 * @returns `image/png`, `image/jpeg` or `image/webp`, or `undefined` for anything else.
 */
export function detectImageMediaType(bytes: Uint8Array): ServerImageMediaType | undefined {
  if (startsWith(bytes, pngSignature)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  return undefined;
}

/** The first bytes of a file as hex, for error messages. */
export function describeLeadingBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'no bytes';
  const hex = Array.from(bytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0'));
  return `${bytes.length} bytes starting ${hex.join(' ')}`;
}
