import { applyHarmonyTable } from './apply-harmony-table.js';
import { accumulateHistogram } from './color-statistics.js';
import { fillHarmonyTable } from './harmony-table.js';
import { applyHarmonyTableWasm } from './wasm/apply-harmony-table-wasm.js';
import type { HarmonyKernel } from './wasm/harmony-kernel-module.js';

/** A band of rows of one raster for a harmony worker: a histogram or the table pass. */
export interface HarmonyBandTask {
  /**
   * `histogram`: add the band's sampled pixels to `bins`; `build`: fill red planes `rowStart` to
   * `rowEnd` of `table`; `table`: apply `table` to the band's rows in place.
   */
  readonly kind: 'histogram' | 'build' | 'table';
  /** RGBA bytes of the whole raster (`build`: the table's bytes), in shared memory. */
  readonly data: Uint8ClampedArray;
  /** Pixels per row. */
  readonly width: number;
  /** First row of the band. */
  readonly rowStart: number;
  /** Row after the band. */
  readonly rowEnd: number;
  /** `histogram`: the sampling grid's step. */
  readonly step: number;
  /** `histogram`: the running thread's histogram, in shared memory. */
  readonly bins: Float64Array | null;
  /** `build` and `table`: the colour table, in shared memory. */
  readonly table: Uint16Array | null;
  /** `build`: the grid's Oklab colours (`harmonyGrid`), in shared memory. */
  readonly grid?: Float64Array;
  /** `build`: scale of L, a, b, then offset of L, a, b. */
  readonly transfer?: readonly number[];
  /**
   * `table`: the bytes to read instead of `data`'s own (the original raster, on the calling
   * thread, whose rows were not copied into `data`), or `null`/absent to work in place.
   */
  readonly source?: Uint8ClampedArray | null;
  /** Byte order of the machine. */
  readonly littleEndian: boolean;
  /**
   * `table`: the WebAssembly kernel to run the pass with (a worker sets its own), or `null` for
   * the JavaScript loop. Both give the same bytes.
   */
  readonly wasm?: HarmonyKernel | null;
}

/**
 * Runs one {@link HarmonyBandTask}: the entry of the harmony workers, and what the calling
 * thread runs for the bands it keeps, so that both give the same bytes.
 *
 * @param task - the band.
 */
export function harmonyBand(task: HarmonyBandTask): void {
  const { data, width, rowStart, rowEnd } = task;
  if (task.kind === 'histogram') {
    accumulateHistogram(data, width, rowStart, rowEnd, task.step, task.bins as Float64Array);
    return;
  }
  if (task.kind === 'build') {
    fillHarmonyTable(
      task.grid as Float64Array,
      task.table as Uint16Array,
      task.transfer as number[],
      rowStart,
      rowEnd,
    );
    return;
  }
  const source = task.source || data;
  if (task.wasm) {
    applyHarmonyTableWasm(
      task.wasm,
      task.table as Uint16Array,
      source,
      data,
      rowStart * width,
      rowEnd * width,
    );
    return;
  }
  if (source !== data) {
    data.set(source.subarray(rowStart * width * 4, rowEnd * width * 4), rowStart * width * 4);
  }
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
  applyHarmonyTable(
    task.table as Uint16Array,
    words,
    rowStart * width,
    rowEnd * width,
    task.littleEndian,
  );
}
