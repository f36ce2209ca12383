import type { PreparedLayer } from './prepare-composite.js';
import type { WasmKernel } from './wasm/wasm-kernel.js';
import type { WasmStage } from './wasm/wasm-stage.js';

/**
 * One layer as the kernel sees it: a {@link PreparedLayer} whose `data` (and `mask`) may hold
 * only the rows a band reads, starting at layer row {@link BandLayer.dataRow}.
 */
export interface BandLayer extends PreparedLayer {
  /** Layer row held at `data[0]` (and at `mask[0]`). */
  readonly dataRow: number;
}

/** A horizontal band of the canvas to composite: rows `rowStart` to `rowEnd` (exclusive). */
export interface BandTask {
  /** Canvas width in pixels. */
  readonly width: number;
  /** First canvas row of the band. */
  readonly rowStart: number;
  /** Canvas row after the band. */
  readonly rowEnd: number;
  /** RGBA bytes of whole canvas rows of the backdrop, starting at canvas row `baseRow`. */
  readonly base: Uint8ClampedArray;
  /** Canvas row held at `base[0]`. */
  readonly baseRow: number;
  /** Where the result goes: RGBA bytes of whole canvas rows, starting at row `outputRow`. */
  readonly output: Uint8ClampedArray;
  /** Canvas row held at `output[0]`. */
  readonly outputRow: number;
  /** Layers, top-first, each intersecting the band, with an opacity above 0. */
  readonly layers: readonly BandLayer[];
  /** Byte order of the machine, for reading pixels as 32-bit words. */
  readonly littleEndian: boolean;
  /**
   * The WebAssembly SIMD kernel to run the hot loops with, or `null`/absent for the JavaScript
   * loops only. Both give the same bytes.
   */
  readonly wasm?: WasmKernel | null;
  /**
   * With `wasm`: take the float32 fast path on rows over an opaque backdrop whose layers are
   * all `normal`, `multiply`, `screen` or `soft-light` (within ±1 of the exact result, but not
   * always the same bytes as the float64 loops). Off, every loop is float64 and the bytes are
   * the JavaScript kernel's.
   */
  readonly wasmFloat32?: boolean;
}

// The kernel and its helpers below run in worker threads from their source text
// (`compositeBandSource`), so they reference nothing but each other and their arguments.

/**
 * Float noise below this, around the spec's discontinuities (an unpremultiplied backdrop of
 * exactly 0 or 1, a grey triple), must not flip the exact rules; real values are far from it.
 * Written out as `1e-13` in each helper below.
 */
export const edgeEpsilon = 1e-13;

/** Soft-light B(Cb, Cs) of one channel. */
export function softLight(backdrop: number, source: number): number {
  if (source <= 0.5) return backdrop - (1 - 2 * source) * backdrop * (1 - backdrop);
  const d =
    backdrop <= 0.25 ? ((16 * backdrop - 12) * backdrop + 4) * backdrop : Math.sqrt(backdrop);
  return backdrop + (2 * source - 1) * (d - backdrop);
}

/** Color-dodge B(Cb, Cs) of one channel: `Cb = 0` wins over `Cs = 1`. */
export function colorDodge(backdrop: number, source: number): number {
  if (backdrop <= 1e-13) return 0;
  if (source >= 1) return 1;
  return Math.min(1, backdrop / (1 - source));
}

/** Color-burn B(Cb, Cs) of one channel: `Cb = 1` wins over `Cs = 0`. */
export function colorBurn(backdrop: number, source: number): number {
  if (backdrop >= 1 - 1e-13) return 1;
  if (source <= 0) return 0;
  return 1 - Math.min(1, (1 - backdrop) / source);
}

/** SetLum then ClipColor of the spec, written into `result`. */
export function setLuminosity(
  red: number,
  green: number,
  blue: number,
  luminosity: number,
  result: Float64Array,
): void {
  const shift = luminosity - (0.3 * red + 0.59 * green + 0.11 * blue);
  red += shift;
  green += shift;
  blue += shift;
  const lum = 0.3 * red + 0.59 * green + 0.11 * blue;
  const low = Math.min(red, green, blue);
  const high = Math.max(red, green, blue);
  if (low < 0) {
    const scale = lum / (lum - low);
    red = lum + (red - lum) * scale;
    green = lum + (green - lum) * scale;
    blue = lum + (blue - lum) * scale;
  }
  if (high > 1) {
    const scale = (1 - lum) / (high - lum);
    red = lum + (red - lum) * scale;
    green = lum + (green - lum) * scale;
    blue = lum + (blue - lum) * scale;
  }
  result[0] = red;
  result[1] = green;
  result[2] = blue;
}

/**
 * SetSat of the spec, written into `result`: the largest component becomes `saturation`, the
 * smallest 0, the middle one keeps its relative position. With ties, any ranking gives the
 * same values.
 */
export function setSaturation(
  red: number,
  green: number,
  blue: number,
  saturation: number,
  result: Float64Array,
): void {
  const high = Math.max(red, green, blue);
  const low = Math.min(red, green, blue);
  if (high - low <= 1e-13) {
    result[0] = 0;
    result[1] = 0;
    result[2] = 0;
    return;
  }
  const scale = saturation / (high - low);
  result[0] = red === high ? saturation : red === low ? 0 : (red - low) * scale;
  result[1] = green === high ? saturation : green === low ? 0 : (green - low) * scale;
  result[2] = blue === high ? saturation : blue === low ? 0 : (blue - low) * scale;
}

