import { AbortError } from '@layerloom/core';
import type { Raster } from '../raster.js';
import { bandInput } from './band-input.js';
import type { BandWorkerPool } from './band-worker-pool.js';
import { compositeBand } from './composite-band.js';
import { usesFloat32Path, usesWasmKernel } from './kernel-path.js';
import { littleEndian } from './little-endian.js';
import { planBands, type RowRange, rowCosts } from './plan-bands.js';
import type { PreparedComposite } from './prepare-composite.js';
import { callerWasmKernel } from './wasm/composite-kernel-module.js';

/** How a prepared composite is shared across threads. */
export interface ParallelPlan {
  /** Threads, the calling one included. */
  readonly threads: number;
  /** Least estimated work (pixels read) worth handing to workers. */
  readonly threshold: number;
  /**
   * Ignored: the split adapts to each thread's progress (see {@link compositePrepared}). Kept so
   * that older callers still type-check.
   */
  readonly callerShare?: number;
  /** The workers. */
  readonly pool: BandWorkerPool;
  /** Aborts the wait for the workers. */
  readonly signal: AbortSignal | undefined;
  /**
   * Where the result goes: `width × height × 4` bytes on a `SharedArrayBuffer`, on a 4-byte
   * boundary, sharing no memory with the inputs (checked by the caller); every byte is
   * written. New memory when absent. When it is given, an aborted composite rejects only once
   * no worker writes into it any more.
   */
  readonly output?: Uint8ClampedArray;
}

function compositeRange(
  composite: PreparedComposite,
  range: RowRange,
  output: Uint8ClampedArray,
  wasm: boolean,
): void {
  compositeBand({
    ...bandInput(composite, range, false).task,
    output,
    outputRow: 0,
    wasm: wasm ? callerWasmKernel() : null,
    wasmFloat32: usesFloat32Path(),
  });
}

/**
 * RGBA bytes for a `width × height` result in shared memory, which worker threads write into
 * directly.
 */
function sharedRaster(width: number, height: number): Uint8ClampedArray {
  return new Uint8ClampedArray(new SharedArrayBuffer(width * height * 4));
}

/**
 * Composites a validated composite on the calling thread.
 *
 * @param composite - the validated composite.
 * @param shared - put the result in a `SharedArrayBuffer` (as {@link compositePrepared} does)
 *   instead of an `ArrayBuffer`.
 * @param into - where to write the result (`width × height × 4` bytes, every one written)
 *   instead of new memory.
 */
