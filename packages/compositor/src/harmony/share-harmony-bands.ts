import type { BandInput } from '../blend/band-input.js';
import { BandWorkerPool, bandWorkerSource } from '../blend/band-worker-pool.js';
import { type HarmonyBandTask, harmonyBand } from './harmony-band.js';
import { harmonyBandEntry, harmonyBandSource } from './harmony-band-source.js';
import { harmonyKernelModule } from './wasm/harmony-kernel-module.js';

/** Bands each thread gets, so that a thread slowed down elsewhere leaves some to the others. */
const bandsPerThread = 8;

let pool: BandWorkerPool | undefined;

/**
 * The worker threads of the harmony stage: the compositor's band worker pool (same start-up,
 * claims, progress and failure handling) running {@link harmonyBand} instead of the composite
 * kernel, with the harmony WebAssembly kernel (`harmony-kernel.wat`) when there is one. Started on first use; idle workers do not keep the
 * process alive.
 *
 * @returns the pool.
 */
export function harmonyWorkerPool(): BandWorkerPool {
  pool ??= new BandWorkerPool(
    bandWorkerSource(harmonyBandSource(), harmonyBandEntry()),
    harmonyKernelModule,
  );
  return pool;
}

/**
 * Runs {@link harmonyBand} over every row of a raster in shared memory, in bands shared by
 * `threads` threads, the calling one included. Each worker is sent its bands in order; the
 * calling thread runs its own, then takes back (by compare-and-swap on a claim per band, as the
 * composite does) the bands no worker has started yet, last first. Every band is run once, by
 * whichever thread claimed it.
 *
 * @param threads - threads to share the rows across (at least 2).
 * @param height - rows of the raster.
 * @param taskOf - the task of rows `rowStart` to `rowEnd` when run by thread `thread` (0 for
 *   the calling thread, 1… for the workers): its `data`, `bins` and `table` in shared memory.
 * @returns false when a worker failed in a band it had claimed (the caller then redoes the
 *   work on the calling thread), else true.
 */
export async function shareHarmonyBands(
  threads: number,
  height: number,
  taskOf: (rowStart: number, rowEnd: number, thread: number) => HarmonyBandTask,
): Promise<boolean> {
  const workers = harmonyWorkerPool();
  const bandCount = Math.min(height, threads * bandsPerThread);
  const rowOf = (band: number) => Math.floor((band * height) / bandCount);
  const ownerOf = (band: number) => Math.floor((band * threads) / bandCount);
  const claims = new Int32Array(new SharedArrayBuffer(4 * bandCount));
  let failed = false;
  const replies: Promise<unknown>[] = [];
  for (let band = 0; band < bandCount; band++) {
    const owner = ownerOf(band);
    if (owner === 0 || !workers.available) continue;
    const task = taskOf(rowOf(band), rowOf(band + 1), owner);
    // The pool's message carries any task; its `output` is the shared data, so the worker
    // allocates nothing and the reply copies nothing.
    const input = { task, transfer: [] } as unknown as BandInput;
    replies.push(
      workers
        .run(owner - 1, input, { output: task.data, claim: { claims, band }, wasm: true })
        .catch(() => {
          // A band the worker never claimed is run here below; one it claimed may be half done.
          if (Atomics.load(claims, band) === 1) failed = true;
        }),
    );
  }
  const runHere = (band: number) => {
    if (Atomics.compareExchange(claims, band, 0, 2) === 0) {
      harmonyBand(taskOf(rowOf(band), rowOf(band + 1), 0));
    }
  };
  for (let band = 0; band < bandCount && ownerOf(band) === 0; band++) runHere(band);
  for (let band = bandCount - 1; band >= 0; band--) runHere(band);
  await Promise.all(replies);
  return !failed;
}
