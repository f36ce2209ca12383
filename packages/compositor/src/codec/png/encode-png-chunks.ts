import type * as zlib from 'node:zlib';
import type { filterPngRows } from './filter-png-rows.js';
import type { deflatePngChunk } from './wasm/deflate-png-chunk.js';
import type { filterPngRowsWasm } from './wasm/filter-png-rows-wasm.js';
import type { PngEncoderKernel } from './wasm/png-encoder-kernel-module.js';

/** The WebAssembly filter and checksum a thread of a PNG encode may use. */
export interface PngChunksWasm {
  /** This thread's instance of the PNG encoder kernel. */
  readonly kernel: PngEncoderKernel;
  /** {@link filterPngRowsWasm}. */
  readonly filter: typeof filterPngRowsWasm;
  /** {@link deflatePngChunk}: the fast level's deflate. */
  readonly deflate: typeof deflatePngChunk;
}

/**
 * The image and the settings shared by every thread that encodes a PNG: the rows are cut into
 * chunks of {@link PngChunksJob.chunkRows} rows, and each thread claims the next chunk from a
 * shared counter until none is left.
 */
export interface PngChunksJob {
  /** The whole image's RGBA bytes (shared memory when workers read them). */
  readonly data: Uint8Array | Uint8ClampedArray;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Rows per chunk (the last chunk may have fewer). */
  readonly chunkRows: number;
  /** Try all five filters on each row instead of None, Sub and Up. */
  readonly allFilters: boolean;
  /** zlib level, 0 to 9. */
  readonly level: number;
  /** zlib strategy (`zlib.constants.Z_*`); at level 1 chosen per chunk instead. */
  readonly strategy: number;
  /** `counter[0]` is the next chunk to claim, incremented with `Atomics.add`. */
  readonly counter: Int32Array;
  /** Stop claiming at this chunk (to redo one chunk alone). @default every chunk */
  readonly stopAt?: number;
}

/** One compressed chunk of rows. */
export interface PngChunk {
  /** Which chunk (0-based, top first). */
  readonly index: number;
  /**
   * Raw deflate blocks of the chunk's filtered rows, ending byte-aligned on an empty stored
   * block (a sync flush) — or, for the last chunk, on a final block.
   */
  readonly bytes: Uint8Array;
  /** Adler-32 of the chunk's filtered rows. */
  readonly adler: number;
  /** Length of the chunk's filtered rows. */
  readonly length: number;
}

/**
 * Claims chunks of a {@link PngChunksJob} until none is left, and filters and compresses each:
 * what every thread of a PNG encode runs, workers and the calling thread alike. A chunk's bytes
 * depend only on its rows (each is compressed from a fresh state), so they are the same
 * whichever thread claims it.
 *
 * Runs in worker threads from its source text: it references nothing but its arguments and
 * the functions it is given.
 *
 * @param job - the image, the chunking and the settings.
 * @param zlibModule - `node:zlib`.
 * @param filterRows - {@link filterPngRows}.
 * @param checksum - {@link adler32}.
 * @param wasm - the WebAssembly filter and checksum (the same bytes, several times faster),
 *   used without `allFilters`, and at level 1 the kernel's deflate instead of zlib's (a valid
 *   stream of its own, not zlib's bytes); `null` for the JavaScript filter and zlib.
 * @returns the chunks this thread compressed.
 */
export function encodePngChunks(
  job: PngChunksJob,
  zlibModule: typeof zlib,
  filterRows: typeof filterPngRows,
  checksum: (bytes: Uint8Array) => number,
  wasm: PngChunksWasm | null = null,
): PngChunk[] {
  const chunks = Math.ceil(job.height / job.chunkRows);
  const rowBytes = job.width * 4 + 1;
  const done: PngChunk[] = [];
  let filtered: Uint8Array | null = null;
  for (;;) {
    const index = Atomics.add(job.counter, 0, 1);
    if (index >= chunks || (job.stopAt !== undefined && index >= job.stopAt)) break;
    const rowStart = index * job.chunkRows;
    const rowEnd = Math.min(job.height, rowStart + job.chunkRows);
    const length = (rowEnd - rowStart) * rowBytes;
    let rows: Uint8Array;
    let adler: number;
    const last = index === chunks - 1;
    if (wasm !== null && !job.allFilters) {
      // Filtered and summed in the kernel's memory, and compressed from there: at the fast
      // level by the kernel's own deflate (literals and runs, one block), else by zlib.
      const result = wasm.filter(wasm.kernel, job.data, job.width, rowStart, rowEnd);
      rows = result.rows;
      adler = result.adler;
      if (job.level === 1) {
        const bytes = wasm.deflate(wasm.kernel, rows.byteOffset, length, last);
        done.push({ index, bytes, adler, length });
        continue;
      }
    } else {
      if (filtered === null || filtered.length < length) filtered = new Uint8Array(length);
      rows = filtered.subarray(0, length);
      filterRows(job.data, job.width, rowStart, rowEnd, job.allFilters, rows);
      adler = checksum(rows);
    }
    let strategy = job.strategy;
    if (job.level === 1) {
      // The fast level without the kernel: runs (RLE) where filtered rows have many zeros (flat
      // or transparent areas), else Huffman codes alone, a quarter quicker on photographic noise.
      let zeros = 0;
      for (let at = 0; at < length; at += 16) if (rows[at] === 0) zeros++;
      strategy =
        zeros * 16 * 8 >= length ? zlibModule.constants.Z_RLE : zlibModule.constants.Z_HUFFMAN_ONLY;
    }
    const deflated = zlibModule.deflateRawSync(rows, {
      level: job.level,
      strategy,
      finishFlush: last ? zlibModule.constants.Z_FINISH : zlibModule.constants.Z_SYNC_FLUSH,
    });
    // A copy of its own, so that the worker can transfer it (zlib's may share a pool).
    const bytes = new Uint8Array(deflated.length);
    bytes.set(deflated);
    done.push({ index, bytes, adler, length });
  }
  return done;
}
