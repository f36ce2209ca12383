// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import { nonSeparableBlend } from './math/non-separable-blend.js';
import { separableBlend } from './math/separable-blend.js';
import type { RowState } from './row-state.js';

/**
 * `applyLayer` for `normal` layers, the most common case, without the blend-mode machinery.
 */
export function applyNormalLayer(
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
  const starts = state.starts;
  const touched = state.touched;
  const accumulator = state.accumulator;
  const base = state.base;
  const baseStart = state.baseStart;
  const layerWords = state.layerWords;
  const rowIndex = state.rowIndex;
  const count = state.count;
  const shifts = state.shifts;
  const redShift = shifts[0]!;
  const greenShift = shifts[1]!;
  const blueShift = shifts[2]!;
  const alphaShift = shifts[3]!;
  const offset = rowIndex[level]!;

  for (let x = from; x < to; x++) {
    const start = starts[x]!;
    if (start <= level) continue;
    const index = offset + x;
    const word = words[index]!;
    const byteAlpha = (word >>> alphaShift) & 255;
    if (byteAlpha === 0) continue;
    let sourceAlpha = byteAlpha * alphaScale;
    if (hasMask) {
      const coverage = mask[index]!;
      if (coverage === 0) continue;
      sourceAlpha *= coverage * inverse255;
    }
    const slot = x << 2;
    const keep = 1 - sourceAlpha;
    const sourceScale = sourceAlpha * inverse255;
    if (touched[x] === 1) {
      accumulator[slot] = ((word >>> redShift) & 255) * sourceScale + keep * accumulator[slot]!;
      accumulator[slot + 1] =
        ((word >>> greenShift) & 255) * sourceScale + keep * accumulator[slot + 1]!;
      accumulator[slot + 2] =
        ((word >>> blueShift) & 255) * sourceScale + keep * accumulator[slot + 2]!;
      // Over an opaque backdrop αo = 1 exactly (float maths could land just below it).
      const previous = accumulator[slot + 3]!;
      accumulator[slot + 3] = previous === 1 ? 1 : sourceAlpha + keep * previous;
      continue;
    }
    touched[x] = 1;
    let backdrop: number;
    let alpha: number;
    if (start === count) {
      backdrop = base[baseStart + x]!;
      const backdropAlpha = (backdrop >>> alphaShift) & 255;
      alpha = backdropAlpha === 255 ? 1 : backdropAlpha * inverse255;
    } else {
      backdrop = layerWords[start]![rowIndex[start]! + x]!;
      alpha = 1;
    }
    const backdropScale = keep * alpha * inverse255;
    accumulator[slot] =
      ((word >>> redShift) & 255) * sourceScale + ((backdrop >>> redShift) & 255) * backdropScale;
    accumulator[slot + 1] =
      ((word >>> greenShift) & 255) * sourceScale +
      ((backdrop >>> greenShift) & 255) * backdropScale;
    accumulator[slot + 2] =
      ((word >>> blueShift) & 255) * sourceScale + ((backdrop >>> blueShift) & 255) * backdropScale;
    accumulator[slot + 3] = alpha === 1 ? 1 : sourceAlpha + keep * alpha;
  }
}

/**
 * Blends one layer into the accumulator over the columns `from` to `to`, skipping columns that
 * a layer at or above it hides and pixels that are transparent.
 */
