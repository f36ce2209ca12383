import { describeValue, parseCssColor, ValidationError } from '@layerloom/core';
import { assertRaster } from '../assert-raster.js';
import type { Raster } from '../raster.js';
import { type OklabColor, oklabFromSrgb, srgbFromOklab } from './oklab.js';

/** Options of {@link chromaKey}. */
export interface ChromaKeyOptions {
  /** The key colour (a CSS colour), e.g. `#00ff00`. */
  readonly color: string;
  /** Colour distance under which a pixel is fully keyed out, 0..1. @default 0.1 */
  readonly tolerance?: number;
  /** Width of the soft edge above `tolerance`, 0..1. @default 0.1 */
  readonly softness?: number;
  /**
   * Spill suppression, 0 (off) to 1: removes the key's hue from the soft edge and, fading out,
   * from colours close to the key (green fringes and reflections). @default 1
   */
  readonly spill?: number;
  /**
   * Take the key from the image's border when the border is close to `color`: models rarely
   * paint the exact colour asked for. @default true
   */
  readonly refine?: boolean;
}

/** How far beyond the soft edge spill suppression fades out, in distance units. */
const spillReach = 0.2;
/** Lightness counts a quarter as much as chromaticity, so shadows on the backdrop still key. */
const lightnessWeight = 0.25;
/** Chromaticity is chroma over lightness, with this floor so near-black noise is not amplified. */
const lightnessFloor = 0.2;
/** Scales distances so that 1 is "clearly another colour" (green to skin is about 0.6). */
const distanceScale = 1 / 0.4;
/** A border this close to the asked colour is taken as the real key (yellow to green is 0.5). */
const refineReach = 0.45;

const subject = 'chroma key options';

function unitOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw ValidationError.field(
      [name],
      `Expected \`${name}\` to be a number from 0 to 1, got ${describeValue(value)}`,
      subject,
    );
  }
  return value;
}

/**
 * Perceptual distance from a pixel to the key: their chromaticities (OKLab `a` and `b` over
 * lightness, so a shaded backdrop stays close to its lit part), in units of the key's
 * lightness, plus a quarter of their lightness difference.
 */
function distance(pixel: OklabColor, key: OklabColor): number {
  const pixelLightness = Math.max(pixel.l, lightnessFloor);
  const keyLightness = Math.max(key.l, lightnessFloor);
  return (
    Math.hypot(
      lightnessWeight * (pixel.l - key.l),
      (pixel.a / pixelLightness - key.a / keyLightness) * keyLightness,
      (pixel.b / pixelLightness - key.b / keyLightness) * keyLightness,
    ) * distanceScale
  );
}

/**
 * The median colour of the image's outermost pixels, and the share of them within `reach` of it
 * (plain Oklab distance).
 */
