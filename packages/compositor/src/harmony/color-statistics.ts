import { describeValue, parseCssColor, ValidationError } from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import { linearFromUnit, type OklabColor, oklabFromLinear, oklabFromSrgb } from '../matte/oklab.js';
import type { Raster } from '../raster.js';

/** Colour statistics in Oklab: the alpha-weighted mean and spread of each channel. */
export interface ColorStatistics {
  /** Mean lightness, `a` and `b`. */
  readonly mean: readonly [number, number, number];
  /** Standard deviation of lightness, `a` and `b`. */
  readonly spread: readonly [number, number, number];
  /** Total weight: the sum of alpha / 255 (or the number of palette colours). */
  readonly weight: number;
}

/** Bins of the histogram the statistics are read from: 5 bits per channel, 32³ of them. */
const binCount = 1 << 15;
/** Most pixels read: larger rasters are sampled on a regular grid (every 2nd row and column…). */
const maxSamples = 1 << 18;

/**
 * The step of the regular grid {@link colorStatistics} reads a raster on: every `step`-th row
 * and column.
 *
 * @param width - the raster's width.
 * @param height - the raster's height.
 * @returns the step, 1 for rasters of at most 2¹⁸ pixels.
 */
export function statisticsStep(width: number, height: number): number {
  return Math.max(1, Math.ceil(Math.sqrt((width * height) / maxSamples)));
}

/**
 * An empty histogram for {@link accumulateHistogram}: per bin, the summed alpha and the
 * alpha-weighted sums of red, green and blue.
 *
 * @param shared - in shared memory, for worker threads.
 */
