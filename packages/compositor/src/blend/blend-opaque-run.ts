// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import {
  blendOtherOpaquePixel,
  multiplyOverOpaque,
  normalOverOpaque,
  screenOverOpaque,
  softLightOverOpaque,
} from './math/blend-opaque-pixel.js';
import type { RowState } from './row-state.js';

/**
 * Fills the accumulator over the columns `from` to `to` of one run whose pixels all start from
 * the same source (`start`: a hiding layer, or `count` for the backdrop), and marks them
 * touched. Stops, leaving the run half done, as soon as a backdrop pixel is not opaque: the row
 * then takes the general path.
 *
 * @param state - the band's state, on the current row.
 * @param start - the run's source.
 * @param from - first column to fill.
 * @param to - column after the last.
 * @returns whether every pixel was opaque.
 */
export function startOpaqueRun(state: RowState, start: number, from: number, to: number): boolean {
  const inverse255 = 1 / 255;
  const touched = state.touched;
  const accumulator = state.accumulator;
  const shifts = state.shifts;
  const redShift = shifts[0]!;
  const greenShift = shifts[1]!;
  const blueShift = shifts[2]!;
  const alphaShift = shifts[3]!;
  const fromBase = start === state.count;
  const words = fromBase ? state.base : state.layerWords[start]!;
  const offset = fromBase ? state.baseStart : state.rowIndex[start]!;
  for (let x = from; x < to; x++) {
    const word = words[offset + x]!;
    if (((word >>> alphaShift) & 255) !== 255) return false;
    const slot = x << 2;
    accumulator[slot] = ((word >>> redShift) & 255) * inverse255;
    accumulator[slot + 1] = ((word >>> greenShift) & 255) * inverse255;
    accumulator[slot + 2] = ((word >>> blueShift) & 255) * inverse255;
    accumulator[slot + 3] = 1;
  }
  touched.fill(1, from, to);
  return true;
}

/**
 * The generic loop over an opaque backdrop, for every mode: the accumulator already holds the
 * backdrop, alpha exactly 1, over the whole run `from`..`to`, which no layer at or above `level`
 * hides. Per pixel it skips a transparent one, computes αs (alpha × opacity × mask) and hands
 * each channel to the mode's pixel function (`normalOverOpaque`, …, `blendOtherOpaquePixel`):
 * `co = Cb + αs·(B(Cb, Cs) − Cb)`, αo stays 1, with no per-pixel bookkeeping.
 *
 * The pixel function is picked by a small switch in the loop, which V8 compiles with every
 * case inlined. Handing the loop the mode's function instead was 2.2–3.8× slower on the
 * JavaScript path, as an argument, closed over by a factory per mode or in a copy of the loop
 * compiled per mode: V8 inlined none of them. The switch costs a few per cent against one
 * hand-written loop per mode (decision 0002 has the figures).
 *
 * @param state - the band's state, on the current row, the run started.
 * @param level - the layer.
 * @param from - first column.
 * @param to - column after the last.
 */
