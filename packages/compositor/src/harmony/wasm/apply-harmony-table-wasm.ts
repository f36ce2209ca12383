import type { HarmonyKernel } from './harmony-kernel-module.js';

/**
 * {@link applyHarmonyTable} by the WebAssembly kernel: the same integer arithmetic, so the
 * same bytes, read from `source` and written to `target` (the same array, or two of the same
 * size: the pixels pass through the kernel's memory anyway, so a copy costs nothing more). Lays out the per-byte tables, the tetrahedron strides and the colour table in the
 * kernel's memory (see `harmony-kernel.wat`), then stages the pixels 65536 at a time. Only for
 * little-endian machines (the table's 16-bit entries are copied as they are).
 *
 * Worker threads run it from its source text, so it references nothing but its arguments.
 *
 * @param kernel - the instantiated kernel.
 * @param table - the table from {@link buildHarmonyTable}.
 * @param source - RGBA bytes to read.
 * @param target - where the results go (pixel `i` of `source` to pixel `i` of `target`).
 * @param start - first pixel.
 * @param end - pixel after the last one.
 */
export function applyHarmonyTableWasm(
  kernel: HarmonyKernel,
  table: Uint16Array,
  source: Uint8ClampedArray,
  target: Uint8ClampedArray,
  start: number,
  end: number,
): void {
  const nodes = 33;
  const memory = new Uint8Array(kernel.memory.buffer);
  const layout = new Int32Array(kernel.memory.buffer, 0, 1040);
  // Byte offsets into the table (8 bytes a node) and fractions ×255, by byte.
  for (let byte = 0; byte < 256; byte++) {
    const node = Math.min(nodes - 2, Math.floor((byte * (nodes - 1)) / 255));
    layout[byte] = node * nodes * nodes * 8;
    layout[256 + byte] = node * nodes * 8;
    layout[512 + byte] = node * 8;
    layout[768 + byte] = byte * (nodes - 1) - node * 255;
  }
  const red = nodes * nodes * 8;
  const green = nodes * 8;
  const blue = 8;
  // By code (red ≥ green, green ≥ blue, red ≥ blue): the axis of the largest fraction, then
  // that of the smallest (codes 1 and 6 cannot happen).
  layout.set([blue, blue, green, green, blue, red, red, red], 1024);
  layout.set([red, red, red, blue, green, green, blue, blue], 1032);
  memory.set(new Uint8Array(table.buffer, table.byteOffset, table.byteLength), 8192);
  const pixels = 327680;
  const chunk = 65536;
  for (let from = start; from < end; from += chunk) {
    const count = Math.min(chunk, end - from);
    memory.set(source.subarray(from * 4, (from + count) * 4), pixels);
    kernel.applyTable(pixels, count);
    target.set(memory.subarray(pixels, pixels + count * 4), from * 4);
  }
}
