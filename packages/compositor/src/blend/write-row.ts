// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import type { RowState } from './row-state.js';

/**
 * Writes one row of the general path: blended columns from the accumulator (unpremultiplied,
 * rounded once), the others copied as words from the layer that hides them or from the
 * backdrop.
 *
 * @param state - the band's state, on the current row.
 * @param output - the band's output as words.
 * @param outputStart - index in `output` of the row's first pixel.
 * @param width - canvas width.
 */
export function writeRow(
  state: RowState,
  output: Uint32Array,
  outputStart: number,
  width: number,
): void {
  const shifts = state.shifts;
  const redShift = shifts[0]!;
  const greenShift = shifts[1]!;
  const blueShift = shifts[2]!;
  const alphaShift = shifts[3]!;
  const starts = state.starts;
  const touched = state.touched;
  const accumulator = state.accumulator;
  const base = state.base;
  const baseStart = state.baseStart;
  const layerWords = state.layerWords;
  const rowIndex = state.rowIndex;
  const count = state.count;
  let x = 0;
  while (x < width) {
    if (touched[x] === 1) {
      const slot = x << 2;
      const alpha = accumulator[slot + 3]!;
      // Alpha that rounds to 0 gives transparent black: its colour means nothing, and 255 / α
      // would overflow for a subnormal α (opacity 1e-320, say).
      if (!(alpha * 255 + 0.5 >= 1)) output[outputStart + x] = 0;
      else {
        // Unpremultiplied and rounded once, here (half up, as the reference's Math.round).
        const scale = 255 / alpha;
        const red = Math.min(255, (accumulator[slot]! * scale + 0.5) | 0);
        const green = Math.min(255, (accumulator[slot + 1]! * scale + 0.5) | 0);
        const blue = Math.min(255, (accumulator[slot + 2]! * scale + 0.5) | 0);
        const byteAlpha = Math.min(255, (alpha * 255 + 0.5) | 0);
        output[outputStart + x] =
          ((red << redShift) |
            (green << greenShift) |
            (blue << blueShift) |
            (byteAlpha << alphaShift)) >>>
          0;
      }
      x++;
      continue;
    }
    // A run of untouched columns decided by one source: copy it in one go.
    const start = starts[x]!;
    let end = x + 1;
    while (end < width && touched[end] === 0 && starts[end] === start) end++;
    if (start === count) output.set(base.subarray(baseStart + x, baseStart + end), outputStart + x);
    else {
      const from = rowIndex[start]!;
      output.set(layerWords[start]!.subarray(from + x, from + end), outputStart + x);
    }
    x = end;
  }
}
