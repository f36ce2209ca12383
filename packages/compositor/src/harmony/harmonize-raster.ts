import { describeValue, type HarmonyMode, ValidationError } from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import { littleEndian } from '../blend/little-endian.js';
import {
  linearFromOklab,
  linearFromUnit,
  type OklabColor,
  oklabFromLinear,
  unitFromLinear,
} from '../matte/oklab.js';
import type { Raster } from '../raster.js';
import { type ColorStatistics, colorStatistics } from './color-statistics.js';

/** Options of {@link harmonizeRaster}. */
export interface HarmonizeRasterOptions {
  /** The statistics to move towards (a reference layer's or a palette's). */
  readonly target: ColorStatistics;
  /** The raster's own statistics, when already known. @default colorStatistics(raster) */
  readonly source?: ColorStatistics;
  /** How far to move, 0 (not at all) to 1 (all the way). @default 1 */
  readonly amount?: number;
  /** `full` (mean and spread of L, a, b) or `white-balance` (mean of a and b). @default 'full' */
  readonly mode?: HarmonyMode;
}

/** Nodes per axis of the colour lookup table (a node every 255/32 ≈ 8 levels). */
const nodes = 33;
const segments = nodes - 1;
/** Spread is scaled by at most this factor (or its inverse), so a flat layer is not blown up. */
const maxSpreadRatio = 4;

const subject = 'harmony options';

/** Node index (lower corner) and fraction towards the next node, for every byte. */
const nodeOfByte = new Int32Array(256);
const fractionOfByte = new Float64Array(256);
for (let byte = 0; byte < 256; byte++) {
  const position = (byte * segments) / 255;
  const node = Math.min(segments - 1, Math.floor(position));
  nodeOfByte[byte] = node;
  fractionOfByte[byte] = position - node;
}

/** The transfer as `out = offset + scale × in` per Oklab channel. */
function transferOf(
  source: ColorStatistics,
  target: ColorStatistics,
  amount: number,
  mode: HarmonyMode,
): { scale: number[]; offset: number[] } {
  const scale = [1, 1, 1];
  const offset = [0, 0, 0];
  for (let channel = 0; channel < 3; channel++) {
    if (mode === 'white-balance' && channel === 0) continue;
    let ratio = 1;
    if (mode === 'full' && source.spread[channel]! > 1e-4) {
      ratio = Math.min(
        maxSpreadRatio,
        Math.max(1 / maxSpreadRatio, target.spread[channel]! / source.spread[channel]!),
      );
    }
    // x + amount × ((μt + (x − μs) × ratio) − x), as scale × x + offset.
    scale[channel] = 1 + amount * (ratio - 1);
    offset[channel] = amount * (target.mean[channel]! - source.mean[channel]! * ratio);
  }
  return { scale, offset };
}

/** The transfer sampled on a 33³ grid of sRGB colours: output sRGB (0..255, unrounded). */
function buildTable(transfer: { scale: number[]; offset: number[] }): Float32Array {
  const table = new Float32Array(nodes * nodes * nodes * 3);
  const color: OklabColor = { l: 0, a: 0, b: 0 };
  const linear = new Float64Array(3);
  const linearOfNode = Float64Array.from({ length: nodes }, (_, node) =>
    linearFromUnit(node / segments),
  );
  const { scale, offset } = transfer;
  let at = 0;
  for (let red = 0; red < nodes; red++) {
    for (let green = 0; green < nodes; green++) {
      for (let blue = 0; blue < nodes; blue++) {
        oklabFromLinear(linearOfNode[red]!, linearOfNode[green]!, linearOfNode[blue]!, color);
        color.l = color.l * scale[0]! + offset[0]!;
        color.a = color.a * scale[1]! + offset[1]!;
        color.b = color.b * scale[2]! + offset[2]!;
        linearFromOklab(color, linear);
        table[at++] = unitFromLinear(linear[0]!) * 255;
        table[at++] = unitFromLinear(linear[1]!) * 255;
        table[at++] = unitFromLinear(linear[2]!) * 255;
      }
    }
  }
  return table;
}

/**
 * Applies the table to every visible pixel (tetrahedral interpolation), in place, a 32-bit word
 * per pixel read as little-endian (big-endian machines swap the bytes around it).
 */
