import { AbortError } from '@layerloom/core';
import type { Raster } from '../raster.js';
import { bandInput } from './band-input.js';
import type { BandWorkerPool } from './band-worker-pool.js';
import { compositeBand } from './composite-band.js';
import { littleEndian } from './little-endian.js';
import { planBands, type RowRange, rowCosts } from './plan-bands.js';
import type { PreparedComposite } from './prepare-composite.js';

/** How a prepared composite is shared across threads. */
export interface ParallelPlan {
  /** Threads, the calling one included. */
  readonly threads: number;
  /** Least estimated work (pixels read) worth handing to workers. */
  readonly threshold: number;
  /** Share of the calling thread relative to one worker's (it also copies the workers' rows). */
  readonly callerShare: number;
  /** The workers. */
  readonly pool: BandWorkerPool;
  /** Aborts the wait for the workers. */
  readonly signal: AbortSignal | undefined;
}

function compositeRange(
  composite: PreparedComposite,
  range: RowRange,
  output: Uint8ClampedArray,
): void {
  compositeBand({ ...bandInput(composite, range, false).task, output, outputRow: 0 });
}

/** Composites a validated composite on the calling thread. */
export function compositePreparedSync(composite: PreparedComposite): Raster {
  const { width, height } = composite;
  const output = new Uint8ClampedArray(width * height * 4);
  if (composite.layers.length === 0) output.set(composite.base);
  else {
    compositeBand({
      width,
      rowStart: 0,
      rowEnd: height,
      base: composite.base,
      baseRow: 0,
      output,
      outputRow: 0,
      layers: composite.layers.map((layer) => ({ ...layer, dataRow: 0 })),
      littleEndian,
    });
  }
  return { width, height, data: output };
}

function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let dispose = () => {};
  const promise = new Promise<never>((_, reject) => {
    const onAbort = () => reject(AbortError.fromSignal(signal, 'The composite'));
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  return { promise, dispose };
}

/**
 * Composites a validated composite, sharing bands of rows with worker threads when the work is
 * large enough. The calling thread composites the last band itself while the workers run; a
 * band whose worker fails is composited on the calling thread instead.
 */
export async function compositePrepared(
  composite: PreparedComposite,
  plan: ParallelPlan,
): Promise<Raster> {
  const { width, height } = composite;
  const costs = rowCosts(composite);
  let total = 0;
  for (const cost of costs) total += cost;
  const threads = plan.pool.available ? Math.min(plan.threads, height) : 1;
  if (threads <= 1 || total < plan.threshold || composite.layers.length === 0) {
    return compositePreparedSync(composite);
  }

  const shares = Array.from({ length: threads }, (_, index) =>
    index === threads - 1 ? plan.callerShare : 1,
  );
  const bands = planBands(costs, shares);
  const output = new Uint8ClampedArray(width * height * 4);
  const rowBytes = width * 4;
  const signal = plan.signal;
  const jobs: Promise<void>[] = [];
  bands.slice(0, -1).forEach((band, index) => {
    if (band.rowStart >= band.rowEnd) return;
    const view = output.subarray(band.rowStart * rowBytes, band.rowEnd * rowBytes);
    jobs.push(
      plan.pool.run(index, bandInput(composite, band, true)).then(
        (bytes) => view.set(bytes),
        () => {
          if (!signal?.aborted) compositeRange(composite, band, output);
        },
      ),
    );
  });
  const own = bands.at(-1)!;
  if (own.rowStart < own.rowEnd) compositeRange(composite, own, output);

  if (signal === undefined) await Promise.all(jobs);
  else {
    const aborted = whenAborted(signal);
    try {
      if (signal.aborted) throw AbortError.fromSignal(signal, 'The composite');
      await Promise.race([Promise.all(jobs), aborted.promise]);
    } finally {
      aborted.dispose();
    }
  }
  return { width, height, data: output };
}
