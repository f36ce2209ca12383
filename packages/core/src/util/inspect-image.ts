/** The formats {@link inspectImage} recognises, as media types. */
export type InspectedMediaType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

/** What {@link inspectImage} learns from an image file's bytes, without decoding pixels. */
export interface ImageInspection<MediaType extends InspectedMediaType = InspectedMediaType> {
  /** Media type read from the magic bytes. */
  readonly mediaType: MediaType;
  /** Width in pixels as the header declares it (maybe 0), when the header could be read. */
  readonly width: number | undefined;
  /** Height in pixels as the header declares it (maybe 0), when the header could be read. */
  readonly height: number | undefined;
  /** Whether the file ends where its format says it ends (not truncated). */
  readonly complete: boolean;
  /**
   * Whether the image can carry transparency (an alpha channel or a transparent colour);
   * `undefined` when the bytes do not say.
   */
  readonly hasAlpha: boolean | undefined;
}

type Inspection = ImageInspection<InspectedMediaType>;

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let index = offset; index < offset + length && index < bytes.length; index++) {
    text += String.fromCharCode(bytes[index]!);
  }
  return text;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, index) => bytes[index] === value);
}

function inspectPng(bytes: Uint8Array, view: DataView): Inspection {
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), depth (1), colour type (1).
  const hasHeader = bytes.length >= 24 && ascii(bytes, 12, 4) === 'IHDR';
  const colorType = hasHeader && bytes.length >= 26 ? bytes[25]! : undefined;
  // Walk the chunk list: a complete file is a chain of chunks ending with IEND.
  // Chunk types compared as big-endian words: a file of thousands of IDAT chunks is walked
  // without building a string for each.
  const tRNS = 0x74524e53;
  const IEND = 0x49454e44;
  let offset = 8;
  let complete = false;
  let transparentColor = false;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = view.getUint32(offset + 4);
    if (type === tRNS) transparentColor = true;
    const next = offset + 12 + length;
    if (next > bytes.length) break;
    if (type === IEND) {
      complete = true;
      break;
    }
    offset = next;
  }
  return {
    mediaType: 'image/png',
    width: hasHeader ? view.getUint32(16) : undefined,
    height: hasHeader ? view.getUint32(20) : undefined,
    complete,
    hasAlpha:
      colorType === undefined ? undefined : colorType === 4 || colorType === 6 || transparentColor,
  };
}

/** Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function inspectJpeg(bytes: Uint8Array, view: DataView): Inspection {
  let width: number | undefined;
  let height: number | undefined;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) break;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, or start of scan before a frame
    const length = view.getUint16(offset + 2);
    if (isStartOfFrame(marker) && offset + 9 <= bytes.length) {
      height = view.getUint16(offset + 5);
      width = view.getUint16(offset + 7);
      break;
    }
    offset += 2 + length;
  }
  // Some encoders pad after the end-of-image marker; accept trailing zero bytes.
  let end = bytes.length;
  while (end > 2 && bytes[end - 1] === 0) end--;
  const complete = end >= 4 && bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
  return { mediaType: 'image/jpeg', width, height, complete, hasAlpha: false };
}

function inspectWebp(bytes: Uint8Array, view: DataView): Inspection {
  const riffSize = view.getUint32(4, true);
  const complete = riffSize >= 4 && riffSize + 8 <= bytes.length;
  const chunk = ascii(bytes, 12, 4);
  let width: number | undefined;
  let height: number | undefined;
  let hasAlpha: boolean | undefined;
  if (chunk === 'VP8X' && bytes.length >= 30) {
    // Flags (4), then canvas width − 1 and height − 1 in 24 bits each.
    hasAlpha = (bytes[20]! & 0x10) !== 0;
    width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
  } else if (chunk === 'VP8 ' && bytes.length >= 30) {
    // Frame tag (3), start code 9d 01 2a (3), then 14-bit width and height.
    hasAlpha = false;
    width = view.getUint16(26, true) & 0x3fff;
    height = view.getUint16(28, true) & 0x3fff;
  } else if (chunk === 'VP8L' && bytes.length >= 25) {
    // Signature 0x2f, then width − 1 and height − 1 in 14 bits each, then the alpha bit.
    const bits = view.getUint32(21, true);
    width = 1 + (bits & 0x3fff);
    height = 1 + ((bits >>> 14) & 0x3fff);
    hasAlpha = ((bits >>> 28) & 1) === 1;
  }
  return { mediaType: 'image/webp', width, height, complete, hasAlpha };
}

/** Size in bytes of a GIF colour table announced by a packed byte, 0 when there is none. */
const colorTableSize = (packed: number) =>
  (packed & 0x80) === 0 ? 0 : 3 * 2 ** ((packed & 7) + 1);

