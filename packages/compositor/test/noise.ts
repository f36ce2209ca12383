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

/**
 * A deterministic generator of numbers from 0 to 1 for tests (the same generator as
 * {@link noise}), for test images and streams built value by value.
 *
 * @param seed - the generator's seed.
 * @returns the generator.
 */
export function noiseGenerator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return state / 4294967296;
  };
}
