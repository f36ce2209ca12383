import { describeValue, parseCssColor, ValidationError } from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import { featherMask } from '../mask/feather-mask.js';
import type { Raster } from '../raster.js';

/** Options of {@link dropShadow}. */
export interface DropShadowOptions {
  /** Direction the shadow falls, in degrees: 0 right, 90 down (clockwise). @default 90 */
  readonly angle?: number;
  /** How far the shadow falls, in pixels. @default 2% of the raster's longer side */
  readonly distance?: number;
  /** Blur radius of the shadow's edge, in pixels (as {@link featherMask}). @default 8 */
  readonly blur?: number;
  /** Shadow opacity, 0..1. @default 0.5 */
  readonly opacity?: number;
  /** Shadow colour (a CSS colour; its alpha scales the opacity). @default 'black' */
  readonly color?: string;
}

/** A shadow raster and where it goes, relative to the layer's top-left corner. */
export interface DropShadow {
  /** The shadow: one colour, alpha from the layer's alpha. */
  readonly raster: Raster;
  /** Column of the shadow's left edge, relative to the layer's left edge. */
  readonly left: number;
  /** Row of the shadow's top edge, relative to the layer's top edge. */
  readonly top: number;
}

const subject = 'shadow options';

function numberOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw ValidationError.field(
      [name],
      `Expected \`${name}\` to be a number from ${min} to ${max}, got ${describeValue(value)}`,
      subject,
    );
  }
  return value;
}

/**
 * Blurs a one-channel mask like {@link featherMask}; a wide blur runs on a copy reduced by up to
 * 8× (box-averaged, then scaled back bilinearly), which a soft shadow cannot tell apart and
 * which costs a fraction of a full-size blur.
 */
function blurAlpha(alpha: Uint8Array, width: number, height: number, blur: number): Uint8Array {
  const factor = Math.min(8, Math.floor(blur / 2));
  if (factor <= 1) return featherMask(alpha, width, height, blur);
  const smallWidth = Math.ceil(width / factor);
  const smallHeight = Math.ceil(height / factor);
  // Box average: each cell's sum over its pixels, divided by its pixel count (edge cells are
  // smaller). Cell columns are looked up, not divided, per pixel.
  const cellOfX = new Int32Array(width);
  for (let x = 0; x < width; x++) cellOfX[x] = Math.floor(x / factor);
  const sums = new Float64Array(smallWidth * smallHeight);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * smallWidth;
    const start = y * width;
    for (let x = 0; x < width; x++) {
      const cell = row + cellOfX[x]!;
      sums[cell] = sums[cell]! + alpha[start + x]!;
    }
  }
  const small = new Uint8Array(sums.length);
  for (let cellY = 0; cellY < smallHeight; cellY++) {
    const rows = Math.min(factor, height - cellY * factor);
    for (let cellX = 0; cellX < smallWidth; cellX++) {
      const cell = cellY * smallWidth + cellX;
      small[cell] = sums[cell]! / (rows * Math.min(factor, width - cellX * factor));
    }
  }
  const blurred = featherMask(small, smallWidth, smallHeight, blur / factor);
  // Bilinear scale back up, in two passes that give the same values as the direct formula:
  // each reduced row across the full width once, then each output row between two of those.
  const across = new Float64Array(smallHeight * width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(smallWidth - 1, Math.max(0, (x + 0.5) / factor - 0.5));
    const x0 = Math.floor(sx);
    const x1 = Math.min(smallWidth - 1, x0 + 1);
    const fx = sx - x0;
    for (let cellY = 0; cellY < smallHeight; cellY++) {
      const cells = cellY * smallWidth;
      across[cellY * width + x] = blurred[cells + x0]! * (1 - fx) + blurred[cells + x1]! * fx;
    }
  }
  const output = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(smallHeight - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(sy);
    const upper = y0 * width;
    const lower = Math.min(smallHeight - 1, y0 + 1) * width;
    const fy = sy - y0;
    const keep = 1 - fy;
    const start = y * width;
    for (let x = 0; x < width; x++) {
      output[start + x] = Math.round(across[upper + x]! * keep + across[lower + x]! * fy);
    }
  }
  return output;
}

/**
 * A drop or contact shadow made from a layer's alpha: the alpha, blurred by `blur`, scaled by
 * `opacity`, in one colour, moved `distance` pixels towards `angle`. With `blur` 0 its alpha is
 * exactly the layer's footprint (`round(alpha × opacity)`), shifted; blurred, it keeps the
 * footprint's mass and centre. The raster has a margin of
 * `2 × blur` on every side so that the blur is not cut off; composite it under the layer.
 *
 * @example
 * ```ts
 * const shadow = dropShadow(hero, { angle: 120, blur: 12, opacity: 0.45 });
 * // under the hero: { raster: shadow.raster, left: heroLeft + shadow.left, top: heroTop + shadow.top }
 * ```
 *
 * @param raster - the layer; it is not modified.
 * @param options - `angle`, `distance`, `blur`, `opacity`, `color`.
 * @returns the shadow raster and its offset from the layer.
 * @throws {ValidationError} when the raster or an option is malformed.
 */
export function dropShadow(raster: Raster, options: DropShadowOptions = {}): DropShadow {
  assertRaster(raster, ['raster']);
  const angle = numberOption(options.angle, 'angle', -360, 360) ?? 90;
  const blur = numberOption(options.blur, 'blur', 0, 1000) ?? 8;
  const opacity = numberOption(options.opacity, 'opacity', 0, 1) ?? 0.5;
  const distance =
    numberOption(options.distance, 'distance', 0, 1000) ??
    Math.round(0.02 * Math.max(raster.width, raster.height));
  const color = parseCssColor(options.color ?? 'black');
  if (color === undefined) {
    throw ValidationError.field(
      ['color'],
      `Expected \`color\` to be a CSS colour, got ${describeValue(options.color)}`,
      subject,
    );
  }
  const margin = Math.ceil(2 * blur);
  const width = raster.width + 2 * margin;
  const height = raster.height + 2 * margin;
  let alpha: Uint8Array = new Uint8Array(width * height);
  const source = raster.data;
  for (let y = 0; y < raster.height; y++) {
    const row = (y + margin) * width + margin;
    for (let x = 0; x < raster.width; x++) alpha[row + x] = source[(y * raster.width + x) * 4 + 3]!;
  }
  if (blur > 0) alpha = blurAlpha(alpha, width, height, blur);
  const scale = opacity * color.a;
  // One 32-bit word a pixel: the colour, and the alpha looked up from a table of the 256 values.
  const pixelOf = new Uint32Array(256);
  for (let value = 1; value < 256; value++) {
    const bytes = new Uint8ClampedArray(pixelOf.buffer, value * 4, 4);
    bytes[0] = color.r;
    bytes[1] = color.g;
    bytes[2] = color.b;
    bytes[3] = Math.round(value * scale);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  const words = new Uint32Array(data.buffer);
  for (let index = 0; index < alpha.length; index++) {
    const value = alpha[index]!;
    if (value !== 0) words[index] = pixelOf[value]!;
  }
  const radians = (angle * Math.PI) / 180;
  return {
    raster: { width, height, data },
    left: Math.round(Math.cos(radians) * distance) - margin,
    top: Math.round(Math.sin(radians) * distance) - margin,
  };
}