function applyTable(table: Float32Array, data: Uint8ClampedArray): void {
  const strideBlue = 3;
  const strideGreen = nodes * 3;
  const strideRed = nodes * nodes * 3;
  const last = strideRed + strideGreen + strideBlue;
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
  if (!littleEndian) swapBytes(words);
  let previous = -1;
  let colour = 0;
  const length = words.length;
  for (let index = 0; index < length; index++) {
    const word = words[index]!;
    // Little-endian words: red is the low byte, alpha the high one.
    if (word >>> 24 === 0) continue;
    const key = word & 0xffffff;
    if (key !== previous) {
      previous = key;
      const red = word & 0xff;
      const green = (word >>> 8) & 0xff;
      const blue = (word >>> 16) & 0xff;
      const fr = fractionOfByte[red]!;
      const fg = fractionOfByte[green]!;
      const fb = fractionOfByte[blue]!;
      const c0 =
        nodeOfByte[red]! * strideRed + nodeOfByte[green]! * strideGreen + nodeOfByte[blue]! * 3;
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
      // Barycentric weights of the corners: 1 − w0, w0 − w1, w1 − w2, w2 (all ≥ 0, sum 1).
      const k0 = 1 - w0;
      const k1 = w0 - w1;
      const k2 = w1 - w2;
      // Table values are within 0..255 and the weights convex, so `+ 0.5 | 0` rounds in range.
      const outRed =
        (k0 * table[c0]! + k1 * table[c1]! + k2 * table[c2]! + w2 * table[c3]! + 0.5) | 0;
      const outGreen =
        (k0 * table[c0 + 1]! +
          k1 * table[c1 + 1]! +
          k2 * table[c2 + 1]! +
          w2 * table[c3 + 1]! +
          0.5) |
        0;
      const outBlue =
        (k0 * table[c0 + 2]! +
          k1 * table[c1 + 2]! +
          k2 * table[c2 + 2]! +
          w2 * table[c3 + 2]! +
          0.5) |
        0;
      colour = outRed | (outGreen << 8) | (outBlue << 16);
    }
    words[index] = ((word & 0xff000000) | colour) >>> 0;
  }
  if (!littleEndian) swapBytes(words);
}

/** Reverses the bytes of every word. */
function swapBytes(words: Uint32Array): void {
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    words[index] =
      ((word >>> 24) | ((word >>> 8) & 0xff00) | ((word << 8) & 0xff0000) | (word << 24)) >>> 0;
  }
}

function isStatistics(value: unknown): value is ColorStatistics {
  if (typeof value !== 'object' || value === null) return false;
  const { mean, spread } = value as Partial<ColorStatistics>;
  const triple = (list: unknown) =>
    Array.isArray(list) && list.length === 3 && list.every((entry) => Number.isFinite(entry));
  return triple(mean) && triple(spread);
}

/**
 * Colour harmony for one layer: moves its alpha-weighted Oklab statistics towards a target's.
 * In `full` mode each channel (lightness, `a`, `b`) is mapped affinely so that its mean and
 * spread become the target's (the spread ratio is held to ¼…4); in `white-balance` mode only the
 * means of `a` and `b` move (a grey-world white balance towards the target's cast). `amount`
 * interpolates: at 0.5 the mean lands halfway. Alpha is kept; transparent pixels are untouched.
 *
 * The map is sampled once on a 33³ grid of sRGB colours and applied to every pixel by
 * tetrahedral interpolation, so the cost per pixel is a few table reads whatever the transfer.
 * Deterministic: the same inputs give the same bytes.
 *
 * @example
 * ```ts
 * const matched = harmonizeRaster(hero, { target: colorStatistics(scene), amount: 0.6 });
 * ```
 *
 * @param raster - the layer (straight alpha); it is not modified.
 * @param options - `target`, `source?`, `amount?`, `mode?`.
 * @returns a new raster.
 * @throws {ValidationError} when the raster or an option is malformed.
 */
export function harmonizeRaster(raster: Raster, options: HarmonizeRasterOptions): Raster {
  assertRaster(raster, ['raster']);
  if (typeof options !== 'object' || options === null || !isStatistics(options.target)) {
    throw ValidationError.field(
      ['target'],
      `Expected \`target\` to be colour statistics \`{ mean, spread, weight }\`, got ${describeValue(options?.target)}`,
      subject,
    );
  }
  const amount = options.amount ?? 1;
  if (typeof amount !== 'number' || !(amount >= 0 && amount <= 1)) {
    throw ValidationError.field(
      ['amount'],
      `Expected \`amount\` to be a number from 0 to 1, got ${describeValue(amount)}`,
      subject,
    );
  }
  const mode = options.mode ?? 'full';
  if (mode !== 'full' && mode !== 'white-balance') {
    throw ValidationError.field(
      ['mode'],
      `Expected \`mode\` to be "full" or "white-balance", got ${describeValue(mode)}`,
      subject,
    );
  }
  const output = new Uint8ClampedArray(raster.data);
  const result = { width: raster.width, height: raster.height, data: output };
  const source = options.source ?? colorStatistics(raster);
  if (amount === 0 || source.weight === 0 || options.target.weight === 0) return result;
  applyTable(buildTable(transferOf(source, options.target, amount, mode)), output);
  return result;
}
