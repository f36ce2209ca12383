import type { ImageSize } from '../types/encoded-image.js';
import { inspectImage } from './inspect-image.js';

/**
 * Reads the pixel size from the header of a PNG, JPEG, WebP or GIF file, without decoding it
 * (the size part of {@link inspectImage}).
 *
 * @param bytes - the encoded image.
 * @returns the size, or `undefined` for another format, a damaged header or an empty size.
 */
export function readImageSize(bytes: Uint8Array): ImageSize | undefined {
  const inspection = inspectImage(bytes);
  if (inspection === undefined) return undefined;
  const { width, height } = inspection;
  return width !== undefined && height !== undefined && width > 0 && height > 0
    ? { width, height }
    : undefined;
}
