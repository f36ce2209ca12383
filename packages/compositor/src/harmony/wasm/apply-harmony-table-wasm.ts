import type { HarmonyKernel } from './harmony-kernel-module.js';

/**
 * {@link applyHarmonyTable} by the WebAssembly kernel: the same integer arithmetic, so the
 * same bytes, read from `source` and written to `target` (the same array, or two of the same
 * size: the pixels pass through the kernel's memory anyway, so a copy costs nothing more). Lays
 * out the colour table in the kernel's memory (see `harmony-kernel.wat`), then stages the pixels
 * 65536 at a time. Only for little-endian machines (the kernel reads the table's entries and
 * the pixels' words little-endian).
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
  const memory = new Uint8Array(kernel.memory.buffer);
  // The kernel works out the nodes, fractions and corners itself: only the table to lay out,
  // copied as it is, then each entry made 16384 less (signed 16-bit, for the kernel's paired
  // multiplies) by the kernel.
  memory.set(new Uint8Array(table.buffer, table.byteOffset, table.byteLength), 0);
  kernel.prepareTable(table.length);
  const pixels = 327680;
  const chunk = 65536;
  for (let from = start; from < end; from += chunk) {
    const count = Math.min(chunk, end - from);
    memory.set(source.subarray(from * 4, (from + count) * 4), pixels);
    kernel.applyTable(pixels, count);
    target.set(memory.subarray(pixels, pixels + count * 4), from * 4);
  }
}
