// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import { softLight } from './math/separable-blend.js';
import type { RowState } from './row-state.js';

/**
 * Fills the accumulator over the columns `from` to `to` of one run whose pixels all start from
 * the same source (`start`: a hiding layer, or `count` for the backdrop), and marks them
 * touched. Returns false, leaving the run half done, as soon as a backdrop pixel is not opaque:
 * the row then takes the general path.
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
 * The lean loops over an opaque backdrop (the accumulator already holds it, alpha exactly 1,
 * over the whole run `from`..`to`, which no layer at or above `level` hides): per pixel
 * `co = Cb + αs·(B(Cb, Cs) − Cb)`, and αo stays 1. One loop per common mode (0 normal,
 * 1 multiply, 2 screen, 9 soft-light), so that each stays small and monomorphic.
 */
export function blendOpaqueRun(
  state: RowState,
  level: number,
  words: Uint32Array,
  mask: Uint8Array,
  hasMask: boolean,
  mode: number,
  alphaScale: number,
  from: number,
  to: number,
): void {
  if (mode === 0) normalOpaqueRun(state, level, words, mask, hasMask, alphaScale, from, to);
  else if (mode === 1) multiplyOpaqueRun(state, level, words, mask, hasMask, alphaScale, from, to);
  else if (mode === 2) screenOpaqueRun(state, level, words, mask, hasMask, alphaScale, from, to);
  else softLightOpaqueRun(state, level, words, mask, hasMask, alphaScale, from, to);
}

/** `blendOpaqueRun` of `normal`. */
export function normalOpaqueRun(
  state: RowState,
  level: number,
  words: Uint32Array,
  mask: Uint8Array,
  hasMask: boolean,
  alphaScale: number,
  from: number,
  to: number,
): void {
  const inverse255 = 1 / 255;
  const accumulator = state.accumulator;
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
    const red = accumulator[slot]!;
    const green = accumulator[slot + 1]!;
    const blue = accumulator[slot + 2]!;
    // cs + (1 − αs)·cb, as the general loops compute it (so both round alike).
    const sourceScale = sourceAlpha * inverse255;
    const keep = 1 - sourceAlpha;
    accumulator[slot] = ((word >>> redShift) & 255) * sourceScale + keep * red;
    accumulator[slot + 1] = ((word >>> greenShift) & 255) * sourceScale + keep * green;
    accumulator[slot + 2] = ((word >>> blueShift) & 255) * sourceScale + keep * blue;
  }
}

/** `blendOpaqueRun` of `multiply`. */
export function multiplyOpaqueRun(
  state: RowState,
  level: number,
  words: Uint32Array,
  mask: Uint8Array,
  hasMask: boolean,
  alphaScale: number,
  from: number,
  to: number,
): void {
  const inverse255 = 1 / 255;
  const accumulator = state.accumulator;
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
    const red = accumulator[slot]!;
    const green = accumulator[slot + 1]!;
    const blue = accumulator[slot + 2]!;
    accumulator[slot] =
      red + sourceAlpha * (red * (((word >>> redShift) & 255) * inverse255) - red);
    accumulator[slot + 1] =
      green + sourceAlpha * (green * (((word >>> greenShift) & 255) * inverse255) - green);
    accumulator[slot + 2] =
      blue + sourceAlpha * (blue * (((word >>> blueShift) & 255) * inverse255) - blue);
  }
}

/** `blendOpaqueRun` of `screen`. */
export function screenOpaqueRun(
  state: RowState,
  level: number,
  words: Uint32Array,
  mask: Uint8Array,
  hasMask: boolean,
  alphaScale: number,
  from: number,
  to: number,
): void {
  const inverse255 = 1 / 255;
  const accumulator = state.accumulator;
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
    const red = accumulator[slot]!;
    const green = accumulator[slot + 1]!;
    const blue = accumulator[slot + 2]!;
    const sourceRed = ((word >>> redShift) & 255) * inverse255;
    const sourceGreen = ((word >>> greenShift) & 255) * inverse255;
    const sourceBlue = ((word >>> blueShift) & 255) * inverse255;
    // B − Cb = Cs − Cb·Cs for screen.
    accumulator[slot] = red + sourceAlpha * (sourceRed - red * sourceRed);
    accumulator[slot + 1] = green + sourceAlpha * (sourceGreen - green * sourceGreen);
    accumulator[slot + 2] = blue + sourceAlpha * (sourceBlue - blue * sourceBlue);
  }
}

/** `blendOpaqueRun` of `soft-light`. */
export function softLightOpaqueRun(
  state: RowState,
  level: number,
  words: Uint32Array,
  mask: Uint8Array,
  hasMask: boolean,
  alphaScale: number,
  from: number,
  to: number,
): void {
  const inverse255 = 1 / 255;
  const accumulator = state.accumulator;
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
    const red = accumulator[slot]!;
    const green = accumulator[slot + 1]!;
    const blue = accumulator[slot + 2]!;
    accumulator[slot] =
      red + sourceAlpha * (softLight(red, ((word >>> redShift) & 255) * inverse255) - red);
    accumulator[slot + 1] =
      green + sourceAlpha * (softLight(green, ((word >>> greenShift) & 255) * inverse255) - green);
    accumulator[slot + 2] =
      blue + sourceAlpha * (softLight(blue, ((word >>> blueShift) & 255) * inverse255) - blue);
  }
}

/**
 * Writes the blended columns `from` to `to` of a row over an opaque backdrop: every one has
 * alpha 1, so it is rounded (half up, as the reference's `Math.round`) without unpremultiplying.
 */
export function writeOpaqueRun(
  state: RowState,
  output: Uint32Array,
  outputStart: number,
  from: number,
  to: number,
): void {
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
}
