import { Worker } from 'node:worker_threads';
import type { PngChunk, PngChunksJob } from '../codec/png/encode-png-chunks.js';
import { pngEncoderSource } from '../codec/png/png-encoder-source.js';
import { pngEncoderKernelModule } from '../codec/png/wasm/png-encoder-kernel-module.js';
import { BandArena } from './band-arena.js';
import type { BandInput } from './band-input.js';
import type { compositeBand } from './composite-band.js';
import { compositeBandEntry, compositeBandSource } from './composite-band-source.js';
import { compositeKernelModule } from './wasm/composite-kernel-module.js';
import { instantiateWasmKernel, type WasmModule } from './wasm/wasm-kernel.js';

/**
 * Source of a worker that runs {@link compositeBand}. The worker is built from the kernel's
 * source text rather than from a file, so it runs the same from the TypeScript sources (under
 * vitest or tsx), from the ESM build and from the CommonJS build: there is no worker file to
 * locate next to a bundle, and no loader is needed. A bundler may rename or minify the
 * functions: their source text agrees with itself whatever it does, so the entry is called by
 * the name the text declares it with ({@link compositeBandEntry}), never by a function's
 * `name`, which a bundler keeping names leaves as it was; the kernel is evaluated in a scope of
 * its own, so its names cannot clash with the worker's. The WebAssembly kernel comes compiled,
 * as `workerData.wasmModule` (a `WebAssembly.Module` is cloned to the worker), and is
 * instantiated on the first band that asks for it.
 *
 * @param kernel - the kernel's source text: function declarations.
 * @param entry - the name of the kernel function in `kernel` to run each band with.
 * @returns the worker's source, for `new Worker(source, { eval: true })`.
 */
