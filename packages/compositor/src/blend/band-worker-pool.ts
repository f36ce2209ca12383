import { Worker } from 'node:worker_threads';
import type { BandInput } from './band-input.js';
import { compositeBand, compositeBandSource } from './composite-band.js';

/**
 * Source of a worker that runs {@link compositeBand}. The worker is built from the kernel's
 * source text rather than from a file, so it runs the same from the TypeScript sources (under
 * vitest or tsx), from the ESM build and from the CommonJS build: there is no worker file to
 * locate next to a bundle, and no loader is needed. (A bundler may rename the functions; their
 * source text and `name` agree whatever it does.)
 *
 * @param kernel - the kernel's source text.
 * @param entry - the name of the kernel function in `kernel`.
 */
export function bandWorkerSource(
  kernel: string = compositeBandSource(),
  entry: string = compositeBand.name,
): string {
  return `'use strict';
const { parentPort } = require('node:worker_threads');
${kernel}
parentPort.on('message', (message) => {
  const task = message.task;
  try {
    const output = new Uint8ClampedArray((task.rowEnd - task.rowStart) * task.width * 4);
    task.output = output;
    task.outputRow = task.rowStart;
    ${entry}(task);
    if (message.progress) Atomics.add(message.progress, 0, 1);
    parentPort.postMessage({ id: message.id, output }, [output.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error && error.stack || error) });
  }
});
`;
}

interface Pending {
  readonly resolve: (output: Uint8ClampedArray) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

interface Reply {
  readonly id: number;
  readonly output?: Uint8ClampedArray;
  readonly error?: string;
}

/**
 * Worker threads that composite bands. Workers start on first use, are kept for later calls,
 * and do not keep the process alive while idle. A worker that fails to start or dies rejects
 * its bands (the caller then composites them itself); after a failure before its first answer
 * the pool stops offering workers at all.
 */
export class BandWorkerPool {
  readonly #source: string;
  readonly #slots: (Slot | undefined)[] = [];
  #nextId = 0;
  #broken = false;

  /** @param source - the worker's source, {@link bandWorkerSource} by default. */
  constructor(source: string = bandWorkerSource()) {
    this.#source = source;
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
   * @param progress - a shared counter the worker increments (with `Atomics.add`) as soon as
   *   the band is done, so the calling thread can see its progress without an event-loop turn.
   * @returns the band's RGBA bytes.
   */
  run(index: number, input: BandInput, progress?: Int32Array): Promise<Uint8ClampedArray> {
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
      slot.worker.postMessage({ id, task: input.task, progress }, input.transfer);
    });
  }

  /** Stops every worker; later calls start new ones. */
  async close(): Promise<void> {
    const slots = this.#slots.splice(0);
    await Promise.all(slots.map((slot) => slot?.worker.terminate()));
  }

  #slot(index: number): Slot {
    const existing = this.#slots[index];
    if (existing) return existing;
    const worker = new Worker(this.#source, { eval: true, execArgv: [] });
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
