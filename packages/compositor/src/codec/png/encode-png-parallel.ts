import { availableParallelism } from 'node:os';
import * as zlib from 'node:zlib';
import type { BandWorkerPool } from '../../blend/band-worker-pool.js';
import type { Raster } from '../../raster.js';
import { adler32, adler32Combine } from './adler32.js';
import { crc32 } from './crc32.js';
import { encodePngChunks, type PngChunk, type PngChunksJob } from './encode-png-chunks.js';
import { filterPngRows } from './filter-png-rows.js';
import { deflatePngChunk } from './wasm/deflate-png-chunk.js';
import { filterPngRowsWasm } from './wasm/filter-png-rows-wasm.js';
import { pngEncoderKernel } from './wasm/png-encoder-kernel-module.js';

/** Options of {@link encodePngParallel}. */
export interface EncodePngParallelOptions {
  /**
   * 0 (stored) to 9 (smallest). 1, the default, is fast: rows filtered with None, Sub or Up,
   * each chunk one block of literals and runs from the WebAssembly deflate (without
   * WebAssembly SIMD, zlib's run-length or Huffman-only strategy, by the chunk's share of zero
   * bytes); 2 and 3 are zlib's levels over the same filters; 4 to 9 zlib's levels over all five
   * filters. @default 1
   */
  readonly compressionLevel?: number;
  /** Threads, the calling one included. @default os.availableParallelism() */
  readonly threads?: number;
  /** The workers (the compositing pool). */
  readonly pool: BandWorkerPool;
}

/** Default {@link EncodePngParallelOptions.compressionLevel}: fast. */
export const fastPngCompressionLevel = 1;

/** Filtered bytes per chunk aimed at: small enough to share well, big enough to compress well. */
const chunkBytes = 1 << 19;

/** Below this many pixels the calling thread encodes alone. */
const parallelPixels = 1 << 18;

const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** zlib's settings for a compression level. */
export function pngZlibSettings(level: number): {
  level: number;
  strategy: number;
  allFilters: boolean;
} {
  return { level, strategy: zlib.constants.Z_DEFAULT_STRATEGY, allFilters: level >= 4 };
}

function writeChunkHeader(
  out: Uint8Array,
  view: DataView,
  at: number,
  type: string,
  length: number,
) {
  view.setUint32(at, length);
  for (let index = 0; index < 4; index++) out[at + 4 + index] = type.charCodeAt(index);
}

/**
 * Encodes a raster as an 8-bit RGBA PNG with the compositing worker threads: the rows are cut
 * into chunks of about 512 KiB, which the threads claim one at a time, filter (per row, the
 * filter with the smallest sum of magnitudes) and compress each from a fresh state, ending on a
 * sync flush (the filter and its checksum in WebAssembly SIMD where available, the same
 * bytes); the chunks are joined into one zlib stream — one header, their Adler-32s
 * combined into one trailer — in one IDAT chunk (the pigz method). The bytes are the same
 * whatever the number of threads.
 *
 * @param raster - the pixels (validated by the caller).
 * @param options - `compressionLevel`, `threads`, `pool`.
 * @returns the PNG file.
 */
export async function encodePngParallel(
  raster: Raster,
  options: EncodePngParallelOptions,
): Promise<Uint8Array> {
  const { width, height } = raster;
  const level = options.compressionLevel ?? fastPngCompressionLevel;
  const threads = options.threads ?? availableParallelism();
  const rowBytes = width * 4 + 1;
  const chunkRows = Math.max(1, Math.floor(chunkBytes / rowBytes));
  const chunkCount = Math.ceil(height / chunkRows);
  const workers =
    options.pool.available && width * height >= parallelPixels
      ? Math.min(threads - 1, chunkCount - 1)
      : 0;
  let data: Uint8Array | Uint8ClampedArray = raster.data;
  if (workers > 0 && !(data.buffer instanceof SharedArrayBuffer)) {
    const shared = new Uint8Array(new SharedArrayBuffer(data.length));
    shared.set(data);
    data = shared;
  }
  const job: PngChunksJob = {
    data,
    width,
    height,
    chunkRows,
    ...pngZlibSettings(level),
    counter: new Int32Array(new SharedArrayBuffer(4)),
  };
  const fromWorkers: Promise<PngChunk[]>[] = [];
  for (let index = 0; index < workers; index++) {
    fromWorkers.push(options.pool.encodePng(index, job).catch(() => []));
  }
  const chunks: (PngChunk | undefined)[] = new Array(chunkCount);
  const kernel = pngEncoderKernel();
  const wasm =
    kernel === null ? null : { kernel, filter: filterPngRowsWasm, deflate: deflatePngChunk };
  const mine = encodePngChunks(job, zlib, filterPngRows, adler32, wasm);
  for (const chunk of mine) chunks[chunk.index] = chunk;
  // When the calling thread did every chunk, no worker holds one: do not wait for them (they
  // may still be busy with another composite's bands).
  if (mine.length < chunkCount) {
    for (const list of await Promise.all(fromWorkers)) {
      for (const chunk of list) chunks[chunk.index] = chunk;
    }
  }
  let compressed = 0;
  let adler = 1;
  for (let index = 0; index < chunkCount; index++) {
    let chunk = chunks[index];
    if (chunk === undefined) {
      // A worker died holding it: redo it here.
      const redo = { ...job, counter: Int32Array.of(index), stopAt: index + 1 };
      chunk = encodePngChunks(redo, zlib, filterPngRows, adler32, wasm)[0]!;
      chunks[index] = chunk;
    }
    compressed += chunk.bytes.length;
    adler = index === 0 ? chunk.adler : adler32Combine(adler, chunk.adler, chunk.length);
  }
  const idatLength = 2 + compressed + 4;
  const out = new Uint8Array(8 + 25 + 12 + idatLength + 12);
  const view = new DataView(out.buffer);
  out.set(signature, 0);
  writeChunkHeader(out, view, 8, 'IHDR', 13);
  view.setUint32(16, width);
  view.setUint32(20, height);
  out.set([8, 6, 0, 0, 0], 24); // 8 bits, RGBA, deflate, adaptive filtering, no interlace
  view.setUint32(29, crc32(out.subarray(12, 29)));
  writeChunkHeader(out, view, 33, 'IDAT', idatLength);
  let at = 41;
  // zlib header: deflate, 32 KiB window, and the level hint (FLEVEL) the stream was made with.
  const hint = level <= 1 ? 0 : level <= 5 ? 1 : level === 6 ? 2 : 3;
  const header = (0x78 << 8) | (hint << 6);
  view.setUint16(at, header + ((31 - (header % 31)) % 31));
  at += 2;
  for (const chunk of chunks as PngChunk[]) {
    out.set(chunk.bytes, at);
    at += chunk.bytes.length;
  }
  view.setUint32(at, adler);
  at += 4;
  view.setUint32(at, crc32(out.subarray(37, at)));
  at += 4;
  writeChunkHeader(out, view, at, 'IEND', 0);
  view.setUint32(at + 8, crc32(out.subarray(at + 4, at + 8)));
  return out;
}