export function compositePreparedSync(
  composite: PreparedComposite,
  shared = false,
  into?: Uint8ClampedArray,
): Raster {
  const { width, height } = composite;
  const output =
    into ?? (shared ? sharedRaster(width, height) : new Uint8ClampedArray(width * height * 4));
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
      wasm: usesWasmKernel() ? callerWasmKernel() : null,
      wasmFloat32: usesFloat32Path(),
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

/** Bands sent ahead to each worker, so that it never waits for the calling thread. */
const lookahead = 4;

/** Most bands per thread: enough to balance the load whatever the bands really cost. */
const maxBandsPerThread = 12;

/** Least estimated work (pixels read) of a band, so that its message and copy cost little. */
const minBandCost = 400_000;

/**
 * Composites a validated composite, sharing bands of rows with worker threads when the work is
 * large enough. The canvas is cut into many bands of equal estimated cost; the workers take
 * them from the top and the calling thread from the bottom, until they meet. The calling thread
 * copies each worker band's rows just before sending it and keeps every worker
 * {@link lookahead} bands ahead (a shared counter tells it how many each has finished), so the
 * copies overlap the workers' compositing and the split adapts to what each band really costs
 * (occlusion makes the estimate rough). When no band is left to send, the calling thread takes
 * back the bands still queued at a worker (each band is claimed with a compare-and-swap, so
 * exactly one thread composites it) instead of waiting for them. The result is in shared memory
 * that the workers write into directly. A band whose worker fails is composited on the calling
 * thread instead.
 *
 * @returns the result, its bytes on a `SharedArrayBuffer` (also when all the work stays on the
 *   calling thread, so callers see one kind of buffer).
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
    return compositePreparedSync(composite, true, plan.output);
  }

  const perThread = Math.max(
    1,
    Math.min(maxBandsPerThread, Math.floor(total / (threads * minBandCost))),
  );
  const bandCount = Math.min(height, threads * perThread);
  const bands = planBands(costs, new Array<number>(bandCount).fill(1)).filter(
    (band) => band.rowStart < band.rowEnd,
  );
  const output = plan.output ?? sharedRaster(width, height);
  const wasm = usesWasmKernel();
  const rowBytes = width * 4;
  const signal = plan.signal;
  const workers = threads - 1;
  const progress = new Int32Array(new SharedArrayBuffer(4 * workers));
  // Who composites each band: 0 nobody yet, 1 its worker, 2 the calling thread.
  const claims = new Int32Array(new SharedArrayBuffer(4 * bands.length));
  const sent = new Int32Array(workers);
  const arenas = Array.from({ length: workers }, (_, worker) => plan.pool.claimArena(worker));
  const jobs: Promise<void>[] = [];
  let next = 0;
  let last = bands.length - 1;
  const send = (worker: number) => {
    const index = next++;
    const band = bands[index]!;
    // The worker writes its rows straight into the output, which is shared memory.
    const rows = output.subarray(band.rowStart * rowBytes, band.rowEnd * rowBytes);
    const counter = progress.subarray(worker, worker + 1);
    // A worker has at most `lookahead` bands in flight, so the slot of the band sent
    // `lookahead + 1` bands before this one is free.
    const arena = arenas[worker]!;
    const copied = bandInput(composite, band, true, {
      arena,
      slot: sent[worker]! % (lookahead + 1),
    });
    const input = { ...copied, task: { ...copied.task, wasmFloat32: usesFloat32Path() } };
    sent[worker]!++;
    const run = plan.pool.run(worker, input, {
      progress: counter,
      wasm,
      output: rows,
      claim: { claims, band: index },
    });
    jobs.push(
      run.then(
        () => {},
        () => {
          // Unless the calling thread took the band back already (or the composite is aborted).
          if (signal?.aborted || Atomics.compareExchange(claims, index, 0, 2) === 2) return;
          compositeRange(composite, band, output, wasm);
        },
      ),
    );
  };
  while (next <= last) {
    // Every worker one band ahead first, then more while bands remain for every thread.
    for (let ahead = 1; ahead <= lookahead; ahead++) {
      for (let worker = 0; worker < workers && next <= last; worker++) {
        if (ahead > 1 && last - next + 1 < threads) break;
        if (sent[worker]! - Atomics.load(progress, worker) < ahead) send(worker);
      }
    }
    if (next <= last) compositeRange(composite, bands[last--]!, output, wasm);
    if (signal?.aborted) break;
  }
  // Every band is sent or done. The bands still waiting in a worker's queue are taken back,
  // newest first (a worker runs its bands in order, so it reaches those last): the calling
  // thread would otherwise wait idle while the workers finish up to `lookahead` bands each.
  for (let index = next - 1; index >= 0 && !signal?.aborted; index--) {
    if (Atomics.compareExchange(claims, index, 0, 2) === 0) {
      compositeRange(composite, bands[index]!, output, wasm);
    }
  }

  const release = () => {
    arenas.forEach((arena, worker) => {
      plan.pool.releaseArena(worker, arena);
    });
  };
  if (signal === undefined) {
    await Promise.all(jobs);
    release();
  } else {
    const aborted = whenAborted(signal);
    try {
      if (signal.aborted) throw AbortError.fromSignal(signal, 'The composite');
      await Promise.race([Promise.all(jobs), aborted.promise]);
      // Only when every band is done: an aborted composite may leave bands running, which
      // still read their arena.
      release();
    } catch (error) {
      if (plan.output !== undefined) {
        // The caller's memory is theirs again once the promise settles: the bands still queued
        // are claimed (their workers skip them) and those running are waited for, so that no
        // worker writes into it afterwards.
        for (let index = 0; index < next; index++) Atomics.compareExchange(claims, index, 0, 2);
        await Promise.all(jobs);
        release();
      }
      throw error;
    } finally {
      aborted.dispose();
    }
  }
  return { width, height, data: output };
}