/** B(Cb, Cs) of the non-separable modes (12 hue … 15 luminosity), written into `result`. */
export function nonSeparableBlend(
  mode: number,
  backdropRed: number,
  backdropGreen: number,
  backdropBlue: number,
  sourceRed: number,
  sourceGreen: number,
  sourceBlue: number,
  result: Float64Array,
): void {
  const backdropLuminosity = 0.3 * backdropRed + 0.59 * backdropGreen + 0.11 * backdropBlue;
  if (mode === 12) {
    const saturation =
      Math.max(backdropRed, backdropGreen, backdropBlue) -
      Math.min(backdropRed, backdropGreen, backdropBlue);
    setSaturation(sourceRed, sourceGreen, sourceBlue, saturation, result);
    setLuminosity(result[0]!, result[1]!, result[2]!, backdropLuminosity, result);
  } else if (mode === 13) {
    const saturation =
      Math.max(sourceRed, sourceGreen, sourceBlue) - Math.min(sourceRed, sourceGreen, sourceBlue);
    setSaturation(backdropRed, backdropGreen, backdropBlue, saturation, result);
    setLuminosity(result[0]!, result[1]!, result[2]!, backdropLuminosity, result);
  } else if (mode === 14) {
    setLuminosity(sourceRed, sourceGreen, sourceBlue, backdropLuminosity, result);
  } else {
    const sourceLuminosity = 0.3 * sourceRed + 0.59 * sourceGreen + 0.11 * sourceBlue;
    setLuminosity(backdropRed, backdropGreen, backdropBlue, sourceLuminosity, result);
  }
}

/** State shared by the passes over one band: scratch rows and what every layer needs. */
export interface RowState {
  /** Layers in the band (top-first). */
  readonly count: number;
  /** Per column: the highest layer hiding all below it, or `count` for the backdrop. */
  readonly starts: Int32Array;
  /** Per hidden column: the column after its run of columns hidden by one layer. */
  readonly hiddenEnd: Int32Array;
  /**
   * The runs `markHidden` found in this row: their number, then start, end and level of each,
   * in the order found.
   */
  readonly hiddenRuns: Int32Array;
  /** Per column: 1 once a layer has been blended into the accumulator. */
  readonly touched: Uint8Array;
  /** Per column: premultiplied red, green, blue and alpha, in float64. */
  readonly accumulator: Float64Array;
  /** The backdrop's pixels as words. */
  readonly base: Uint32Array;
  /** Index of the current row's first pixel in `base`. */
  baseStart: number;
  /** Each layer's pixels as words. */
  readonly layerWords: readonly Uint32Array[];
  /** Per layer: index in its words of canvas column 0 of the current row. */
  readonly rowIndex: Int32Array;
  /** Bit position of red, green, blue and alpha in a word. */
  readonly shifts: Int32Array;
  /** Scratch for the non-separable blends. */
  readonly blended: Float64Array;
  /**
   * Shortest run of columns worth marking hidden. Shorter ones are left to be blended: a
   * `normal` pixel with αs = 1 replaces what is below it exactly (co = Cs·1 + 0·cb), so the
   * result is the same bytes, and the row is not cut into many tiny runs (as a layer with a
   * few scattered opaque pixels would).
   */
  readonly minimumHiddenRun: number;
}

/**
 * Marks, in `state.starts`, the columns from `from` to `to` where this layer (which hides what
 * is below it: `normal`, opacity 1) is opaque and no higher layer already hides it. Columns a
 * higher layer hides are jumped over in one step (`state.hiddenEnd` holds, for each hidden
 * column, the end of its hidden run), so each pixel is read at most once per row.
 */
