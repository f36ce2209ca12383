/**
 * Deterministic noise bytes for tests: the top byte of a linear congruential generator.
 *
 * @param length - how many bytes.
 * @param seed - the generator's seed.
 * @returns the bytes.
 */
export function noise(length: number, seed: number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(length);
  const next = noiseGenerator(seed);
  // The generator's state over 2³², times 256: its top byte.
  for (let index = 0; index < data.length; index++) data[index] = (next() * 256) | 0;
  return data;
}

/**
 * A deterministic generator of numbers from 0 to 1 for tests (a linear congruential
 * generator's state over 2³²; {@link noise} takes its top bytes), for test images and streams
 * built value by value.
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
