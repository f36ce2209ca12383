/**
 * Deterministic noise bytes for tests: the top byte of a linear congruential generator.
 *
 * @param length - how many bytes.
 * @param seed - the generator's seed.
 * @returns the bytes.
 */
export function noise(length: number, seed: number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(length);
  let state = seed;
  for (let index = 0; index < data.length; index++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    data[index] = state >>> 24;
  }
  return data;
}