function borderMedian(raster: Raster, reach = 0): OklabColor & { close: number } {
  const { width, height, data } = raster;
  const reds: number[] = [];
  const greens: number[] = [];
  const blues: number[] = [];
  const step = Math.max(1, Math.floor((width + height) / 512));
  const sample = (x: number, y: number) => {
    const index = (y * width + x) * 4;
    if (data[index + 3] === 0) return;
    reds.push(data[index]!);
    greens.push(data[index + 1]!);
    blues.push(data[index + 2]!);
  };
  for (let x = 0; x < width; x += step) {
    sample(x, 0);
    sample(x, height - 1);
  }
  for (let y = 0; y < height; y += step) {
    sample(0, y);
    sample(width - 1, y);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
  const color = oklabFromSrgb(median(reds), median(greens), median(blues), { l: 0, a: 0, b: 0 });
  let close = 0;
  if (reach > 0) {
    const pixel: OklabColor = { l: 0, a: 0, b: 0 };
    for (let index = 0; index < reds.length; index++) {
      oklabFromSrgb(reds[index]!, greens[index]!, blues[index]!, pixel);
      if (Math.hypot(pixel.l - color.l, pixel.a - color.a, pixel.b - color.b) <= reach) close++;
    }
    close /= Math.max(1, reds.length);
  }
  return { ...color, close };
}

/**
 * The plain background an opaque image was painted on: its border's median colour, when at
 * least 90% of the border is within 0.06 of it in Oklab (a studio backdrop, not a scene).
 *
 * @param raster - the painted image.
 * @returns the background as a CSS `rgb()` colour, or `undefined` when the border is not plain.
 */
export function plainBorderColor(raster: Raster): string | undefined {
  const border = borderMedian(raster, 0.06);
  if (border.close < 0.9) return undefined;
  const into = new Uint8ClampedArray(3);
  srgbFromOklab(border, into, 0);
  return `rgb(${into[0]}, ${into[1]}, ${into[2]})`;
}

/** The key in Oklab: the asked colour, or the border's colour when close to it and `refine`. */
function keyOf(raster: Raster, color: { r: number; g: number; b: number }, refine: boolean) {
  const key = oklabFromSrgb(color.r, color.g, color.b, { l: 0, a: 0, b: 0 });
  if (!refine) return key;
  const border = borderMedian(raster);
  return distance(border, key) <= refineReach ? border : key;
}

/**
 * The background colour {@link chromaKey} really keys out of `raster` for `color` (with
 * `refine`, the image's border colour when it is close to `color`), as 8-bit sRGB.
 *
 * @param raster - the painted image.
 * @param color - the asked key colour (a CSS colour).
 * @returns the key, or `undefined` when `color` is not a CSS colour.
 */
export function keyColorOf(
  raster: Raster,
  color: string,
): { r: number; g: number; b: number } | undefined {
  const parsed = parseCssColor(color);
  if (parsed === undefined) return undefined;
  const into = new Uint8ClampedArray(3);
  srgbFromOklab(keyOf(raster, parsed, true), into, 0);
  return { r: into[0]!, g: into[1]!, b: into[2]! };
}

/**
 * Keys out a plain background colour: a soft matte by perceptual (OKLab) distance to the key,
 * with spill suppression, so a layer painted "on a plain green background" by a model without
 * transparency becomes a clean cut-out.
 *
 * A pixel closer than `tolerance` to the key becomes transparent, one farther than
 * `tolerance + softness` keeps its alpha, with a smooth ramp between. Distances compare
 * chromaticity (OKLab chroma relative to lightness, so shadows on the backdrop key out too) and
 * a quarter of the lightness difference, scaled so that 1 is clearly another colour (green to
 * skin is about 0.6). The existing alpha is kept (multiplied).
 *
 * @example
 * ```ts
 * const cutOut = chromaKey(painted, { color: '#00ff00', tolerance: 0.12, softness: 0.1 });
 * ```
 *
 * @param raster - the painted image; it is not modified.
 * @param options - `color`, `tolerance`, `softness`, `spill`, `refine`.
 * @returns a new raster.
 * @throws {ValidationError} when the raster or an option is malformed.
 */
export function chromaKey(raster: Raster, options: ChromaKeyOptions): Raster {
  assertRaster(raster, ['raster']);
  if (typeof options !== 'object' || options === null) {
    throw ValidationError.field(
      [],
      `Expected \`options\` to be \`{ color, tolerance?, softness? }\`, got ${describeValue(options)}`,
      subject,
    );
  }
  const color = typeof options.color === 'string' ? parseCssColor(options.color) : undefined;
  if (color === undefined) {
    throw ValidationError.field(
      ['color'],
      `Expected \`color\` to be a CSS colour, got ${describeValue(options.color)}`,
      subject,
    );
  }
  const tolerance = unitOption(options.tolerance, 'tolerance', 0.1);
  const softness = unitOption(options.softness, 'softness', 0.1);
  const spill = unitOption(options.spill, 'spill', 1);
  if (options.refine !== undefined && typeof options.refine !== 'boolean') {
    throw ValidationError.field(
      ['refine'],
      `Expected \`refine\` to be a boolean, got ${describeValue(options.refine)}`,
      subject,
    );
  }

  const key = keyOf(raster, color, options.refine ?? true);
  const keyChroma = Math.hypot(key.a, key.b);
  const hueA = keyChroma > 1e-6 ? key.a / keyChroma : 0;
  const hueB = keyChroma > 1e-6 ? key.b / keyChroma : 0;
  const edge = tolerance + softness;

  const { width, height, data } = raster;
  const output = new Uint8ClampedArray(data);
  const pixel: OklabColor = { l: 0, a: 0, b: 0 };
  for (let index = 0; index < output.length; index += 4) {
    if (output[index + 3] === 0) continue;
    oklabFromSrgb(output[index]!, output[index + 1]!, output[index + 2]!, pixel);
    const away = distance(pixel, key);
    if (away <= tolerance) {
      output[index + 3] = 0;
      continue;
    }
    if (away < edge) {
      const ramp = (away - tolerance) / softness;
      output[index + 3] = output[index + 3]! * ramp * ramp * (3 - 2 * ramp);
    }
    if (spill === 0 || keyChroma <= 1e-6 || away >= edge + spillReach) continue;
    // Remove the part of the pixel's chroma that points towards the key's hue.
    const towards = pixel.a * hueA + pixel.b * hueB;
    if (towards <= 0) continue;
    const strength = spill * (away <= edge ? 1 : 1 - (away - edge) / spillReach);
    pixel.a -= towards * hueA * strength;
    pixel.b -= towards * hueB * strength;
    srgbFromOklab(pixel, output, index);
  }
  return { width, height, data: output };
}
