import type { PngEncoderKernel } from './png-encoder-kernel-module.js';

/** Filtered rows in the kernel's memory, and their checksum. */
export interface FilteredPngRows {
  /** The rows, each its filter type byte and its bytes: a view of the kernel's memory, valid until its next call. */
  readonly rows: Uint8Array;
  /** Their Adler-32. */
  readonly adler: number;
}

/**
 * `filterPngRows` (without `allFilters`) and `adler32` by the WebAssembly kernel, the same
 * bytes: copies rows `rowStart` to `rowEnd` of the image (and the row above them) into the
 * kernel's memory, filters them there and sums the result, which zlib can then read where it
 * is. The kernel's memory grows to the largest chunk it has filtered.
 *
 * Worker threads run it from its source text, so it references nothing but its arguments.
 *
 * @param kernel - the instantiated PNG encoder kernel.
 * @param data - the whole image's RGBA bytes.
 * @param width - image width in pixels.
 * @param rowStart - first row to filter.
 * @param rowEnd - row after the last one.
 * @returns the filtered rows and their Adler-32.
 */
export function filterPngRowsWasm(
  kernel: PngEncoderKernel,
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  rowStart: number,
  rowEnd: number,
): FilteredPngRows {
  const stride = width * 4;
  const count = rowEnd - rowStart;
  const length = count * (stride + 1);
  // The row above the chunk, then the chunk's rows; the filtered rows after them.
  const target = ((count + 1) * stride + 15) & ~15;
  const needed = target + length;
  const have = kernel.memory.buffer.byteLength;
  if (needed > have) kernel.memory.grow(Math.ceil((needed - have) / 65536));
  const memory = new Uint8Array(kernel.memory.buffer);
  if (rowStart > 0) memory.set(data.subarray((rowStart - 1) * stride, rowEnd * stride), 0);
  else memory.set(data.subarray(0, rowEnd * stride), stride);
  kernel.filterRows(0, target, width, count, rowStart === 0 ? 1 : 0);
  return {
    rows: memory.subarray(target, target + length),
    adler: kernel.adler32(target, length) >>> 0,
  };
}
