/**
 * Number of bytes `text` takes in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD),
 * without encoding it, so it works in every JavaScript runtime.
 *
 * @param text - any string.
 * @param limit - stop counting once the count is past this.
 * @returns the byte count, or a number above `limit` as soon as it is exceeded.
 */
export function utf8ByteLength(text: string, limit = Number.POSITIVE_INFINITY): number {
  let bytes = 0;
  for (let index = 0; index < text.length && bytes <= limit; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