export function blendOpaqueRun(state: RowState, level: number, from: number, to: number): void {
  const inverse255 = 1 / 255;
  const words = state.layerWords[level]!;
  const mask = state.layerMasks[level]!;
  const hasMask = state.layerHasMask[level] === 1;
  const mode = state.layerMode[level]!;
  const alphaScale = state.layerAlphaScale[level]!;
  const accumulator = state.accumulator;
  const blended = state.blended;
  const shifts = state.shifts;
  const redShift = shifts[0]!;
  const greenShift = shifts[1]!;
  const blueShift = shifts[2]!;
  const alphaShift = shifts[3]!;
  const offset = state.rowIndex[level]!;
  for (let x = from; x < to; x++) {
    const index = offset + x;
    const word = words[index]!;
    const byteAlpha = (word >>> alphaShift) & 255;
    if (byteAlpha === 0) continue;
    let sourceAlpha = byteAlpha * alphaScale;
    if (hasMask) sourceAlpha *= mask[index]! * inverse255;
    const slot = x << 2;
    const red = (word >>> redShift) & 255;
    const green = (word >>> greenShift) & 255;
    const blue = (word >>> blueShift) & 255;
    switch (mode) {
      case 0:
        accumulator[slot] = normalOverOpaque(accumulator[slot]!, red, sourceAlpha);
        accumulator[slot + 1] = normalOverOpaque(accumulator[slot + 1]!, green, sourceAlpha);
        accumulator[slot + 2] = normalOverOpaque(accumulator[slot + 2]!, blue, sourceAlpha);
        break;
      case 1:
        accumulator[slot] = multiplyOverOpaque(accumulator[slot]!, red, sourceAlpha);
        accumulator[slot + 1] = multiplyOverOpaque(accumulator[slot + 1]!, green, sourceAlpha);
        accumulator[slot + 2] = multiplyOverOpaque(accumulator[slot + 2]!, blue, sourceAlpha);
        break;
      case 2:
        accumulator[slot] = screenOverOpaque(accumulator[slot]!, red, sourceAlpha);
        accumulator[slot + 1] = screenOverOpaque(accumulator[slot + 1]!, green, sourceAlpha);
        accumulator[slot + 2] = screenOverOpaque(accumulator[slot + 2]!, blue, sourceAlpha);
        break;
      case 9:
        accumulator[slot] = softLightOverOpaque(accumulator[slot]!, red, sourceAlpha);
        accumulator[slot + 1] = softLightOverOpaque(accumulator[slot + 1]!, green, sourceAlpha);
        accumulator[slot + 2] = softLightOverOpaque(accumulator[slot + 2]!, blue, sourceAlpha);
        break;
      default:
        blendOtherOpaquePixel(mode, accumulator, slot, red, green, blue, sourceAlpha, blended);
    }
  }
}

/**
 * Writes the run `begin`..`end` of a row over an opaque backdrop: the blended columns `from` to
 * `to` from the accumulator — every one has alpha 1, so it is rounded (half up, as the
 * reference's `Math.round`) without unpremultiplying — and the others copied as words from the
 * run's source.
 *
 * @param state - the band's state, on the current row.
 * @param output - the band's output as words.
 * @param outputStart - index in `output` of the row's first pixel.
 * @param start - the run's source (a hiding layer, or `count` for the backdrop).
 * @param begin - the run's first column.
 * @param from - first blended column.
 * @param to - column after the last blended one.
 * @param end - column after the run.
 */
export function writeOpaqueRun(
  state: RowState,
  output: Uint32Array,
  outputStart: number,
  start: number,
  begin: number,
  from: number,
  to: number,
  end: number,
): void {
  const fromBase = start === state.count;
  const words = fromBase ? state.base : state.layerWords[start]!;
  const offset = fromBase ? state.baseStart : state.rowIndex[start]!;
  if (begin < from) {
    output.set(words.subarray(offset + begin, offset + from), outputStart + begin);
  }
  const shifts = state.shifts;
  const redShift = shifts[0]!;
  const greenShift = shifts[1]!;
  const blueShift = shifts[2]!;
  const opaque = 255 << shifts[3]!;
  const accumulator = state.accumulator;
  for (let x = from; x < to; x++) {
    const slot = x << 2;
    const red = Math.min(255, (accumulator[slot]! * 255 + 0.5) | 0);
    const green = Math.min(255, (accumulator[slot + 1]! * 255 + 0.5) | 0);
    const blue = Math.min(255, (accumulator[slot + 2]! * 255 + 0.5) | 0);
    output[outputStart + x] =
      (red << redShift) | (green << greenShift) | (blue << blueShift) | opaque;
  }
  if (to < end) output.set(words.subarray(offset + to, offset + end), outputStart + to);
}