/** The offset after a chain of data sub-blocks starting at `offset`, past its terminator. */
function skipSubBlocks(bytes: Uint8Array, offset: number): number {
  while (offset < bytes.length) {
    const size = bytes[offset]!;
    offset += 1 + size;
    if (size === 0) return offset;
  }
  return Number.POSITIVE_INFINITY;
}

function inspectGif(bytes: Uint8Array, view: DataView): Inspection {
  const hasHeader = bytes.length >= 10;
  // Logical screen descriptor (7), global colour table, then blocks up to the trailer (3b).
  let offset = bytes.length >= 13 ? 13 + colorTableSize(bytes[10]!) : Number.POSITIVE_INFINITY;
  let complete = false;
  let transparentColor = false;
  while (offset < bytes.length) {
    const introducer = bytes[offset]!;
    if (introducer === 0x3b) {
      complete = true;
      break;
    }
    if (introducer === 0x21) {
      // Extension: label, then sub-blocks; a graphic control extension (f9) flags transparency.
      if (bytes[offset + 1] === 0xf9 && bytes[offset + 2] === 4 && offset + 3 < bytes.length) {
        if ((bytes[offset + 3]! & 1) === 1) transparentColor = true;
      }
      offset = skipSubBlocks(bytes, offset + 2);
    } else if (introducer === 0x2c && offset + 10 <= bytes.length) {
      // Image descriptor (10), local colour table, LZW code size (1), then the data sub-blocks.
      offset = skipSubBlocks(bytes, offset + 10 + colorTableSize(bytes[offset + 9]!) + 1);
    } else break;
  }
  return {
    mediaType: 'image/gif',
    width: hasHeader ? view.getUint16(6, true) : undefined,
    height: hasHeader ? view.getUint16(8, true) : undefined,
    complete,
    hasAlpha: transparentColor ? true : complete ? false : undefined,
  };
}

/**
 * Reads an image file's format from its magic bytes, its pixel size from its header, whether it
 * is complete and whether it can carry transparency — without decoding any pixels, so that an
 * adapter can check what a server returned (and refuse a decompression bomb by its declared
 * size) before anything large is allocated. Knows PNG, JPEG, WebP and GIF.
 *
 * @param bytes - the file.
 * @param accept - the media types to recognise (default: all four); bytes of another format
 *   give `undefined`, as bytes that are no image do.
 * @returns what was learnt, or `undefined` when the bytes are not an image of an accepted
 *   format.
 *
 * @example
 * const inspection = inspectImage(bytes, ['image/png', 'image/jpeg', 'image/webp']);
 * if (inspection === undefined || !inspection.complete) throw badResponse(describeLeadingBytes(bytes));
 */
export function inspectImage<MediaType extends InspectedMediaType = InspectedMediaType>(
  bytes: Uint8Array,
  accept?: readonly MediaType[],
): ImageInspection<MediaType> | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let inspection: Inspection | undefined;
  if (startsWith(bytes, pngSignature)) inspection = inspectPng(bytes, view);
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) inspection = inspectJpeg(bytes, view);
  else if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    inspection = inspectWebp(bytes, view);
  } else if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') {
    inspection = inspectGif(bytes, view);
  }
  if (inspection === undefined) return undefined;
  if (accept !== undefined && !(accept as readonly string[]).includes(inspection.mediaType)) {
    return undefined;
  }
  return inspection as ImageInspection<MediaType>;
}
