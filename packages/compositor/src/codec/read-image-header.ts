import { ImageDecodeError } from '../errors/image-decode-error.js';

/** Formats the compositor decodes. */
export type ImageFormat = 'png' | 'webp' | 'jpeg';

/** What an image's header declares. */
export interface ImageHeader {
  /** The format, from the file signature. */
  readonly format: ImageFormat;
  /** Declared width in pixels. */
  readonly width: number;
  /** Declared height in pixels. */
  readonly height: number;
}

const truncated = (format: ImageFormat) =>
  new ImageDecodeError(`The ${format.toUpperCase()} header is truncated`, { format });

function readPng(bytes: Uint8Array, view: DataView): ImageHeader {
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
  if (bytes.length < 24) throw truncated('png');
  if (view.getUint32(12) !== 0x49484452) {
    throw new ImageDecodeError('Expected the PNG to start with an IHDR chunk', { format: 'png' });
  }
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

function readWebp(bytes: Uint8Array, view: DataView): ImageHeader {
  if (bytes.length < 30) throw truncated('webp');
  const chunk = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!);
  if (chunk === 'VP8 ') {
    // Frame tag (3), start code 9d 01 2a (3), then 14-bit width and height.
    return {
      format: 'webp',
      width: view.getUint16(26, true) & 0x3fff,
      height: view.getUint16(28, true) & 0x3fff,
    };
  }
  if (chunk === 'VP8L') {
    // Signature 0x2f, then width − 1 and height − 1 in 14 bits each.
    const bits = view.getUint32(21, true);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    // Flags (4), then canvas width − 1 and height − 1 in 24 bits each.
    const width = (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16)) + 1;
    const height = (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16)) + 1;
    return { format: 'webp', width, height };
  }
  throw new ImageDecodeError(`Expected a VP8, VP8L or VP8X chunk in the WebP, got "${chunk}"`, {
    format: 'webp',
  });
}

function readJpeg(bytes: Uint8Array, view: DataView): ImageHeader {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) {
      throw new ImageDecodeError('Expected a JPEG marker', { format: 'jpeg' });
    }
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(offset + 2);
    // SOF0–SOF15 except DHT (c4), JPG (c8) and DAC (cc) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (offset + 9 > bytes.length) break;
      return {
        format: 'jpeg',
        height: view.getUint16(offset + 5),
        width: view.getUint16(offset + 7),
      };
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image or start of scan before a frame
    offset += 2 + length;
  }
  throw truncated('jpeg');
}

/**
 * Reads the format and the declared size from an image's first bytes, without decoding it, so
 * that an oversized image is refused before any large allocation.
 *
 * @param bytes - the encoded image.
 * @returns the format and declared size.
 * @throws {ImageDecodeError} when the bytes are not PNG, WebP or JPEG, or the header is cut
 *   short or malformed.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const startsWith = (signature: readonly number[], at = 0) =>
    bytes.length >= at + signature.length &&
    signature.every((byte, index) => bytes[at + index] === byte);
  let header: ImageHeader;
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) header = readPng(bytes, view);
  else if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) {
    header = readWebp(bytes, view);
  } else if (startsWith([0xff, 0xd8, 0xff])) header = readJpeg(bytes, view);
  else {
    throw new ImageDecodeError(
      `Expected PNG, WebP or JPEG bytes, got ${bytes.length === 0 ? 'no bytes' : `bytes starting ${[...bytes.subarray(0, 4)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ')}`}`,
    );
  }
  if (header.width === 0 || header.height === 0) {
    throw new ImageDecodeError(
      `Expected the ${header.format.toUpperCase()} header to declare a non-empty size, got ${header.width} × ${header.height}`,
      { format: header.format },
    );
  }
  return header;
}
