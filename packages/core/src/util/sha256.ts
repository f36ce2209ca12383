import { createHash } from 'node:crypto';

/**
 * Lower-case hex sha256 of bytes or of a string's UTF-8 encoding.
 *
 * @param data - the bytes or text to hash.
 * @returns 64 hex characters.
 */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
