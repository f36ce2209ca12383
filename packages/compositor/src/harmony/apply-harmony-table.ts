/**
 * Applies a colour table from {@link buildHarmonyTable} to pixels `start` to `end` (exclusive)
 * of `words`, in place: RGBA bytes read as 32-bit words, alpha kept, transparent pixels left as
 * they are. Tetrahedral interpolation in integers: a byte's position on the 33-node axis is
 * `byte × 32 / 255`, whose fraction is exactly `(byte × 32 mod 255) / 255`, so the four corner
 * weights are integers summing to 255 and the table's 2¹⁵/255 fixed point makes the weighted sum
 * the result × 2¹⁵, rounded by a shift. Every step is an integer one: the same bytes on every
 * machine and in every thread, however the pixels are split.
 *
 * Worker threads run it from its source text, so it references nothing but its arguments.
 *
 * @param table - the table (33³ nodes, four 16-bit entries each).
 * @param words - the pixels, one 32-bit word each, in the machine's byte order.
 * @param start - first pixel.
 * @param end - pixel after the last one.
 * @param littleEndian - the machine's byte order (red is then the low byte of a word).
 */
export function applyHarmonyTable(
  table: Uint16Array,
  words: Uint32Array,
  start: number,
  end: number,
  littleEndian: boolean,
): void {
  const nodes = 33;
  const strideBlue = 4;
  const strideGreen = nodes * 4;
  const strideRed = nodes * nodes * 4;
  const last = strideRed + strideGreen + strideBlue;
  // Per byte: the lower corner's offset along each axis and the fraction towards the next, ×255.
  const offsetRed = new Int32Array(256);
  const offsetGreen = new Int32Array(256);
  const offsetBlue = new Int32Array(256);
  const fraction = new Int32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const node = Math.min(nodes - 2, Math.floor((byte * (nodes - 1)) / 255));
    offsetRed[byte] = node * strideRed;
    offsetGreen[byte] = node * strideGreen;
    offsetBlue[byte] = node * strideBlue;
    fraction[byte] = byte * (nodes - 1) - node * 255;
  }
  const shiftRed = littleEndian ? 0 : 24;
  const shiftGreen = littleEndian ? 8 : 16;
  const shiftBlue = littleEndian ? 16 : 8;
  const alphaMask = littleEndian ? 0xff000000 : 0xff;
  let previous = -1;
  let colour = 0;
  for (let index = start; index < end; index++) {
    const word = words[index]!;
    const alpha = word & alphaMask;
    if (alpha === 0) continue;
    const key = word ^ alpha;
    if (key !== previous) {
      previous = key;
      const red = (word >>> shiftRed) & 0xff;
      const green = (word >>> shiftGreen) & 0xff;
      const blue = (word >>> shiftBlue) & 0xff;
      const fr = fraction[red]!;
      const fg = fraction[green]!;
      const fb = fraction[blue]!;
      const c0 = offsetRed[red]! + offsetGreen[green]! + offsetBlue[blue]!;
      // The tetrahedron of the unit cube that holds (fr, fg, fb): corners c0, c1, c2, c3.
      let c1: number;
      let c2: number;
      let w0: number;
      let w1: number;
      let w2: number;
      if (fr >= fg) {
        if (fg >= fb) {
          c1 = c0 + strideRed;
          c2 = c1 + strideGreen;
          w0 = fr;
          w1 = fg;
          w2 = fb;
        } else if (fr >= fb) {
          c1 = c0 + strideRed;
          c2 = c1 + strideBlue;
          w0 = fr;
          w1 = fb;
          w2 = fg;
        } else {
          c1 = c0 + strideBlue;
          c2 = c1 + strideRed;
          w0 = fb;
          w1 = fr;
          w2 = fg;
        }
      } else if (fb >= fg) {
        c1 = c0 + strideBlue;
        c2 = c1 + strideGreen;
        w0 = fb;
        w1 = fg;
        w2 = fr;
      } else if (fb >= fr) {
        c1 = c0 + strideGreen;
        c2 = c1 + strideBlue;
        w0 = fg;
        w1 = fb;
        w2 = fr;
      } else {
        c1 = c0 + strideGreen;
        c2 = c1 + strideRed;
        w0 = fg;
        w1 = fr;
        w2 = fb;
      }
      const c3 = c0 + last;
      // Integer barycentric weights of the corners, summing to 255.
      const k0 = 255 - w0;
      const k1 = w0 - w1;
      const k2 = w1 - w2;
      // Entries are at most 2¹⁵ and the weights convex, so each sum is at most 255 × 2¹⁵.
      const outRed =
        (k0 * table[c0]! + k1 * table[c1]! + k2 * table[c2]! + w2 * table[c3]! + 16384) >> 15;
      const outGreen =
        (k0 * table[c0 + 1]! +
          k1 * table[c1 + 1]! +
          k2 * table[c2 + 1]! +
          w2 * table[c3 + 1]! +
          16384) >>
        15;
      const outBlue =
        (k0 * table[c0 + 2]! +
          k1 * table[c1 + 2]! +
          k2 * table[c2 + 2]! +
          w2 * table[c3 + 2]! +
          16384) >>
        15;
      colour = (outRed << shiftRed) | (outGreen << shiftGreen) | (outBlue << shiftBlue);
    }
    words[index] = (alpha | colour) >>> 0;
  }
}