export function markHidden(
  state: RowState,
  level: number,
  words: Uint32Array,
  mask: Uint8Array,
  hasMask: boolean,
  from: number,
  to: number,
): void {
  const starts = state.starts;
  const hiddenEnd = state.hiddenEnd;
  const unset = state.count;
  const offset = state.rowIndex[level]!;
  const alphaShift = state.shifts[3]!;
  let x = from;
  while (x < to) {
    if (starts[x] !== unset) {
      x = hiddenEnd[x]!;
      continue;
    }
    const runStart = x;
    while (
      x < to &&
      starts[x] === unset &&
      ((words[offset + x]! >>> alphaShift) & 255) === 255 &&
      (!hasMask || mask[offset + x] === 255)
    ) {
      x++;
    }
    if (x === runStart) {
      x++;
      continue;
    }
    if (x - runStart < state.minimumHiddenRun) continue;
    starts.fill(level, runStart, x);
    hiddenEnd.fill(x, runStart, x);
    const runs = state.hiddenRuns;
    const index = runs[0]! * 3 + 1;
    runs[index] = runStart;
    runs[index + 1] = x;
    runs[index + 2] = level;
    runs[0]!++;
  }
}

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
    switch (mode) {
      case 1: // multiply
        blendRed = backdropRed * sourceRed;
        blendGreen = backdropGreen * sourceGreen;
        blendBlue = backdropBlue * sourceBlue;
        break;
      case 2: // screen
        blendRed = backdropRed + sourceRed - backdropRed * sourceRed;
        blendGreen = backdropGreen + sourceGreen - backdropGreen * sourceGreen;
        blendBlue = backdropBlue + sourceBlue - backdropBlue * sourceBlue;
        break;
      case 3: // overlay: hard-light with the arguments swapped
        blendRed =
          backdropRed <= 0.5
            ? 2 * backdropRed * sourceRed
            : 1 - 2 * (1 - backdropRed) * (1 - sourceRed);
        blendGreen =
          backdropGreen <= 0.5
            ? 2 * backdropGreen * sourceGreen
            : 1 - 2 * (1 - backdropGreen) * (1 - sourceGreen);
        blendBlue =
          backdropBlue <= 0.5
            ? 2 * backdropBlue * sourceBlue
            : 1 - 2 * (1 - backdropBlue) * (1 - sourceBlue);
        break;
      case 4: // darken
        blendRed = Math.min(backdropRed, sourceRed);
        blendGreen = Math.min(backdropGreen, sourceGreen);
        blendBlue = Math.min(backdropBlue, sourceBlue);
        break;
      case 5: // lighten
        blendRed = Math.max(backdropRed, sourceRed);
        blendGreen = Math.max(backdropGreen, sourceGreen);
        blendBlue = Math.max(backdropBlue, sourceBlue);
        break;
      case 6:
        blendRed = colorDodge(backdropRed, sourceRed);
        blendGreen = colorDodge(backdropGreen, sourceGreen);
        blendBlue = colorDodge(backdropBlue, sourceBlue);
        break;
      case 7:
        blendRed = colorBurn(backdropRed, sourceRed);
        blendGreen = colorBurn(backdropGreen, sourceGreen);
        blendBlue = colorBurn(backdropBlue, sourceBlue);
        break;
      case 8: // hard-light
        blendRed =
          sourceRed <= 0.5
            ? 2 * sourceRed * backdropRed
            : 1 - 2 * (1 - sourceRed) * (1 - backdropRed);
        blendGreen =
          sourceGreen <= 0.5
            ? 2 * sourceGreen * backdropGreen
            : 1 - 2 * (1 - sourceGreen) * (1 - backdropGreen);
        blendBlue =
          sourceBlue <= 0.5
            ? 2 * sourceBlue * backdropBlue
            : 1 - 2 * (1 - sourceBlue) * (1 - backdropBlue);
        break;
      case 9:
        blendRed = softLight(backdropRed, sourceRed);
        blendGreen = softLight(backdropGreen, sourceGreen);
        blendBlue = softLight(backdropBlue, sourceBlue);
        break;
      case 10: // difference
        blendRed = Math.abs(backdropRed - sourceRed);
        blendGreen = Math.abs(backdropGreen - sourceGreen);
        blendBlue = Math.abs(backdropBlue - sourceBlue);
        break;
      case 11: // exclusion
        blendRed = backdropRed + sourceRed - 2 * backdropRed * sourceRed;
        blendGreen = backdropGreen + sourceGreen - 2 * backdropGreen * sourceGreen;
        blendBlue = backdropBlue + sourceBlue - 2 * backdropBlue * sourceBlue;
        break;
      default:
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

/**
 * Writes one row: blended columns from the accumulator (unpremultiplied, rounded once),
 * the others copied as words from the layer that hides them or from the backdrop.
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

// The JavaScript side of the WebAssembly loops (`wasm/composite-kernel.wat`): stage a row's
// pixels in the kernel's memory, call the loops run by run, copy the row out. They are part of
// the kernel's source text, so they live here with it (an import would not survive
// `toString()`).

/**
 * Whether the WebAssembly kernel blends `mode` (a code of `blendModeCodes`): `normal` and the
 * separable modes but color-dodge and color-burn (whose edge rules stay in JavaScript), not
 * the non-separable ones.
 */
export function wasmBlendsMode(mode: number): boolean {
  return mode <= 5 || (mode >= 8 && mode <= 11);
}

/**
 * Copies the columns `from`..`to` of a row from `source` to `target`, but those of the hidden
 * runs (`hiddenStart`/`hiddenEnd`, `count` of them, sorted, not overlapping), where a higher
 * layer hides this one: nothing reads those pixels.
 *
 * @param targetAt - index in `target` of canvas column 0.
 * @param sourceAt - index in `source` of canvas column 0 of the row.
 */
export function stageVisible(
  target: Uint32Array | Uint8Array,
  targetAt: number,
  source: Uint32Array | Uint8Array,
  sourceAt: number,
  from: number,
  to: number,
  hiddenStart: Int32Array,
  hiddenEnd: Int32Array,
  count: number,
): void {
  let x = from;
  for (let run = 0; run < count && x < to; run++) {
    const end = hiddenEnd[run]!;
    if (end <= x) continue;
    const start = hiddenStart[run]!;
    if (start >= to) break;
    if (start > x) target.set(source.subarray(sourceAt + x, sourceAt + start), targetAt + x);
    x = end;
  }
  if (x < to) target.set(source.subarray(sourceAt + x, sourceAt + to), targetAt + x);
}

/**
 * Copies into the stage what the row reads and marks its hidden runs, top-down: each layer's
 * span `from`..`to` (with its mask) but for the runs a higher layer hides, then, for a layer
 * that hides what is below it, its own hidden runs (`markHidden` in WebAssembly); last the
 * backdrop's row but for every hidden run. Pixels under a hidden run are never read (see
 * `markHidden`), so they are not copied: on matted AI layers that is about a quarter of the
 * bytes (27 % of the words on the compositor's W8 benchmark).
 */
export function stageRowWasm(
  state: RowState,
  stage: WasmStage,
  width: number,
  layerInRow: Uint8Array,
  spanFrom: Int32Array,
  spanTo: Int32Array,
  layerMasks: readonly Uint8Array[],
  layerHasMask: Uint8Array,
  layerHides: Uint8Array,
): void {
  const words = stage.words;
  const sortedStart = stage.sortedStart;
  const sortedEnd = stage.sortedEnd;
  const runs = state.hiddenRuns;
  let sorted = 0;
  for (let level = 0; level < state.count; level++) {
    if (layerInRow[level] === 0) continue;
    const offset = state.rowIndex[level]!;
    const from = spanFrom[level]!;
    const to = spanTo[level]!;
    const layerAt = ((stage.layersAt >>> 2) + level * stage.stride) | 0;
    const layerWords = state.layerWords[level]!;
    stageVisible(words, layerAt, layerWords, offset, from, to, sortedStart, sortedEnd, sorted);
    const hasMask = layerHasMask[level] === 1;
    if (hasMask) {
      const mask = layerMasks[level]!;
      const maskAt = level * stage.stride;
      stageVisible(stage.masks, maskAt, mask, offset, from, to, sortedStart, sortedEnd, sorted);
    }
    if (layerHides[level] === 0) continue;
    const found = runs[0]!;
    markHiddenWasm(state, stage, level, hasMask, from, to);
    // Insert the new runs among the sorted ones (a row has few).
    for (let run = found; run < runs[0]!; run++) {
      const start = runs[run * 3 + 1]!;
      const end = runs[run * 3 + 2]!;
      let place = sorted++;
      while (place > 0 && sortedStart[place - 1]! > start) {
        sortedStart[place] = sortedStart[place - 1]!;
        sortedEnd[place] = sortedEnd[place - 1]!;
        place--;
      }
      sortedStart[place] = start;
      sortedEnd[place] = end;
    }
  }
  const baseAt = stage.baseAt >>> 2;
  stageVisible(
    words,
    baseAt,
    state.base,
    state.baseStart,
    0,
    width,
    sortedStart,
    sortedEnd,
    sorted,
  );
}

/** `markHidden` in WebAssembly, on the staged layer row (see `RowState.hiddenRuns`). */
export function markHiddenWasm(
  state: RowState,
  stage: WasmStage,
  level: number,
  hasMask: boolean,
  from: number,
  to: number,
): void {
  stage.kernel.markHidden(
    level,
    stage.layersAt + level * stage.stride * 4,
    stage.masksAt + level * stage.stride,
    hasMask ? 1 : 0,
    stage.startsAt,
    stage.hiddenEndAt,
    stage.hiddenRunsAt,
    from,
    to,
    state.count,
    state.minimumHiddenRun,
  );
}

/** Where the stage holds the pixels a run starts from: a hiding layer's row, or the backdrop's. */
export function stagedSourceAt(state: RowState, stage: WasmStage, start: number): number {
  return start === state.count ? stage.baseAt : stage.layersAt + start * stage.stride * 4;
}

/**
 * `startOpaqueRun` in WebAssembly: fills the accumulator from the run's staged starting pixels
 * (`start`: a hiding layer, or `state.count` for the backdrop). Returns false as soon as one is
 * not opaque.
 */
export function startOpaqueRunWasm(
  state: RowState,
  stage: WasmStage,
  float32: boolean,
  start: number,
  from: number,
  to: number,
): boolean {
  const sourceAt = stagedSourceAt(state, stage, start) + from * 4;
  const started = float32
    ? stage.kernel.startOpaque32(sourceAt, stage.accumulatorAt + from * 16, to - from)
    : stage.kernel.startOpaque(sourceAt, stage.accumulatorAt + from * 32, to - from);
  if (started === 0) return false;
  state.touched.fill(1, from, to);
  return true;
}

/**
 * `blendOpaqueRun` (or `applyLayer` over an opaque run) in WebAssembly, for `wasmBlendsMode`,
 * on the staged layer row.
 */
export function blendOpaqueRunWasm(
  stage: WasmStage,
  level: number,
  hasMask: boolean,
  mode: number,
  alphaScale: number,
  from: number,
  to: number,
): void {
  const kernel = stage.kernel;
  const layerAt = stage.layersAt + (level * stage.stride + from) * 4;
  const maskAt = stage.masksAt + level * stage.stride + from;
  const masked = hasMask ? 1 : 0;
  const accumulatorAt = stage.accumulatorAt + from * 32;
  const count = to - from;
  if (mode === 0) kernel.normalOpaque(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  else if (mode === 1) {
    kernel.multiplyOpaque(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else if (mode === 2) {
    kernel.screenOpaque(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else if (mode === 9) {
    kernel.softLightOpaque(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else {
    kernel.separableOpaque(mode, layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  }
}

/** Whether `mode` has a float32 loop: 0 normal, 1 multiply, 2 screen, 9 soft-light. */
export function leanMode(mode: number): boolean {
  return mode === 0 || mode === 1 || mode === 2 || mode === 9;
}

/** `blendOpaqueRunWasm` on the float32 fast path, for `leanMode`. */
export function blendOpaqueRunFloat32Wasm(
  stage: WasmStage,
  level: number,
  hasMask: boolean,
  mode: number,
  alphaScale: number,
  from: number,
  to: number,
): void {
  const kernel = stage.kernel;
  const layerAt = stage.layersAt + (level * stage.stride + from) * 4;
  const maskAt = stage.masksAt + level * stage.stride + from;
  const masked = hasMask ? 1 : 0;
  const accumulatorAt = stage.accumulatorAt + from * 16;
  const count = to - from;
  if (mode === 0) kernel.normalOpaque32(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  else if (mode === 1) {
    kernel.multiplyOpaque32(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else if (mode === 2) {
    kernel.screenOpaque32(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  } else {
    kernel.softLightOpaque32(layerAt, maskAt, masked, accumulatorAt, count, alphaScale);
  }
}

/**
 * One layer over the columns `from` to `to` of a run on the general path (the backdrop may be
 * translucent), in WebAssembly, for `wasmBlendsMode`: a lazily started premultiplied
 * accumulator, from the run's staged starting pixels at `sourceAt`.
 */
export function blendGeneralRunWasm(
  stage: WasmStage,
  sourceAt: number,
  level: number,
  hasMask: boolean,
  mode: number,
  alphaScale: number,
  from: number,
  to: number,
): void {
  stage.kernel.blendGeneral(
    mode,
    stage.layersAt + (level * stage.stride + from) * 4,
    stage.masksAt + level * stage.stride + from,
    hasMask ? 1 : 0,
    stage.accumulatorAt + from * 32,
    stage.touchedAt + from,
    sourceAt + from * 4,
    to - from,
    alphaScale,
  );
}

/**
 * Writes the columns `begin` to `end` of a run into the staged output row: the columns `from`
 * to `to` from the accumulator (rounded; from the float32 one on the fast path; unpremultiplied
 * on the general path, where untouched ones are copied), the others copied from the run's staged starting pixels at `sourceAt`.
 */
export function writeRunWasm(
  stage: WasmStage,
  sourceAt: number,
  general: boolean,
  float32: boolean,
  begin: number,
  from: number,
  to: number,
  end: number,
): void {
  const words = stage.words;
  const source = sourceAt >>> 2;
  const output = stage.outputAt >>> 2;
  if (begin < from) words.copyWithin(output + begin, source + begin, source + from);
  if (from < to) {
    if (general) {
      stage.kernel.writeGeneral(
        stage.accumulatorAt + from * 32,
        stage.touchedAt + from,
        sourceAt + from * 4,
        stage.outputAt + from * 4,
        to - from,
      );
    } else if (float32) {
      stage.kernel.writeOpaque32(
        stage.accumulatorAt + from * 16,
        stage.outputAt + from * 4,
        to - from,
      );
    } else {
      stage.kernel.writeOpaque(
        stage.accumulatorAt + from * 32,
        stage.outputAt + from * 4,
        to - from,
      );
    }
  }
  if (to < end) words.copyWithin(output + to, source + to, source + end);
}

/**
 * Lays out room for rows of `width` columns and `count` layers in the kernel's memory (growing
 * it when needed) and returns views of it.
 *
 * @param kernel - the instantiated kernel.
 * @param width - canvas width in pixels.
 * @param count - number of layers.
 */
export function stageWasmRow(kernel: WasmKernel, width: number, count: number): WasmStage {
  const padded = (width + 15) & ~15;
  const accumulatorAt = 0;
  const touchedAt = accumulatorAt + width * 32;
  const startsAt = touchedAt + padded;
  const hiddenEndAt = startsAt + padded * 4;
  const hiddenRunsAt = hiddenEndAt + padded * 4;
  const baseAt = hiddenRunsAt + (1 + 3 * padded) * 4 + 12;
  const layersAt = baseAt + padded * 4;
  const outputAt = layersAt + count * padded * 4;
  const masksAt = outputAt + padded * 4;
  const size = masksAt + count * padded;
  const memory = kernel.memory;
  const missing = Math.ceil((size - memory.buffer.byteLength) / 65_536);
  if (missing > 0) memory.grow(missing);
  const buffer = memory.buffer;
  return {
    kernel,
    stride: padded,
    accumulatorAt,
    touchedAt,
    startsAt,
    hiddenEndAt,
    hiddenRunsAt,
    baseAt,
    layersAt,
    masksAt,
    outputAt,
    accumulator: new Float64Array(buffer, accumulatorAt, width * 4),
    touched: new Uint8Array(buffer, touchedAt, width),
    starts: new Int32Array(buffer, startsAt, width),
    hiddenEnd: new Int32Array(buffer, hiddenEndAt, width),
    hiddenRuns: new Int32Array(buffer, hiddenRunsAt, 1 + 3 * width),
    words: new Uint32Array(buffer, 0, masksAt >>> 2),
    masks: new Uint8Array(buffer, masksAt, count * padded),
    output: new Uint32Array(buffer, outputAt, width),
    sortedStart: new Int32Array(width),
    sortedEnd: new Int32Array(width),
  };
}

/**
 * The compositing kernel. For each row of the band it trims every layer's span of its
 * transparent ends, finds, per column, the highest layer that hides everything below it
 * (`normal`, opacity 1, alpha 255, mask 255) — the layers beneath are never read — and cuts the
 * row into runs of columns starting from the same source. Over an opaque backdrop (the common
 * case) each run is blended layer by layer, bottom to top, by lean per-mode loops over the
 * run's part of each layer span, with no per-pixel bookkeeping; otherwise the general loops
 * blend into a float64 premultiplied accumulator. The accumulator is the size of one row (it
 * stays in cache), nothing is rounded between layers, and every pixel is written once: blended
 * ones rounded, the rest copied as runs of words.
 *
 * With `task.wasm` (the WebAssembly SIMD kernel), each row's pixels are first staged in the
 * kernel's memory (but for those a higher layer hides), and the marking of hidden runs, the
 * lean loops, the general loops of `normal` and the separable modes but color-dodge and
 * color-burn, and the writes run there: in float64 with the same expressions (the same bytes
 * come out), or, with `task.wasmFloat32`, in float32 for rows over an opaque backdrop whose
 * layers all have a lean mode (within ±1). The other modes run in the JavaScript loops on the
 * same accumulator.
 *
 * Every RGBA array must start on a 4-byte boundary.
 *
 * @param task - the band, its inputs and its output.
 */
export function compositeBand(task: BandTask): void {
  const width = task.width;
  const layers = task.layers;
  const count = layers.length;
  const inverse255 = 1 / 255;
  const littleEndian = task.littleEndian;
  const outputBytes = task.output;
  const output = new Uint32Array(
    outputBytes.buffer,
    outputBytes.byteOffset,
    outputBytes.length >>> 2,
  );
  const noMask = new Uint8Array(0);

  // Every layer's numbers in typed arrays: the row loop reads no layer object (their shapes
  // differ with the caller, which would make it polymorphic).
  const layerWords: Uint32Array[] = [];
  const layerMasks: Uint8Array[] = [];
  const layerTop = new Int32Array(count);
  const layerBottom = new Int32Array(count);
  const layerLeft = new Int32Array(count);
  const layerRight = new Int32Array(count);
  const layerWidth = new Int32Array(count);
  const layerColumn = new Int32Array(count);
  const layerDataRow = new Int32Array(count);
  const layerMode = new Int32Array(count);
  const layerHasMask = new Uint8Array(count);
  const layerHides = new Uint8Array(count);
  const layerAlphaScale = new Float64Array(count);
  for (let level = 0; level < count; level++) {
    const layer = layers[level]!;
    layerWords.push(
      new Uint32Array(layer.data.buffer, layer.data.byteOffset, layer.data.length >>> 2),
    );
    const mask = layer.mask;
    layerMasks.push(
      mask === null ? noMask : new Uint8Array(mask.buffer, mask.byteOffset, mask.length),
    );
    layerTop[level] = layer.top;
    layerBottom[level] = layer.top + layer.height;
    layerLeft[level] = Math.max(0, layer.left);
    layerRight[level] = Math.min(width, layer.left + layer.width);
    layerWidth[level] = layer.width;
    layerColumn[level] = layer.left;
    layerDataRow[level] = layer.dataRow;
    layerMode[level] = layer.mode;
    layerHasMask[level] = mask === null ? 0 : 1;
    layerHides[level] = layer.mode === 0 && layer.opacity === 1 ? 1 : 0;
    layerAlphaScale[level] = layer.opacity * inverse255;
  }
  // With the WebAssembly kernel, the accumulator and touched flags live in its memory, where
  // its loops and the JavaScript ones (for the modes it leaves out) both work on them.
  const stage = task.wasm ? stageWasmRow(task.wasm, width, count) : null;
  const float32 = task.wasmFloat32 === true;
  const state: RowState = {
    count,
    starts: stage === null ? new Int32Array(width) : stage.starts,
    hiddenEnd: stage === null ? new Int32Array(width) : stage.hiddenEnd,
    hiddenRuns: stage === null ? new Int32Array(1 + 3 * width) : stage.hiddenRuns,
    touched: stage === null ? new Uint8Array(width) : stage.touched,
    accumulator: stage === null ? new Float64Array(width * 4) : stage.accumulator,
    base: new Uint32Array(task.base.buffer, task.base.byteOffset, task.base.length >>> 2),
    baseStart: 0,
    layerWords,
    rowIndex: new Int32Array(count),
    shifts: Int32Array.from(littleEndian ? [0, 8, 16, 24] : [24, 16, 8, 0]),
    blended: new Float64Array(3),
    minimumHiddenRun: 16,
  };
  const layerInRow = new Uint8Array(count);
  const spanFrom = new Int32Array(count);
  const spanTo = new Int32Array(count);
  // Runs of columns that start from the same source, and the part of each that layers cover.
  const runStart = new Int32Array(width);
  const runBegin = new Int32Array(width);
  const runEnd = new Int32Array(width);
  const runFrom = new Int32Array(width);
  const runTo = new Int32Array(width);
  const alphaShift = state.shifts[3]!;
  // The alpha byte's bits in a pixel's word: `word & alphaBits` is 0 when it is transparent.
  const alphaBits = (255 << alphaShift) | 0;
  const base = state.base;
  const starts = state.starts;
  const rowIndex = state.rowIndex;

  for (let y = task.rowStart; y < task.rowEnd; y++) {
    const baseStart = (y - task.baseRow) * width;
    state.baseStart = baseStart;
    const outputStart = (y - task.outputRow) * width;
    let covered = false;
    for (let level = 0; level < count; level++) {
      layerInRow[level] = 0;
      if (y < layerTop[level]! || y >= layerBottom[level]!) continue;
      // Index in the layer's words of canvas column 0 of this row.
      const rowOffset =
        (y - layerTop[level]! - layerDataRow[level]!) * layerWidth[level]! - layerColumn[level]!;
      rowIndex[level] = rowOffset;
      // The row's span: clipped to the canvas, then trimmed of transparent (or masked-out)
      // pixels at both ends, which add nothing in any mode.
      const words = layerWords[level]!;
      const mask = layerMasks[level]!;
      const hasMask = layerHasMask[level] === 1;
      let from = layerLeft[level]!;
      let to = layerRight[level]!;
      if (!hasMask) {
        // Transparent borders are wide: four pixels a test first.
        while (
          from + 4 <= to &&
          ((words[rowOffset + from]! |
            words[rowOffset + from + 1]! |
            words[rowOffset + from + 2]! |
            words[rowOffset + from + 3]!) &
            alphaBits) ===
            0
        ) {
          from += 4;
        }
        while (
          to - 4 >= from &&
          ((words[rowOffset + to - 1]! |
            words[rowOffset + to - 2]! |
            words[rowOffset + to - 3]! |
            words[rowOffset + to - 4]!) &
            alphaBits) ===
            0
        ) {
          to -= 4;
        }
      }
      while (
        from < to &&
        (((words[rowOffset + from]! >>> alphaShift) & 255) === 0 ||
          (hasMask && mask[rowOffset + from] === 0))
      ) {
        from++;
      }
      while (
        to > from &&
        (((words[rowOffset + to - 1]! >>> alphaShift) & 255) === 0 ||
          (hasMask && mask[rowOffset + to - 1] === 0))
      ) {
        to--;
      }
      if (from === to) continue;
      spanFrom[level] = from;
      spanTo[level] = to;
      layerInRow[level] = 1;
      covered = true;
    }
    if (!covered) {
      output.set(base.subarray(baseStart, baseStart + width), outputStart);
      continue;
    }
    starts.fill(count);
    state.touched.fill(0);
    state.hiddenRuns[0] = 0;
    if (stage !== null) {
      stageRowWasm(
        state,
        stage,
        width,
        layerInRow,
        spanFrom,
        spanTo,
        layerMasks,
        layerHasMask,
        layerHides,
      );
    }
    for (let level = 0; level < count && stage === null; level++) {
      if (layerInRow[level] === 0 || layerHides[level] === 0) continue;
      markHidden(
        state,
        level,
        layerWords[level]!,
        layerMasks[level]!,
        layerHasMask[level] === 1,
        spanFrom[level]!,
        spanTo[level]!,
      );
    }

    // Cut the row into runs of one start (the hidden runs in column order, the backdrop
    // between them); in each, the columns that some layer above covers.
    const hiddenRuns = state.hiddenRuns;
    const hiddenCount = hiddenRuns[0]!;
    for (let run = 1; run < hiddenCount; run++) {
      // Insertion sort by start column: a row has few hidden runs, mostly in order already.
      const index = run * 3 + 1;
      const start = hiddenRuns[index]!;
      const end = hiddenRuns[index + 1]!;
      const level = hiddenRuns[index + 2]!;
      let place = run;
      while (place > 0 && hiddenRuns[(place - 1) * 3 + 1]! > start) {
        const to = place * 3 + 1;
        const from = to - 3;
        hiddenRuns[to] = hiddenRuns[from]!;
        hiddenRuns[to + 1] = hiddenRuns[from + 1]!;
        hiddenRuns[to + 2] = hiddenRuns[from + 2]!;
        place--;
      }
      const to = place * 3 + 1;
      hiddenRuns[to] = start;
      hiddenRuns[to + 1] = end;
      hiddenRuns[to + 2] = level;
    }
    let runs = 0;
    let x = 0;
    for (let hidden = 0; hidden <= hiddenCount; hidden++) {
      // The backdrop up to the next hidden run, then that run.
      const index = hidden * 3 + 1;
      const hiddenStart = hidden < hiddenCount ? hiddenRuns[index]! : width;
      for (let part = 0; part < 2; part++) {
        const start = part === 0 ? count : hiddenRuns[index + 2]!;
        const next = part === 0 ? hiddenStart : hiddenRuns[index + 1]!;
        if (part === 1 && hidden === hiddenCount) break;
        if (x >= next) continue;
        let from = next;
        let to = x;
        for (let level = 0; level < start; level++) {
          if (layerInRow[level] === 0) continue;
          const spanStart = spanFrom[level]!;
          const spanEnd = spanTo[level]!;
          if (spanStart >= next || spanEnd <= x) continue;
          if (spanStart < from) from = spanStart;
          if (spanEnd > to) to = spanEnd;
        }
        if (from < x) from = x;
        if (to > next) to = next;
        if (from > to) from = to;
        runStart[runs] = start;
        runBegin[runs] = x;
        runFrom[runs] = from;
        runTo[runs] = to;
        runEnd[runs] = next;
        runs++;
        x = next;
      }
    }

    if (stage !== null) {
      // The same paths with the WebAssembly loops, on the row staged in its memory; in float32
      // when every layer of the row has a lean mode.
      let lean = float32;
      for (let level = 0; level < count && lean; level++) {
        if (layerInRow[level] === 1 && !leanMode(layerMode[level]!)) lean = false;
      }
      let opaque = true;
      for (let run = 0; run < runs && opaque; run++) {
        if (runFrom[run]! < runTo[run]!) {
          opaque = startOpaqueRunWasm(
            state,
            stage,
            lean,
            runStart[run]!,
            runFrom[run]!,
            runTo[run]!,
          );
        }
      }
      if (!opaque) state.touched.fill(0);
      const fast = opaque && lean;
      for (let run = 0; run < runs; run++) {
        const start = runStart[run]!;
        const from = runFrom[run]!;
        const to = runTo[run]!;
        const sourceAt = stagedSourceAt(state, stage, start);
        for (let level = start - 1; level >= 0 && from < to; level--) {
          if (layerInRow[level] === 0) continue;
          const spanStart = Math.max(spanFrom[level]!, from);
          const spanEnd = Math.min(spanTo[level]!, to);
          if (spanStart >= spanEnd) continue;
          const mode = layerMode[level]!;
          const hasMask = layerHasMask[level] === 1;
          const alphaScale = layerAlphaScale[level]!;
          if (fast) {
            blendOpaqueRunFloat32Wasm(stage, level, hasMask, mode, alphaScale, spanStart, spanEnd);
          } else if (!wasmBlendsMode(mode)) {
            // The other modes in JavaScript, on the same accumulator.
            applyLayer(
              state,
              level,
              layerWords[level]!,
              layerMasks[level]!,
              hasMask,
              mode,
              alphaScale,
              spanStart,
              spanEnd,
            );
          } else if (opaque) {
            blendOpaqueRunWasm(stage, level, hasMask, mode, alphaScale, spanStart, spanEnd);
          } else {
            blendGeneralRunWasm(
              stage,
              sourceAt,
              level,
              hasMask,
              mode,
              alphaScale,
              spanStart,
              spanEnd,
            );
          }
        }
        writeRunWasm(stage, sourceAt, !opaque, fast, runBegin[run]!, from, to, runEnd[run]!);
      }
      output.set(stage.output, outputStart);
      continue;
    }

    // Over an opaque backdrop the lean path applies; a backdrop pixel that is not opaque
    // sends the row to the general one.
    let opaque = true;
    for (let run = 0; run < runs && opaque; run++) {
      if (runFrom[run]! < runTo[run]!) {
        opaque = startOpaqueRun(state, runStart[run]!, runFrom[run]!, runTo[run]!);
      }
    }
    if (opaque) {
      for (let run = 0; run < runs; run++) {
        const start = runStart[run]!;
        const from = runFrom[run]!;
        const to = runTo[run]!;
        for (let level = start - 1; level >= 0 && from < to; level--) {
          if (layerInRow[level] === 0) continue;
          const spanStart = Math.max(spanFrom[level]!, from);
          const spanEnd = Math.min(spanTo[level]!, to);
          if (spanStart >= spanEnd) continue;
          const mode = layerMode[level]!;
          if (mode === 0 || mode === 1 || mode === 2 || mode === 9) {
            blendOpaqueRun(
              state,
              level,
              layerWords[level]!,
              layerMasks[level]!,
              layerHasMask[level] === 1,
              mode,
              layerAlphaScale[level]!,
              spanStart,
              spanEnd,
            );
          } else {
            // Every column of the run is touched and hidden by nothing at or above `level`.
            applyLayer(
              state,
              level,
              layerWords[level]!,
              layerMasks[level]!,
              layerHasMask[level] === 1,
              mode,
              layerAlphaScale[level]!,
              spanStart,
              spanEnd,
            );
          }
        }
        // Write the run: copied words on either side of the blended columns.
        const words = start === count ? base : layerWords[start]!;
        const offset = start === count ? baseStart : rowIndex[start]!;
        const begin = runBegin[run]!;
        const end = runEnd[run]!;
        if (begin < from) {
          output.set(words.subarray(offset + begin, offset + from), outputStart + begin);
        }
        if (from < to) writeOpaqueRun(state, output, outputStart, from, to);
        if (to < end) output.set(words.subarray(offset + to, offset + end), outputStart + to);
      }
      continue;
    }

    state.touched.fill(0);
    for (let level = count - 1; level >= 0; level--) {
      if (layerInRow[level] === 0) continue;
      const from = spanFrom[level]!;
      const to = spanTo[level]!;
      const hasMask = layerHasMask[level] === 1;
      const mode = layerMode[level]!;
      if (mode === 0) {
        applyNormalLayer(
          state,
          level,
          layerWords[level]!,
          layerMasks[level]!,
          hasMask,
          layerAlphaScale[level]!,
          from,
          to,
        );
      } else {
        applyLayer(
          state,
          level,
          layerWords[level]!,
          layerMasks[level]!,
          hasMask,
          mode,
          layerAlphaScale[level]!,
          from,
          to,
        );
      }
    }
    writeRow(state, output, outputStart, width);
  }
}

// biome-ignore lint/complexity/noBannedTypes: any function of the kernel, whatever its arguments.
type KernelFunction = Function;

/**
 * The name a function is declared with in its source text: what other functions' source calls
 * it by. A bundler may rename a function (to avoid a clash, or to minify) and still keep its
 * old `name` (esbuild's `keepNames`), so `name` is not to be trusted for that.
 *
 * @param declared - a function declaration (`function name(…) {…}`).
 * @returns its name in its source text, or `''` when its text does not start like that.
 */
export function declaredName(declared: KernelFunction): string {
  // Not `?.[1] ?? ''`: tsup's minified CommonJS build turns `return a?.[1] ?? b` into a call
  // of an undefined `return_nullishCoalesce`.
  const declaration = /^function\s*([\w$]+)\s*\(/.exec(declared.toString());
  return declaration === null ? '' : (declaration[1] as string);
}

/**
 * The name {@link compositeBandSource} declares the kernel's entry, `compositeBand`, with.
 *
 * @returns the name to call it by in the worker.
 */
export function compositeBandEntry(): string {
  return declaredName(compositeBand);
}

/**
 * Source text of {@link compositeBand} and its helpers, from which worker threads build it:
 * the same code runs from the TypeScript sources and from either bundle, with no worker file to
 * locate. The functions call each other by the names their text declares them with.
 *
 * @returns the declarations, ready to be evaluated in a scope of their own.
 */
export function compositeBandSource(): string {
  return [
    softLight,
    colorDodge,
    colorBurn,
    setLuminosity,
    setSaturation,
    nonSeparableBlend,
    markHidden,
    applyNormalLayer,
    applyLayer,
    startOpaqueRun,
    blendOpaqueRun,
    normalOpaqueRun,
    multiplyOpaqueRun,
    screenOpaqueRun,
    softLightOpaqueRun,
    writeRow,
    writeOpaqueRun,
    wasmBlendsMode,
    leanMode,
    blendOpaqueRunFloat32Wasm,
    stageVisible,
    stageRowWasm,
    markHiddenWasm,
    stagedSourceAt,
    startOpaqueRunWasm,
    blendOpaqueRunWasm,
    blendGeneralRunWasm,
    writeRunWasm,
    stageWasmRow,
    compositeBand,
  ]
    .map((helper) => helper.toString())
    .join('\n\n');
}
