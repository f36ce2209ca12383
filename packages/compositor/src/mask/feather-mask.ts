import { describeValue, ValidationError } from '@layerloom/core';

const subject = 'feather';

/**
 * Widths of three box blurs whose succession approximates a Gaussian of deviation `sigma`
 * (each box is `2 × radius + 1` wide).
 */
export function boxRadii(sigma: number): [number, number, number] {
  const passes = 3;
  const ideal = Math.sqrt((12 * sigma * sigma) / passes + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) lower--;
  const upper = lower + 2;
  const lowerCount = Math.round(
    (12 * sigma * sigma - passes * lower * lower - 4 * passes * lower - 3 * passes) /
      (-4 * lower - 4),
  );
  const widths = [0, 1, 2].map((pass) => (pass < lowerCount ? lower : upper));
  return widths.map((boxWidth) => Math.max(0, (boxWidth - 1) / 2)) as [number, number, number];
}

/** One box-blur pass along rows (`stride` 1) or columns (`stride` = width), edges extended. */
function boxPass(
  source: Float32Array,
  target: Float32Array,
  lines: number,
  length: number,
  lineStride: number,
  stride: number,
  radius: number,
): void {
  const scale = 1 / (2 * radius + 1);
  for (let line = 0; line < lines; line++) {
    const start = line * lineStride;
    const at = (position: number) =>
      source[start + Math.min(length - 1, Math.max(0, position)) * stride]!;
    let sum = 0;
    for (let position = -radius; position <= radius; position++) sum += at(position);
    for (let position = 0; position < length; position++) {
      target[start + position * stride] = sum * scale;
      sum += at(position + radius + 1) - at(position - radius);
    }
  }
}

/**
 * Softens the edges of a one-channel mask: an approximate Gaussian blur of deviation
 * `radius / 2` (three separable box passes, each O(1) per pixel whatever the radius), edges
 * extended, so a hard edge ramps over about `2 × radius` pixels.
 *
 * @example
 * ```ts
 * const soft = featherMask(mask, 256, 256, 12);
 * ```
 *
 * @param mask - one byte per pixel, row-major; it is not modified.
 * @param width - mask width.
 * @param height - mask height.
 * @param radius - feather radius in pixels; 0 returns a copy.
 * @returns a new mask.
 * @throws {ValidationError} when the sizes do not match or the radius is not a number ≥ 0.
 */
export function featherMask(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
): Uint8Array {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw ValidationError.field(
        [name],
        `Expected \`${name}\` to be a positive integer, got ${describeValue(value)}`,
        subject,
      );
    }
  }
  if (!(mask instanceof Uint8Array) || mask.length !== width * height) {
    throw ValidationError.field(
      ['mask'],
      `Expected \`mask\` to be a Uint8Array of ${width} × ${height} = ${width * height} bytes, got ${mask instanceof Uint8Array ? `${mask.length} bytes` : describeValue(mask)}`,
      subject,
    );
  }
  if (typeof radius !== 'number' || !(radius >= 0 && radius <= 10_000)) {
    throw ValidationError.field(
      ['radius'],
      `Expected \`radius\` to be a number of pixels from 0 to 10000, got ${describeValue(radius)}`,
      subject,
    );
  }
  if (radius === 0) return new Uint8Array(mask);
  let current = Float32Array.from(mask);
  let scratch = new Float32Array(current.length);
  for (const boxRadius of boxRadii(radius / 2)) {
    const whole = Math.round(boxRadius);
    if (whole === 0) continue;
    boxPass(current, scratch, height, width, width, 1, whole);
    [current, scratch] = [scratch, current];
    boxPass(current, scratch, width, height, 1, width, whole);
    [current, scratch] = [scratch, current];
  }
  const output = new Uint8Array(current.length);
  for (let index = 0; index < current.length; index++) output[index] = Math.round(current[index]!);
  return output;
}
