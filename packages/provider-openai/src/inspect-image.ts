/** What {@link inspectImage} learns from an image file's bytes, without decoding pixels. */
export interface ImageInspection {
  /** Media type read from the magic bytes. */
  readonly mediaType: 'image/png' | 'image/jpeg' | 'image/webp';
  /** Width in pixels, when the header could be read. */
  readonly width: number | undefined;
  /** Height in pixels, when the header could be read. */
  readonly height: number | undefined;
  /** Whether the file ends where its format says it ends (not truncated). */
  readonly complete: boolean;
  /** Whether the image can carry transparency (an alpha channel or a transparent colour). */
  readonly hasAlpha: boolean | undefined;
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let index = offset; index < offset + length && index < bytes.length; index++) {
    text += String.fromCharCode(bytes[index]!);
  }
  return text;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, index) => bytes[index] === value);
}

function inspectPng(bytes: Uint8Array, view: DataView): ImageInspection {
  const hasHeader = bytes.length >= 33 && ascii(bytes, 12, 4) === 'IHDR';
  const colorType = hasHeader ? bytes[25]! : undefined;
  // Walk the chunk list: a complete file is a chain of chunks ending with IEND.
  let offset = 8;
  let complete = false;
  let transparentColor = false;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = ascii(bytes, offset + 4, 4);
    if (type === 'tRNS') transparentColor = true;
    const next = offset + 12 + length;
    if (next > bytes.length) break;
    if (type === 'IEND') {
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

function inspectJpeg(bytes: Uint8Array, view: DataView): ImageInspection {
  let width: number | undefined;
  let height: number | undefined;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) break;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
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

function inspectWebp(bytes: Uint8Array, view: DataView): ImageInspection {
  const riffSize = view.getUint32(4, true);
  const complete = riffSize + 8 <= bytes.length && riffSize >= 4;
  const chunk = ascii(bytes, 12, 4);
  let width: number | undefined;
  let height: number | undefined;
  let hasAlpha: boolean | undefined;
  if (chunk === 'VP8X' && bytes.length >= 30) {
    hasAlpha = (bytes[20]! & 0x10) !== 0;
    width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
  } else if (chunk === 'VP8 ' && bytes.length >= 30) {
    hasAlpha = false;
    width = view.getUint16(26, true) & 0x3fff;
    height = view.getUint16(28, true) & 0x3fff;
  } else if (chunk === 'VP8L' && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    width = 1 + (bits & 0x3fff);
    height = 1 + ((bits >>> 14) & 0x3fff);
    hasAlpha = ((bits >>> 28) & 1) === 1;
  }
  return { mediaType: 'image/webp', width, height, complete, hasAlpha };
}

/**
 * Reads an image file's format from its magic bytes, its pixel size from its header and whether
 * it is complete — without decoding any pixels. Knows PNG, JPEG and WebP (what OpenAI returns).
 *
 * @param bytes - the file.
 * @returns what was learnt, or `undefined` when the bytes are not a PNG, JPEG or WebP file.
 */
export function inspectImage(bytes: Uint8Array): ImageInspection | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 8 && startsWith(bytes, pngSignature)) return inspectPng(bytes, view);
  if (bytes.length >= 3 && startsWith(bytes, [0xff, 0xd8, 0xff])) return inspectJpeg(bytes, view);
  if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return inspectWebp(bytes, view);
  }
  return undefined;
}