export function emptyHistogram(shared = false): Float64Array {
  const bytes = binCount * 4 * 8;
  return new Float64Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/**
 * Adds the pixels of rows `rowStart` to `rowEnd` (exclusive) that fall on the sampling grid
 * (every `step`-th row from row 0, every `step`-th column) to `bins`. Every sum is of integers
 * below 2⁵³, so exact: histograms of separate bands add up to the same numbers in any order.
 *
 * Worker threads run it from its source text, so it references nothing but its arguments.
 *
 * @param data - RGBA bytes of whole rows, straight alpha.
 * @param width - pixels per row.
 * @param rowStart - first row of the band.
 * @param rowEnd - row after the band.
 * @param step - the grid's step, {@link statisticsStep}.
 * @param bins - the histogram, {@link emptyHistogram}.
 */
export function accumulateHistogram(
  data: Uint8ClampedArray,
  width: number,
  rowStart: number,
  rowEnd: number,
  step: number,
  bins: Float64Array,
): void {
  const first = Math.ceil(rowStart / step) * step;
  for (let y = first; y < rowEnd; y += step) {
    const end = (y + 1) * width * 4;
    for (let index = y * width * 4; index < end; index += 4 * step) {
      const alpha = data[index + 3]!;
      if (alpha === 0) continue;
      const red = data[index]!;
      const green = data[index + 1]!;
      const blue = data[index + 2]!;
      const bin = (((red >> 3) << 10) | ((green >> 3) << 5) | (blue >> 3)) * 4;
      bins[bin] = bins[bin]! + alpha;
      bins[bin + 1] = bins[bin + 1]! + alpha * red;
      bins[bin + 2] = bins[bin + 2]! + alpha * green;
      bins[bin + 3] = bins[bin + 3]! + alpha * blue;
    }
  }
}

/**
 * The statistics of a filled histogram.
 *
 * @param histograms - one or more histograms of {@link accumulateHistogram} (of separate bands
 *   of one raster), added up.
 * @param step - the sampling grid's step they were filled with.
 */
export function histogramStatistics(
  histograms: readonly Float64Array[],
  step: number,
): ColorStatistics {
  const colors: number[] = [];
  const binWeights: number[] = [];
  const color: OklabColor = { l: 0, a: 0, b: 0 };
  const scale = step * step;
  // Added up into a fresh array (exact: sums of integers), then read bin by bin.
  const sums = histograms.length === 1 ? histograms[0]! : new Float64Array(binCount * 4);
  if (histograms.length > 1) {
    for (const bins of histograms) {
      for (let at = 0; at < sums.length; at++) sums[at] = sums[at]! + bins[at]!;
    }
  }
  for (let bin = 0; bin < binCount * 4; bin += 4) {
    const weight = sums[bin]!;
    if (weight === 0) continue;
    oklabFromLinear(
      linearFromUnit(sums[bin + 1]! / weight / 255),
      linearFromUnit(sums[bin + 2]! / weight / 255),
      linearFromUnit(sums[bin + 3]! / weight / 255),
      color,
    );
    colors.push(color.l, color.a, color.b);
    binWeights.push((weight / 255) * scale);
  }
  return weightedStatistics(colors, binWeights);
}

/** The calling thread's histogram for {@link colorStatistics}, zeroed, when not in use. */
let scratch: Float64Array | undefined;

/**
 * The alpha-weighted Oklab mean and spread of a raster's colours; transparent pixels do not
 * count, a half-transparent one counts half.
 *
 * One pass over the pixels (over at most 2¹⁸ of them, 512²: a larger raster is read on a regular
 * grid of every n-th row and column) fills a histogram of 32³ colour bins, each holding the weighted
 * mean colour of its pixels; the statistics are then computed from the bins (at most 32768 Oklab
 * conversions, whatever the raster's size). A bin spans 8 levels per channel and is represented
 * by its exact mean colour, so the mean is off only by the curvature of the sRGB-to-Oklab map
 * inside a bin (well under 0.001 in Oklab units); the spread leaves out the variance inside
 * each bin (at most about 0.005). Exact and deterministic: the same pixels give the same numbers.
 *
 * @param raster - the layer, straight alpha.
 * @returns its statistics; a fully transparent raster has weight 0, mean and spread 0.
 * @throws {ValidationError} when `raster` is malformed.
 */
export function colorStatistics(raster: Raster): ColorStatistics {
  assertRaster(raster, ['raster']);
  const { width, height, data } = raster;
  const step = statisticsStep(width, height);
  // A histogram reused from call to call (1 MiB: new memory would cost more than the sampling).
  const bins = scratch ?? emptyHistogram();
  scratch = undefined;
  accumulateHistogram(data, width, 0, height, step, bins);
  const statistics = histogramStatistics([bins], step);
  bins.fill(0);
  scratch = bins;
  return statistics;
}

/**
 * The Oklab mean and spread of a palette, each colour counting once.
 *
 * @param palette - one or more CSS colours (alpha is ignored).
 * @returns its statistics.
 * @throws {ValidationError} when the palette is empty or a colour is not a CSS colour.
 */
export function paletteStatistics(palette: readonly string[]): ColorStatistics {
  if (!Array.isArray(palette) || palette.length === 0) {
    throw ValidationError.field(
      ['palette'],
      `Expected \`palette\` to be a non-empty array of CSS colours, got ${describeValue(palette)}`,
      'palette',
    );
  }
  const colors: number[] = [];
  const color: OklabColor = { l: 0, a: 0, b: 0 };
  palette.forEach((text, index) => {
    const parsed = typeof text === 'string' ? parseCssColor(text) : undefined;
    if (parsed === undefined) {
      throw ValidationError.field(
        ['palette', index],
        `Expected \`palette[${index}]\` to be a CSS colour, got ${describeValue(text)}`,
        'palette',
      );
    }
    oklabFromSrgb(parsed.r, parsed.g, parsed.b, color);
    colors.push(color.l, color.a, color.b);
  });
  return weightedStatistics(
    colors,
    palette.map(() => 1),
  );
}

/** Mean and standard deviation of Oklab triples (`colors`, flat) with `weights`. */
function weightedStatistics(
  colors: readonly number[],
  weights: readonly number[],
): ColorStatistics {
  let total = 0;
  const sums = [0, 0, 0];
  for (let index = 0; index < weights.length; index++) {
    const weight = weights[index]!;
    total += weight;
    for (let channel = 0; channel < 3; channel++) {
      sums[channel] = sums[channel]! + weight * colors[3 * index + channel]!;
    }
  }
  if (total === 0) return { mean: [0, 0, 0], spread: [0, 0, 0], weight: 0 };
  const mean = sums.map((sum) => sum / total) as [number, number, number];
  const squares = [0, 0, 0];
  for (let index = 0; index < weights.length; index++) {
    for (let channel = 0; channel < 3; channel++) {
      const deviation = colors[3 * index + channel]! - mean[channel]!;
      squares[channel] = squares[channel]! + weights[index]! * deviation * deviation;
    }
  }
  const spread = squares.map((square) => Math.sqrt(square / total)) as [number, number, number];
  return { mean, spread, weight: total };
}
