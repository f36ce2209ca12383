import { describeValue, type HarmonyMode, ValidationError } from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import { littleEndian } from '../blend/little-endian.js';
import type { Raster } from '../raster.js';
import { applyHarmonyTable } from './apply-harmony-table.js';
import { type ColorStatistics, colorStatistics } from './color-statistics.js';
import { buildHarmonyTable, harmonyTransfer } from './harmony-table.js';
import { applyHarmonyTableWasm } from './wasm/apply-harmony-table-wasm.js';
import { harmonyKernel } from './wasm/harmony-kernel-module.js';

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

const subject = 'harmony options';

function isStatistics(value: unknown): value is ColorStatistics {
  if (typeof value !== 'object' || value === null) return false;
  const { mean, spread } = value as Partial<ColorStatistics>;
  const triple = (list: unknown) =>
    Array.isArray(list) && list.length === 3 && list.every((entry) => Number.isFinite(entry));
  return triple(mean) && triple(spread);
}

/**
 * The checked options of {@link harmonizeRaster}, defaults filled in.
 *
 * @param raster - the layer.
 * @param options - its options.
 * @returns `amount` and `mode`.
 * @throws {ValidationError} when the raster or an option is malformed.
 */
export function harmonyParameters(
  raster: Raster,
  options: HarmonizeRasterOptions,
): { readonly amount: number; readonly mode: HarmonyMode } {
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
  return { amount, mode };
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
  const { amount, mode } = harmonyParameters(raster, options);
  const { width, height } = raster;
  const source = options.source ?? colorStatistics(raster);
  if (amount === 0 || source.weight === 0 || options.target.weight === 0) {
    return { width, height, data: new Uint8ClampedArray(raster.data) };
  }
  const table = buildHarmonyTable(harmonyTransfer(source, options.target, amount, mode));
  const output = new Uint8ClampedArray(raster.data.length);
  applyHarmonyTableHere(table, raster.data, output);
  return { width, height, data: output };
}

/**
 * Applies a table to all of `source` into `target` on the calling thread: by the WebAssembly
 * kernel where there is one, else by the JavaScript loop (the same bytes).
 *
 * @param table - the table from {@link buildHarmonyTable}.
 * @param source - RGBA bytes to read.
 * @param target - where the results go, the same size (or `source` itself).
 */
export function applyHarmonyTableHere(
  table: Uint16Array,
  source: Uint8ClampedArray,
  target: Uint8ClampedArray,
): void {
  const kernel = harmonyKernel();
  if (kernel !== null) {
    applyHarmonyTableWasm(kernel, table, source, target, 0, source.length >> 2);
    return;
  }
  if (target !== source) target.set(source);
  const data = target;
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
  applyHarmonyTable(table, words, 0, words.length, littleEndian);
}