export function applyLayer(
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
  const inverse255 = 1 / 255;
  const starts = state.starts;
  const touched = state.touched;
  const accumulator = state.accumulator;
  const base = state.base;
  const baseStart = state.baseStart;
  const layerWords = state.layerWords;
  const rowIndex = state.rowIndex;
  const count = state.count;
  const blended = state.blended;
  const shifts = state.shifts;
  const redShift = shifts[0]!;
  const greenShift = shifts[1]!;
  const blueShift = shifts[2]!;
  const alphaShift = shifts[3]!;
  const offset = rowIndex[level]!;

  for (let x = from; x < to; x++) {
    const start = starts[x]!;
    if (start <= level) continue;
    const index = offset + x;
    const word = words[index]!;
    const byteAlpha = (word >>> alphaShift) & 255;
    if (byteAlpha === 0) continue;
    let sourceAlpha = byteAlpha * alphaScale;
    if (hasMask) {
      const coverage = mask[index]!;
      if (coverage === 0) continue;
      sourceAlpha *= coverage * inverse255;
    }
    const slot = x << 2;
    let red: number;
    let green: number;
    let blue: number;
    let alpha: number;
    if (touched[x] === 1) {
      red = accumulator[slot]!;
      green = accumulator[slot + 1]!;
      blue = accumulator[slot + 2]!;
      alpha = accumulator[slot + 3]!;
    } else {
      // First layer blended here: start from the hiding layer (opaque) or the backdrop.
      touched[x] = 1;
      let backdrop: number;
      if (start === count) {
        backdrop = base[baseStart + x]!;
        const backdropAlpha = (backdrop >>> alphaShift) & 255;
        alpha = backdropAlpha === 255 ? 1 : backdropAlpha * inverse255;
      } else {
        backdrop = layerWords[start]![rowIndex[start]! + x]!;
        alpha = 1;
      }
      const scale = alpha * inverse255;
      red = ((backdrop >>> redShift) & 255) * scale;
      green = ((backdrop >>> greenShift) & 255) * scale;
      blue = ((backdrop >>> blueShift) & 255) * scale;
    }

    const sourceRed = ((word >>> redShift) & 255) * inverse255;
    const sourceGreen = ((word >>> greenShift) & 255) * inverse255;
    const sourceBlue = ((word >>> blueShift) & 255) * inverse255;
    const keep = 1 - sourceAlpha;
    if (mode === 0 || alpha === 0) {
      accumulator[slot] = sourceAlpha * sourceRed + keep * red;
      accumulator[slot + 1] = sourceAlpha * sourceGreen + keep * green;
      accumulator[slot + 2] = sourceAlpha * sourceBlue + keep * blue;
      accumulator[slot + 3] = alpha === 1 ? 1 : sourceAlpha + keep * alpha;
      continue;
    }
    // B() takes straight colours; over an opaque backdrop they are the accumulator.
    let backdropRed = red;
    let backdropGreen = green;
    let backdropBlue = blue;
    if (alpha !== 1) {
      const unpremultiply = 1 / alpha;
      backdropRed = Math.min(1, red * unpremultiply);
      backdropGreen = Math.min(1, green * unpremultiply);
      backdropBlue = Math.min(1, blue * unpremultiply);
    }
    let blendRed: number;
    let blendGreen: number;
    let blendBlue: number;
    if (mode <= 11) {
      blendRed = separableBlend(mode, backdropRed, sourceRed);
      blendGreen = separableBlend(mode, backdropGreen, sourceGreen);
      blendBlue = separableBlend(mode, backdropBlue, sourceBlue);
    } else {
      nonSeparableBlend(
        mode,
        backdropRed,
        backdropGreen,
        backdropBlue,
        sourceRed,
        sourceGreen,
        sourceBlue,
        blended,
      );
      blendRed = blended[0]!;
      blendGreen = blended[1]!;
      blendBlue = blended[2]!;
    }
    if (alpha === 1) {
      // Over an opaque backdrop: co = Cb + αs·(B − Cb), and αo stays 1.
      accumulator[slot] = red + sourceAlpha * (blendRed - red);
      accumulator[slot + 1] = green + sourceAlpha * (blendGreen - green);
      accumulator[slot + 2] = blue + sourceAlpha * (blendBlue - blue);
      accumulator[slot + 3] = 1;
      continue;
    }
    // co = (1 − αb)·αs·Cs + αs·αb·B(Cb, Cs) + (1 − αs)·cb
    const both = sourceAlpha * alpha;
    const sourceOnly = sourceAlpha - both;
    accumulator[slot] = sourceOnly * sourceRed + both * blendRed + keep * red;
    accumulator[slot + 1] = sourceOnly * sourceGreen + both * blendGreen + keep * green;
    accumulator[slot + 2] = sourceOnly * sourceBlue + both * blendBlue + keep * blue;
    accumulator[slot + 3] = sourceAlpha + keep * alpha;
  }
}
