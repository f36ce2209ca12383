import type { PngEncoderKernel } from './png-encoder-kernel-module.js';

// Kernel code: worker threads run these functions from their source text, so they reference
// nothing but each other and their arguments, and none holds a nested function.

/**
 * Huffman code lengths of at most `maxBits` for `count` symbols of the given frequencies, as
 * zlib builds them: an optimal code from the two-queue method, then, where it is too deep,
 * zlib's repair (a leaf moved down for each pair of overflowing ones), the longest lengths
 * given to the rarest symbols. A symbol of frequency 0 gets length 0; a single used symbol
 * gets length 1.
 *
 * @param frequencies - per symbol.
 * @param count - how many symbols.
 * @param maxBits - the longest length allowed (15 for deflate's codes, 7 for code lengths).
 * @returns the lengths.
 */
export function huffmanCodeLengths(
  frequencies: Uint32Array,
  count: number,
  maxBits: number,
): Uint8Array {
  const lengths = new Uint8Array(count);
  // The used symbols by frequency, then symbol (insertion sort: at most 286, no callback).
  const symbols: number[] = [];
  for (let symbol = 0; symbol < count; symbol++) {
    const frequency = frequencies[symbol]!;
    if (frequency === 0) continue;
    let at = symbols.length;
    while (at > 0 && frequencies[symbols[at - 1]!]! > frequency) {
      symbols[at] = symbols[at - 1]!;
      at--;
    }
    symbols[at] = symbol;
  }
  const used = symbols.length;
  if (used === 0) return lengths;
  if (used === 1) {
    lengths[symbols[0]!] = 1;
    return lengths;
  }
  // Leaves 0..used−1 in order of frequency, internal nodes after them as they are made (their
  // weights never decrease): each step joins the two lightest of both queues.
  const weight = new Float64Array(2 * used);
  const parent = new Int32Array(2 * used);
  for (let index = 0; index < used; index++) weight[index] = frequencies[symbols[index]!]!;
  let leaf = 0;
  let node = used;
  let next = used;
  for (let step = 0; step < used - 1; step++) {
    const first = leaf < used && (node >= next || weight[leaf]! <= weight[node]!) ? leaf++ : node++;
    const second =
      leaf < used && (node >= next || weight[leaf]! <= weight[node]!) ? leaf++ : node++;
    weight[next] = weight[first]! + weight[second]!;
    parent[first] = next;
    parent[second] = next;
    next++;
  }
  const depth = new Uint8Array(2 * used);
  const root = 2 * used - 2;
  const lengthCount = new Int32Array(maxBits + 1);
  // Depths from the root down, each node's clamped to `maxBits` and counted when it is (as
  // zlib's gen_bitlen does, internal nodes included), then zlib's repair.
  let overflow = 0;
  for (let index = root - 1; index >= 0; index--) {
    let bits = depth[parent[index]!]! + 1;
    if (bits > maxBits) {
      bits = maxBits;
      overflow++;
    }
    depth[index] = bits;
    if (index < used) lengthCount[bits]!++;
  }
  while (overflow > 0) {
    let bits = maxBits - 1;
    while (lengthCount[bits] === 0) bits--;
    lengthCount[bits]!--;
    lengthCount[bits + 1]! += 2;
    lengthCount[maxBits]!--;
    overflow -= 2;
  }
  let rank = 0;
  for (let bits = maxBits; bits >= 1; bits--) {
    for (let left = lengthCount[bits]!; left > 0; left--) lengths[symbols[rank++]!] = bits;
  }
  return lengths;
}

/**
 * Canonical Huffman codes (RFC 1951 §3.2.2) of code lengths, each bit-reversed (deflate sends
 * codes from their first bit) and packed with its length: `reversed | length << 16`.
 *
 * @param lengths - per symbol (0: unused).
 * @returns the packed codes, 0 for unused symbols.
 */
export function canonicalCodes(lengths: Uint8Array): Uint32Array {
  const lengthCount = new Int32Array(16);
  for (const bits of lengths) lengthCount[bits]!++;
  lengthCount[0] = 0;
  const nextCode = new Int32Array(16);
  let code = 0;
  for (let bits = 1; bits < 16; bits++) {
    code = (code + lengthCount[bits - 1]!) << 1;
    nextCode[bits] = code;
  }
  const codes = new Uint32Array(lengths.length);
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const bits = lengths[symbol]!;
    if (bits === 0) continue;
    const value = nextCode[bits]!++;
    let reversed = 0;
    for (let bit = 0; bit < bits; bit++) reversed |= ((value >> bit) & 1) << (bits - 1 - bit);
    codes[symbol] = reversed | (bits << 16);
  }
  return codes;
}

/**
 * Deflates `length` bytes at `at` in the kernel's memory (a chunk's filtered rows) as one
 * block of dynamic Huffman codes, literals and runs (a byte repeated, a match at distance 1,
 * 3 to 258 long): the kernel counts the symbols, this builds the codes and the block's header,
 * the kernel writes the symbols. A chunk that is not the last ends with an empty stored block
 * (a sync flush, byte-aligned), the last one with its block final, as zlib's
 * `deflateRawSync(…, { finishFlush })` ends them: chunks joined make one raw deflate stream.
 * Like zlib's `Z_RLE` strategy, in a single pass of each kind and one block a chunk.
 *
 * @param kernel - the instantiated PNG encoder kernel, its memory holding the bytes.
 * @param at - where the bytes are.
 * @param length - how many (at least 1).
 * @param final - whether this is the stream's last chunk.
 * @returns the raw deflate bytes (a copy of their own).
 */
