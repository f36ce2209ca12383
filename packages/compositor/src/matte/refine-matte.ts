import { describeValue, parseCssColor, ValidationError } from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import { featherMask } from '../mask/feather-mask.js';
import type { Raster } from '../raster.js';

/** Options of {@link refineMatte}. */
export interface RefineMatteOptions {
  /** The background colour that was keyed out (a CSS colour). */
  readonly background: string;
  /**
   * Re-estimate the fringe's alpha and colour against the background: each semi-transparent
   * pixel is taken as a mix of the nearby opaque subject and the background. @default true
   */
  readonly decontaminate?: boolean;
  /**
   * Largest keyed-out region enclosed by the subject that is filled back in (a button the colour
   * of the key), in pixels; 0 fills nothing. @default 0.2% of the image's area
   */
  readonly fillHoles?: number;
  /** Radius of the feathering along the alpha gradient, in pixels; 0 turns it off. @default 1 */
  readonly feather?: number;
}

/** How far (in pixels) the fringe looks for opaque subject pixels to estimate its colour. */
const searchRadius = 4;
/** Alpha under which a pixel counts as background for hole filling. */
const holeAlpha = 128;
/** Subject and background closer than this (sRGB distance) do not allow a new alpha estimate. */
const minimumContrast = 24;

const subject = 'refine matte options';

/** Fills enclosed low-alpha regions up to `maxArea` pixels: 4-connected, not touching the border. */
function fillHoles(data: Uint8ClampedArray, width: number, height: number, maxArea: number): void {
  const pixels = width * height;
  const state = new Uint8Array(pixels); // 0 unvisited, 1 outside, 2 visited hole
  const queue = new Int32Array(pixels);
  const low = (index: number) => data[index * 4 + 3]! < holeAlpha;
  let head = 0;
  let tail = 0;
  const seed = (index: number) => {
    if (state[index] === 0 && low(index)) {
      state[index] = 1;
      queue[tail++] = index;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  const flood = (mark: number) => {
    while (head < tail) {
      const index = queue[head++]!;
      const x = index % width;
      const visit = (next: number) => {
        if (state[next] === 0 && low(next)) {
          state[next] = mark;
          queue[tail++] = next;
        }
      };
      if (x > 0) visit(index - 1);
      if (x < width - 1) visit(index + 1);
      if (index >= width) visit(index - width);
      if (index < pixels - width) visit(index + width);
    }
  };
  flood(1);
  for (let start = 0; start < pixels; start++) {
    if (state[start] !== 0 || !low(start)) continue;
    head = 0;
    tail = 0;
    state[start] = 2;
    queue[tail++] = start;
    flood(2);
    if (tail > maxArea) continue;
    for (let index = 0; index < tail; index++) data[queue[index]! * 4 + 3] = 255;
  }
}

/**
 * The fringe: semi-transparent pixels and every pixel next to one, or next to a jump between
 * transparent and opaque (1 in the returned mask).
 */
function fringeBand(data: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const pixels = width * height;
  const band = new Uint8Array(pixels);
  const mark = (index: number) => {
    const x = index % width;
    band[index] = 1;
    if (x > 0) band[index - 1] = 1;
    if (x < width - 1) band[index + 1] = 1;
    if (index >= width) band[index - width] = 1;
    if (index < pixels - width) band[index + width] = 1;
  };
  for (let index = 0; index < pixels; index++) {
    const alpha = data[index * 4 + 3]!;
    if (alpha !== 0 && alpha !== 255) mark(index);
    else if (alpha === 255) {
      const x = index % width;
      if (
        (x > 0 && data[(index - 1) * 4 + 3] === 0) ||
        (x < width - 1 && data[(index + 1) * 4 + 3] === 0) ||
        (index >= width && data[(index - width) * 4 + 3] === 0) ||
        (index < pixels - width && data[(index + width) * 4 + 3] === 0)
      ) {
        mark(index);
      }
    }
  }
  return band;
}

/**
 * Re-estimates every fringe pixel as `alpha × subject + (1 − alpha) × background`,
 * the subject colour being the mean of the opaque pixels within {@link searchRadius} outside the
 * fringe: its alpha
 * is the projection on the background-to-subject line, its colour the background taken out.
 */
function decontaminate(
  data: Uint8ClampedArray,
  width: number,
  height: number,
  background: { r: number; g: number; b: number },
): void {
  const source = new Uint8ClampedArray(data);
  const band = fringeBand(source, width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      if (band[y * width + x] === 0) continue;
      let count = 0;
      let red = 0;
      let green = 0;
      let blue = 0;
      for (let dy = -searchRadius; dy <= searchRadius; dy++) {
        const row = y + dy;
        if (row < 0 || row >= height) continue;
        for (let dx = -searchRadius; dx <= searchRadius; dx++) {
          const column = x + dx;
          if (column < 0 || column >= width) continue;
          const near = (row * width + column) * 4;
          if (source[near + 3] !== 255 || band[row * width + column] === 1) continue;
          count++;
          red += source[near]!;
          green += source[near + 1]!;
          blue += source[near + 2]!;
        }
      }
      if (count === 0) continue;
      const subjectRed = red / count - background.r;
      const subjectGreen = green / count - background.g;
      const subjectBlue = blue / count - background.b;
      const contrast = subjectRed ** 2 + subjectGreen ** 2 + subjectBlue ** 2;
      if (contrast < minimumContrast ** 2) continue;
      const estimate =
        ((source[at]! - background.r) * subjectRed +
          (source[at + 1]! - background.g) * subjectGreen +
          (source[at + 2]! - background.b) * subjectBlue) /
        contrast;
      const coverage = Math.min(1, Math.max(0, estimate));
      data[at + 3] = coverage * 255;
      if (coverage < 0.25) {
        // Too little of the subject to unmix without amplifying noise: take the neighbours'.
        data[at] = red / count;
        data[at + 1] = green / count;
        data[at + 2] = blue / count;
      } else {
        data[at] = background.r + (source[at]! - background.r) / coverage;
        data[at + 1] = background.g + (source[at + 1]! - background.g) / coverage;
        data[at + 2] = background.b + (source[at + 2]! - background.b) / coverage;
      }
    }
  }
}

/** Blends alpha towards its blur where the alpha gradient is steep: edges soften, flat areas stay. */
function featherByGradient(
  data: Uint8ClampedArray,
  width: number,
  height: number,
  radius: number,
): void {
  const pixels = width * height;
  const alpha = new Uint8Array(pixels);
  for (let index = 0; index < pixels; index++) alpha[index] = data[index * 4 + 3]!;
  const blurred = featherMask(alpha, width, height, radius);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = y * width + x;
      // Only pixels that show already: a pixel keyed out holds the background's colour.
      if (alpha[index] === 0) continue;
      const left = alpha[x > 0 ? index - 1 : index]!;
      const right = alpha[x < width - 1 ? index + 1 : index]!;
      const up = alpha[y > 0 ? index - width : index]!;
      const down = alpha[y < height - 1 ? index + width : index]!;
      const gradient = Math.hypot(right - left, down - up) / 255;
      if (gradient === 0) continue;
      const weight = Math.min(1, gradient);
      data[index * 4 + 3] = alpha[index]! + weight * (blurred[index]! - alpha[index]!);
    }
  }
}

