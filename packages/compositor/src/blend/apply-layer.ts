// Kernel code: it runs in worker threads from its source text (`composite-band-source.ts`), so
// these functions reference nothing but each other, other kernel functions and their arguments.
import { nonSeparableBlend } from './math/non-separable-blend.js';
import { separableBlend } from './math/separable-blend.js';
import type { RowState } from './row-state.js';

/**
 * The general loop: blends one layer into the float64 premultiplied accumulator over the
 * columns `from` to `to`, where the backdrop may be translucent, skipping columns that a layer
 * at or above it hides and pixels that are transparent. A column's first layer starts it from
 * the layer hiding it (opaque) or the backdrop; `normal` does the start and the blend in one
 * expression. B(Cb, Cs) takes the straight backdrop colour, `co / αo`, which needs no division
 * over an opaque backdrop.
 *
 * @param state - the band's state, on the current row.
 * @param level - the layer.
 * @param from - first column.
 * @param to - column after the last.
 */
export function applyLayer(state: RowState, level: number, from: number, to: number): void {
  const inverse255 = 1 / 255;
  const words = state.layerWords[level]!;
  const mask = state.layerMasks[level]!;
  const hasMask = state.layerHasMask[level] === 1;
  const mode = state.layerMode[level]!;
  const alphaScale = state.layerAlphaScale[level]!;
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
    const keep = 1 - sourceAlpha;
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
      if (mode === 0) {
        // cs + (1 − αs)·cb, with cb = Cb·αb straight from the bytes.
        const sourceScale = sourceAlpha * inverse255;
        const backdropScale = keep * alpha * inverse255;
        accumulator[slot] =
          ((word >>> redShift) & 255) * sourceScale +
          ((backdrop >>> redShift) & 255) * backdropScale;
        accumulator[slot + 1] =
          ((word >>> greenShift) & 255) * sourceScale +
          ((backdrop >>> greenShift) & 255) * backdropScale;
        accumulator[slot + 2] =
          ((word >>> blueShift) & 255) * sourceScale +
          ((backdrop >>> blueShift) & 255) * backdropScale;
        accumulator[slot + 3] = alpha === 1 ? 1 : sourceAlpha + keep * alpha;
        continue;
      }
      const scale = alpha * inverse255;
      red = ((backdrop >>> redShift) & 255) * scale;
      green = ((backdrop >>> greenShift) & 255) * scale;
      blue = ((backdrop >>> blueShift) & 255) * scale;
    }

    if (mode === 0) {
      // cs + (1 − αs)·cb. Over an opaque backdrop αo = 1 exactly (float maths could land just
      // below it).
      const sourceScale = sourceAlpha * inverse255;
      accumulator[slot] = ((word >>> redShift) & 255) * sourceScale + keep * red;
      accumulator[slot + 1] = ((word >>> greenShift) & 255) * sourceScale + keep * green;
      accumulator[slot + 2] = ((word >>> blueShift) & 255) * sourceScale + keep * blue;
      accumulator[slot + 3] = alpha === 1 ? 1 : sourceAlpha + keep * alpha;
      continue;
    }
    const sourceRed = ((word >>> redShift) & 255) * inverse255;
    const sourceGreen = ((word >>> greenShift) & 255) * inverse255;
    const sourceBlue = ((word >>> blueShift) & 255) * inverse255;
    if (alpha === 0) {
      // Nothing to blend with: B does not matter.
      accumulator[slot] = sourceAlpha * sourceRed + keep * red;
      accumulator[slot + 1] = sourceAlpha * sourceGreen + keep * green;
      accumulator[slot + 2] = sourceAlpha * sourceBlue + keep * blue;
      accumulator[slot + 3] = sourceAlpha + keep * alpha;
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