export function bandWorkerSource(
  kernel: string = compositeBandSource(),
  entry: string = compositeBandEntry(),
): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const runBand = (() => {
${kernel}
return ${entry};
})();
const encodePngChunks = ${pngEncoderSource()};
const instantiateWasmKernel = (${instantiateWasmKernel.toString()});
const wasmModule = workerData ? workerData.wasmModule : null;
const pngEncoderModule = workerData ? workerData.pngEncoderModule : null;
let wasmKernel = null;
let pngEncoderKernel;
parentPort.on('message', (message) => {
  if (message.png) {
    try {
      if (pngEncoderKernel === undefined) {
        pngEncoderKernel = pngEncoderModule ? instantiateWasmKernel(pngEncoderModule) : null;
      }
      const chunks = encodePngChunks(message.png, zlib, pngEncoderKernel);
      parentPort.postMessage({ id: message.id, chunks }, chunks.map((chunk) => chunk.bytes.buffer));
    } catch (error) {
      parentPort.postMessage({ id: message.id, error: String(error && error.stack || error) });
    }
    return;
  }
  const task = message.task;
  // A band the calling thread has claimed (to composite it itself) is skipped.
  if (message.claims && Atomics.compareExchange(message.claims, message.band, 0, 1) !== 0) {
    if (message.progress) Atomics.add(message.progress, 0, 1);
    parentPort.postMessage({ id: message.id, skipped: true });
    return;
  }
  try {
    if (message.wasm && wasmModule) {
      if (wasmKernel === null) wasmKernel = instantiateWasmKernel(wasmModule);
      task.wasm = wasmKernel;
    }
    const shared = message.output;
    const output = shared || new Uint8ClampedArray((task.rowEnd - task.rowStart) * task.width * 4);
    task.output = output;
    task.outputRow = task.rowStart;
    runBand(task);
    if (message.progress) Atomics.add(message.progress, 0, 1);
    parentPort.postMessage({ id: message.id, output }, shared ? [] : [output.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error && error.stack || error) });
  }
});
`;
}

/** How {@link BandWorkerPool.run} runs a band. */
export interface BandRunOptions {
  /**
   * A shared counter the worker increments (with `Atomics.add`) as soon as the band is done or
   * skipped, so the calling thread can see its progress without an event-loop turn.
   */
  readonly progress?: Int32Array;
  /** Run the WebAssembly kernel's loops (when the worker has the module). */
  readonly wasm?: boolean;
  /** Shared memory for the band's RGBA bytes (else the worker allocates them). */
  readonly output?: Uint8ClampedArray;
  /**
   * Who composites the band: the worker first sets `claims[band]` from 0 to 1 with
   * `Atomics.compareExchange`, and skips the band when it is not 0 any more (the calling
   * thread took it back).
   */
  readonly claim?: { readonly claims: Int32Array; readonly band: number };
}

interface Pending {
  readonly resolve: (output: Uint8ClampedArray | PngChunk[] | null) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

interface Reply {
  readonly id: number;
  readonly output?: Uint8ClampedArray;
  readonly chunks?: PngChunk[];
  readonly skipped?: boolean;
  readonly error?: string;
}

/**
 * Worker threads that composite bands and compress PNG chunks. Workers start on first use, are kept for later calls,
 * and do not keep the process alive while idle. A worker that fails to start or dies rejects
 * its bands (the caller then composites them itself); after a failure before its first answer
 * the pool stops offering workers at all.
 */
export class BandWorkerPool {
  readonly #source: string;
  readonly #slots: (Slot | undefined)[] = [];
  readonly #arenas: (BandArena | undefined)[] = [];
  #nextId = 0;
  #broken = false;

  readonly #wasmModule: () => WasmModule | null;
  readonly #pngEncoderModule: () => WasmModule | null;

  /**
   * @param source - the worker's source, {@link bandWorkerSource} by default.
   * @param wasmModule - the compiled WebAssembly kernel given to each worker (or `null`),
   *   asked for when a worker starts; {@link compositeKernelModule} by default.
   * @param pngEncoderModule - the compiled PNG encoder kernel given to each worker (or `null`:
   *   the workers then filter PNG rows in JavaScript); {@link pngEncoderKernelModule} by default.
   */
  constructor(
    source: string = bandWorkerSource(),
    wasmModule: () => WasmModule | null = compositeKernelModule,
    pngEncoderModule: () => WasmModule | null = pngEncoderKernelModule,
  ) {
    this.#source = source;
    this.#wasmModule = wasmModule;
    this.#pngEncoderModule = pngEncoderModule;
  }

  /** Whether workers can be used (false after one failed to start). */
  get available(): boolean {
    return !this.#broken;
  }

  /**
   * Composites one band in worker number `index`, starting it when needed.
   *
   * @param index - which worker (0-based); bands sent to one worker run in order.
   * @param input - the band, with copies of its rows to transfer.
   * @param options - progress counter, kernel, output memory and claim of the band.
   * @returns the band's RGBA bytes, or `null` when the worker skipped a band claimed by
   *   another thread.
   */
  run(
    index: number,
    input: BandInput,
    options: BandRunOptions = {},
  ): Promise<Uint8ClampedArray | null> {
    const { progress, wasm = false, output, claim } = options;
    return this.#send(
      index,
      { task: input.task, progress, wasm, output, claims: claim?.claims, band: claim?.band },
      input.transfer,
    ) as Promise<Uint8ClampedArray | null>;
  }

  /**
   * Has worker number `index` take part in a PNG encode: it claims chunks of `job` from its
   * shared counter until none is left, and answers with those it compressed.
   *
   * @param index - which worker (0-based).
   * @param job - the image (in shared memory) and the settings.
   * @returns the chunks this worker compressed (maybe none).
   */
  encodePng(index: number, job: PngChunksJob): Promise<PngChunk[]> {
    return this.#send(index, { png: job }, []) as Promise<PngChunk[]>;
  }

  #send(
    index: number,
    message: Record<string, unknown>,
    transfer: ArrayBuffer[],
  ): Promise<Uint8ClampedArray | PngChunk[] | null> {
    return new Promise((resolve, reject) => {
      let slot: Slot;
      try {
        slot = this.#slot(index);
      } catch (error) {
        this.#broken = true;
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const id = this.#nextId++;
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      slot.worker.postMessage({ id, ...message }, transfer);
    });
  }

  /**
   * Shared memory reused for the bands of worker `index`, held by one composite at a time: a
   * new one when another composite holds it. Give it back with {@link releaseArena} once no
   * band of the composite is running any more.
   *
   * @param index - which worker.
   */
  claimArena(index: number): BandArena {
    const arena = this.#arenas[index];
    if (arena === undefined) return new BandArena();
    this.#arenas[index] = undefined;
    return arena;
  }

  /**
   * Gives back memory from {@link claimArena}, for later composites.
   *
   * @param index - which worker.
   * @param arena - the memory, which no band is using any more.
   */
  releaseArena(index: number, arena: BandArena): void {
    this.#arenas[index] = arena;
  }

  /** Stops every worker; later calls start new ones. */
  async close(): Promise<void> {
    const slots = this.#slots.splice(0);
    await Promise.all(slots.map((slot) => slot?.worker.terminate()));
  }

  #slot(index: number): Slot {
    const existing = this.#slots[index];
    if (existing) return existing;
    const worker = new Worker(this.#source, {
      eval: true,
      execArgv: [],
      workerData: {
        wasmModule: this.#wasmModule(),
        pngEncoderModule: this.#pngEncoderModule(),
      },
    });
    const slot: Slot = { worker, pending: new Map() };
    // A worker that fails before its first answer (say its source does not compile here)
    // would fail again: the pool then stops offering workers.
    let answered = false;
    worker.on('message', (reply: Reply) => {
      const pending = slot.pending.get(reply.id);
      if (!pending) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      answered = true;
      if (reply.output) pending.resolve(reply.output);
      else if (reply.chunks) pending.resolve(reply.chunks);
      else if (reply.skipped) pending.resolve(null);
      else pending.reject(new Error(reply.error ?? 'The compositing worker failed'));
    });
    const fail = (error: Error) => {
      if (!answered) this.#broken = true;
      if (this.#slots[index] === slot) this.#slots[index] = undefined;
      for (const pending of slot.pending.values()) pending.reject(error);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The compositing worker exited with code ${code}`)));
    worker.unref();
    this.#slots[index] = slot;
    return slot;
  }
}

/** The pool shared by every `compositeRasters` call of this process. */
export const sharedBandWorkerPool = new BandWorkerPool();
