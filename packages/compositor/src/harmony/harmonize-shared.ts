import type { HarmonyMode } from '@layerloom/core';
import { littleEndian } from '../blend/little-endian.js';
import type { Raster } from '../raster.js';
import {
  accumulateHistogram,
  type ColorStatistics,
  emptyHistogram,
  histogramStatistics,
  statisticsStep,
} from './color-statistics.js';
import { applyHarmonyTableHere } from './harmonize-raster.js';
import {
  buildHarmonyTable,
  harmonyGrid,
  harmonyTableNodes,
  harmonyTransfer,
} from './harmony-table.js';
import { shareHarmonyBands } from './share-harmony-bands.js';
import { harmonyKernel } from './wasm/harmony-kernel-module.js';

/** Whether a raster's bytes are in shared memory, where worker threads can read them. */
export function isShared(raster: Raster): boolean {
  return raster.data.buffer instanceof SharedArrayBuffer;
}

/**
 * {@link colorStatistics} of a raster in shared memory, its rows shared by `threads` threads:
 * each thread fills a histogram of its own, and the histograms are added up (sums of integers,
 * exact), so the numbers are the same as on one thread.
 *
 * @param raster - the raster, its bytes in shared memory.
 * @param threads - threads to share the rows across (at least 2).
 * @returns its statistics.
 */
export async function sharedColorStatistics(
  raster: Raster,
  threads: number,
): Promise<ColorStatistics> {
  const { width, height, data } = raster;
  const step = statisticsStep(width, height);
  const histograms = Array.from({ length: threads }, () => emptyHistogram(true));
  const shared = await shareHarmonyBands(threads, height, (rowStart, rowEnd, thread) => ({
    kind: 'histogram',
    data,
    width,
    rowStart,
    rowEnd,
    step,
    bins: histograms[thread]!,
    table: null,
    littleEndian,
  }));
  if (shared) return histogramStatistics(histograms, step);
  const bins = emptyHistogram();
  accumulateHistogram(data, width, 0, height, step, bins);
  return histogramStatistics([bins], step);
}

/**
 * {@link harmonizeRaster} of `original` into `output` (shared memory), its rows shared by
 * `threads` threads: the same bytes as on one thread, since the table pass is integer
 * arithmetic pixel by pixel. The rows of a worker's bands are copied into `output` as they are
 * sent (the worker then works in place); the calling thread reads its bands from `original`.
 *
 * @param original - the layer.
 * @param output - shared memory of its size, for the result.
 * @param transfer - the statistics and the options, checked.
 * @param threads - threads to share the rows across (at least 2).
 */
export async function harmonizeShared(
  original: Raster,
  output: Raster,
  transfer: {
    readonly source: ColorStatistics;
    readonly target: ColorStatistics;
    readonly amount: number;
    readonly mode: HarmonyMode;
  },
  threads: number,
): Promise<void> {
  const { source, target, amount, mode } = transfer;
  if (amount === 0 || source.weight === 0 || target.weight === 0) {
    output.data.set(original.data);
    return;
  }
  const { scale, offset } = harmonyTransfer(source, target, amount, mode);
  const grid = harmonyGrid();
  const table = new Uint16Array(new SharedArrayBuffer(harmonyTableNodes ** 3 * 8));
  const tableBytes = new Uint8ClampedArray(table.buffer);
  // The table's red planes, shared like rows (each node is computed alone: the same numbers).
  const built = await shareHarmonyBands(threads, harmonyTableNodes, (rowStart, rowEnd) => ({
    kind: 'build',
    data: tableBytes,
    width: 0,
    rowStart,
    rowEnd,
    step: 1,
    bins: null,
    table,
    grid,
    transfer: [...scale, ...offset],
    littleEndian,
  }));
  if (!built) table.set(buildHarmonyTable({ scale, offset }));
  const { width, height, data } = output;
  const shared = await shareHarmonyBands(threads, height, (rowStart, rowEnd, thread) => {
    if (thread !== 0) {
      data.set(
        original.data.subarray(rowStart * width * 4, rowEnd * width * 4),
        rowStart * width * 4,
      );
    }
    return {
      kind: 'table',
      data,
      width,
      rowStart,
      rowEnd,
      step: 1,
      bins: null,
      table,
      littleEndian,
      source: thread === 0 ? original.data : null,
      // Workers use their own instance of the kernel.
      wasm: thread === 0 ? harmonyKernel() : null,
    };
  });
  if (shared) return;
  applyHarmonyTableHere(table, original.data, data);
}