export function deflatePngChunk(
  kernel: PngEncoderKernel,
  at: number,
  length: number,
  final: boolean,
): Uint8Array {
  const table = (at + length + 15) & ~15;
  const out = table + 3344;
  const needed = out + length * 2 + 1024;
  const have = kernel.memory.buffer.byteLength;
  if (needed > have) kernel.memory.grow(Math.ceil((needed - have) / 65536));
  const memory = new Uint8Array(kernel.memory.buffer);
  const words = new Uint32Array(kernel.memory.buffer, table, 836);
  words.fill(0);
  // Run lengths 3 to 258: their length symbol, extra bits and base (RFC 1951 §3.2.5).
  let base = 3;
  for (let symbol = 257; symbol <= 284; symbol++) {
    const index = symbol - 257;
    const extra = index < 8 ? 0 : (index >> 2) - 1;
    for (let run = base; run < base + (1 << extra) && run < 258; run++) {
      words[573 + run] = symbol | (extra << 9) | (base << 12);
    }
    base += 1 << extra;
  }
  words[573 + 258] = 285 | (258 << 12);
  kernel.countSymbols(at, length, table);
  const counts = new Uint32Array(kernel.memory.buffer, table, 286);
  counts[256] = 1;
  const literalLengths = huffmanCodeLengths(counts, 286, 15);
  const literalCodes = canonicalCodes(literalLengths);
  // The one distance code, 0 (distance 1): length 1, whether runs use it or not.
  const distanceLengths = Uint8Array.of(1);
  words.set(literalCodes, 286);
  words[572] = canonicalCodes(distanceLengths)[0]!;
  let literalCount = 286;
  while (literalCount > 257 && literalLengths[literalCount - 1] === 0) literalCount--;
  // The code lengths, run-length coded with 16 (repeat the last 3–6 times), 17 (3–10 zeros)
  // and 18 (11–138 zeros).
  const sequence = [...literalLengths.subarray(0, literalCount), ...distanceLengths];
  const clSymbols: number[] = [];
  const clExtra: number[] = [];
  for (let index = 0; index < sequence.length; ) {
    const value = sequence[index]!;
    let run = 1;
    while (index + run < sequence.length && sequence[index + run] === value) run++;
    index += run;
    if (value === 0) {
      while (run >= 11) {
        const take = Math.min(run, 138);
        clSymbols.push(18);
        clExtra.push(take - 11);
        run -= take;
      }
      if (run >= 3) {
        clSymbols.push(17);
        clExtra.push(run - 3);
        run = 0;
      }
    } else {
      clSymbols.push(value);
      clExtra.push(0);
      run--;
      while (run >= 3) {
        const take = Math.min(run, 6);
        clSymbols.push(16);
        clExtra.push(take - 3);
        run -= take;
      }
    }
    for (; run > 0; run--) {
      clSymbols.push(value);
      clExtra.push(0);
    }
  }
  const clCounts = new Uint32Array(19);
  for (const symbol of clSymbols) clCounts[symbol]!++;
  // A code of one symbol would be incomplete, which zlib refuses for code lengths: two then.
  let clUsed = 0;
  for (const value of clCounts) if (value > 0) clUsed++;
  if (clUsed < 2) clCounts[clCounts[0] === 0 ? 0 : 1]!++;
  const clLengths = huffmanCodeLengths(clCounts, 19, 7);
  const clCodes = canonicalCodes(clLengths);
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  let clCount = 19;
  while (clCount > 4 && clLengths[order[clCount - 1]!] === 0) clCount--;
  // The header, bits from the first: BFINAL, BTYPE 2, HLIT, HDIST, HCLEN, the code length
  // code's lengths, then the code lengths themselves.
  const header: number[] = [];
  let acc = 0;
  let count = 0;
  const push = [final ? 1 : 0, 1, 2, 2, literalCount - 257, 5, 0, 5, clCount - 4, 4];
  for (let index = 0; index < clCount; index++) push.push(clLengths[order[index]!]!, 3);
  for (let index = 0; index < clSymbols.length; index++) {
    const code = clCodes[clSymbols[index]!]!;
    push.push(code & 0xffff, code >>> 16);
    const symbol = clSymbols[index]!;
    if (symbol >= 16) push.push(clExtra[index]!, symbol === 16 ? 2 : symbol === 17 ? 3 : 7);
  }
  for (let index = 0; index < push.length; index += 2) {
    acc |= push[index]! << count;
    count += push[index + 1]!;
    while (count >= 8) {
      header.push(acc & 255);
      acc >>>= 8;
      count -= 8;
    }
  }
  memory.set(header, out);
  const end = kernel.encodeSymbols(at, length, table, out + header.length, acc, count);
  // The pending bits, then the end: aligned, and a sync flush when more chunks follow (its 3
  // header bits, BFINAL 0 and BTYPE 00, are zeros).
  const state = new Uint32Array(kernel.memory.buffer, table + 3328, 2);
  let pending = state[0]!;
  let bits = state[1]! + (final ? 0 : 3);
  const tail: number[] = [];
  while (bits > 0) {
    tail.push(pending & 255);
    pending >>>= 8;
    bits -= 8;
  }
  if (!final) tail.push(0, 0, 255, 255);
  const bytes = new Uint8Array(end - out + tail.length);
  bytes.set(memory.subarray(out, end));
  bytes.set(tail, end - out);
  return bytes;
}
