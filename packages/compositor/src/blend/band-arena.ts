/**
 * Shared memory reused from one band (and one composite) to the next, for the rows a worker
 * thread reads. Copying a band's rows into fresh buffers costs mostly the page faults of the
 * new memory (about four times the copy itself); memory that is reused costs only the copy. Being shared, the views are not copied again by `postMessage`.
 */
export class BandArena {
  readonly #inputs: (SharedArrayBuffer | undefined)[] = [];

  /**
   * Bytes for the inputs of one band in slot `slot`: the buffer is reused by later bands in the
   * same slot, so a slot must not be reused before the worker has finished the band in it.
   *
   * @param slot - the slot, 0-based.
   * @param bytes - bytes needed.
   */
  input(slot: number, bytes: number): Uint8Array {
    let buffer = this.#inputs[slot];
    if (buffer === undefined || buffer.byteLength < bytes) {
      buffer = new SharedArrayBuffer(bytes);
      this.#inputs[slot] = buffer;
    }
    return new Uint8Array(buffer, 0, bytes);
  }
}
