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
 * A drop or contact shadow made from a layer's alpha: the alpha, blurred by `blur`, scaled by
 * `opacity`, in one colour, moved `distance` pixels towards `angle`. With `blur` 0 its alpha is
 * exactly the layer's footprint (`round(alpha × opacity)`), shifted. The raster has a margin of
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
  if (blur > 0) alpha = featherMask(alpha, width, height, blur);
  const scale = opacity * color.a;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let index = 0; index < alpha.length; index++) {
    const value = alpha[index]!;
    if (value === 0) continue;
    const at = index * 4;
    data[at] = color.r;
    data[at + 1] = color.g;
    data[at + 2] = color.b;
    data[at + 3] = Math.round(value * scale);
  }
  const radians = (angle * Math.PI) / 180;
  return {
    raster: { width, height, data },
    left: Math.round(Math.cos(radians) * distance) - margin,
    top: Math.round(Math.sin(radians) * distance) - margin,
  };
}