/**
 * Edge refinement for a keyed matte: fills small keyed-out holes enclosed by the subject,
 * re-estimates the fringe's alpha and removes the background colour's spill from it (colour
 * decontamination: each semi-transparent pixel unmixed from the known background), then
 * feathers the alpha along its gradient. Run it on the output of {@link chromaKey} with
 * `spill: 0` (decontamination replaces spill suppression) and the key colour it used
 * ({@link keyColorOf}).
 *
 * @example
 * ```ts
 * const keyed = chromaKey(painted, { color: '#00ff00', spill: 0 });
 * const cutOut = refineMatte(keyed, { background: '#00ff00' });
 * ```
 *
 * @param raster - a keyed image; it is not modified.
 * @param options - `background`, `decontaminate`, `fillHoles`, `feather`.
 * @returns a new raster.
 * @throws {ValidationError} when the raster or an option is malformed.
 */
export function refineMatte(raster: Raster, options: RefineMatteOptions): Raster {
  assertRaster(raster, ['raster']);
  const background =
    typeof options?.background === 'string' ? parseCssColor(options.background) : undefined;
  if (background === undefined) {
    throw ValidationError.field(
      ['background'],
      `Expected \`background\` to be a CSS colour, got ${describeValue(options?.background)}`,
      subject,
    );
  }
  const { width, height } = raster;
  const holes = options.fillHoles ?? Math.floor(0.002 * width * height);
  const feather = options.feather ?? 1;
  for (const [name, value] of [
    ['fillHoles', holes],
    ['feather', feather],
  ] as const) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1e9)) {
      throw ValidationError.field(
        [name],
        `Expected \`${name}\` to be a number ≥ 0, got ${describeValue(value)}`,
        subject,
      );
    }
  }
  const data = new Uint8ClampedArray(raster.data);
  if (holes > 0) fillHoles(data, width, height, holes);
  if (options.decontaminate ?? true) decontaminate(data, width, height, background);
  if (feather > 0) featherByGradient(data, width, height, feather);
  return { width, height, data };
}
