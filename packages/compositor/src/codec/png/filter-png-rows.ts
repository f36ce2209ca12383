/**
 * The Paeth predictor of PNG: of the left (`a`), upper (`b`) and upper-left (`c`) bytes, the
 * one nearest to `a + b − c`, ties going to `a`, then `b`.
 *
 * Runs in worker threads from its source text.
 */
export function paethPredictor(a: number, b: number, c: number): number {
  const estimate = a + b - c;
  const distanceA = estimate > a ? estimate - a : a - estimate;
  const distanceB = estimate > b ? estimate - b : b - estimate;
  const distanceC = estimate > c ? estimate - c : c - estimate;
  return distanceA <= distanceB && distanceA <= distanceC ? a : distanceB <= distanceC ? b : c;
}

/**
 * Filters rows `rowStart` to `rowEnd` of 8-bit RGBA pixels for PNG, each row preceded by its
 * filter type byte, into `output` (from index 0). Each row gets the filter whose bytes, read as
 * signed, have the smallest sum of magnitudes (the heuristic of the PNG specification, §12.8):
 * among None, Sub and Up, estimated on every third byte (so every channel is sampled), when
 * `allFilters` is false; among all five (Average and Paeth too), on every byte, when it is
 * true. The choice depends only on the row and the one above it, so any split of
 * the rows gives the same bytes.
 *
 * Runs in worker threads from its source text: it references nothing but its arguments.
 *
 * @param data - the whole image's RGBA bytes.
 * @param width - image width in pixels.
 * @param rowStart - first row to filter.
 * @param rowEnd - row after the last one.
 * @param allFilters - try Average and Paeth too (slower, a little smaller).
 * @param output - `(rowEnd - rowStart) × (width × 4 + 1)` bytes.
 */
export function filterPngRows(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  rowStart: number,
  rowEnd: number,
  allFilters: boolean,
  output: Uint8Array,
): void {
  const stride = width * 4;
  const magnitude = new Uint8Array(256);
  for (let value = 0; value < 256; value++) magnitude[value] = value < 128 ? value : 256 - value;
  const step = allFilters ? 1 : 3;
  for (let y = rowStart; y < rowEnd; y++) {
    const row = y * stride;
    const above = row - stride;
    const target = (y - rowStart) * (stride + 1);
    let filter = 1;
    if (y > 0) {
      // Sub, Up and None (row 0 takes Sub: there Up is None, and Paeth and Average are Sub-like).
      let costNone = 0;
      let costSub = 0;
      let costUp = 0;
      let costAverage = 0;
      let costPaeth = 0;
      for (let index = 4; index < stride; index += step) {
        const x = data[row + index]!;
        const a = data[row + index - 4]!;
        const b = data[above + index]!;
        costNone += magnitude[x]!;
        costSub += magnitude[(x - a) & 255]!;
        costUp += magnitude[(x - b) & 255]!;
        if (allFilters) {
          costAverage += magnitude[(x - ((a + b) >> 1)) & 255]!;
          const predictor = paethPredictor(a, b, data[above + index - 4]!);
          costPaeth += magnitude[(x - predictor) & 255]!;
        }
      }
      let best = costSub;
      if (costUp < best) {
        filter = 2;
        best = costUp;
      }
      if (costNone < best) {
        filter = 0;
        best = costNone;
      }
      if (allFilters && costAverage < best) {
        filter = 3;
        best = costAverage;
      }
      if (allFilters && costPaeth < best) filter = 4;
    }
    output[target] = filter;
    const out = target + 1;
    if (filter === 0) {
      for (let index = 0; index < stride; index++) output[out + index] = data[row + index]!;
    } else if (filter === 1) {
      for (let index = 0; index < 4; index++) output[out + index] = data[row + index]!;
      for (let index = 4; index < stride; index++) {
        output[out + index] = data[row + index]! - data[row + index - 4]!;
      }
    } else if (filter === 2) {
      for (let index = 0; index < stride; index++) {
        output[out + index] = data[row + index]! - data[above + index]!;
      }
    } else if (filter === 3) {
      for (let index = 0; index < 4; index++) {
        output[out + index] = data[row + index]! - (data[above + index]! >> 1);
      }
      for (let index = 4; index < stride; index++) {
        output[out + index] =
          data[row + index]! - ((data[row + index - 4]! + data[above + index]!) >> 1);
      }
    } else {
      for (let index = 0; index < 4; index++) {
        output[out + index] = data[row + index]! - data[above + index]!;
      }
      for (let index = 4; index < stride; index++) {
        output[out + index] =
          data[row + index]! -
          paethPredictor(data[row + index - 4]!, data[above + index]!, data[above + index - 4]!);
      }
    }
  }
}
