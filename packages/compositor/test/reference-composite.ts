/**
 * A float64 reference of W3C Compositing and Blending Level 1 source-over, written straight
 * from the spec's formulas (`reference/blending.md`) and independently of the kernel: it keeps
 * straight colours between layers, evaluates B() with the spec's helpers one channel or one
 * triple at a time and rounds to bytes only at the very end. Slow, obvious, and the yardstick
 * for the unit, property, golden and bench comparisons.
 */

import type { Raster, RasterLayer } from '@layerloom/compositor';
import type { BlendMode } from '@layerloom/core';

type Triple = [number, number, number];

// Float noise of a computed backdrop around the spec's discontinuities (Cb = 0, Cb = 1, a
// grey triple) must not flip the exact rules; real values are far from it.
const epsilon = 1e-13;

const softLightD = (x: number) => (x <= 0.25 ? ((16 * x - 12) * x + 4) * x : Math.sqrt(x));
const multiply = (cb: number, cs: number) => cb * cs;
const screen = (cb: number, cs: number) => cb + cs - cb * cs;
const hardLight = (cb: number, cs: number) =>
  cs <= 0.5 ? multiply(cb, 2 * cs) : screen(cb, 2 * cs - 1);

/** B(Cb, Cs) of a separable mode, for one channel. */
export function separableBlend(mode: BlendMode, cb: number, cs: number): number {
  switch (mode) {
    case 'normal':
      return cs;
    case 'multiply':
      return multiply(cb, cs);
    case 'screen':
      return screen(cb, cs);
    case 'overlay':
      return hardLight(cs, cb);
    case 'darken':
      return Math.min(cb, cs);
    case 'lighten':
      return Math.max(cb, cs);
    case 'color-dodge':
      if (cb <= epsilon) return 0;
      if (cs === 1) return 1;
      return Math.min(1, cb / (1 - cs));
    case 'color-burn':
      if (cb >= 1 - epsilon) return 1;
      if (cs === 0) return 0;
      return 1 - Math.min(1, (1 - cb) / cs);
    case 'hard-light':
      return hardLight(cb, cs);
    case 'soft-light':
      return cs <= 0.5
        ? cb - (1 - 2 * cs) * cb * (1 - cb)
        : cb + (2 * cs - 1) * (softLightD(cb) - cb);
    case 'difference':
      return Math.abs(cb - cs);
    case 'exclusion':
      return cb + cs - 2 * cb * cs;
    default:
      throw new Error(`${mode} is not separable`);
  }
}

const lum = ([r, g, b]: Triple) => 0.3 * r + 0.59 * g + 0.11 * b;

function clipColor(color: Triple): Triple {
  const l = lum(color);
  const n = Math.min(...color);
  const x = Math.max(...color);
  let result = color;
  if (n < 0) result = result.map((c) => l + ((c - l) * l) / (l - n)) as Triple;
  if (x > 1) result = result.map((c) => l + ((c - l) * (1 - l)) / (x - l)) as Triple;
  return result;
}

function setLum(color: Triple, l: number): Triple {
  const d = l - lum(color);
  return clipColor([color[0] + d, color[1] + d, color[2] + d]);
}

const sat = (color: Triple) => Math.max(...color) - Math.min(...color);

function setSat(color: Triple, s: number): Triple {
  const order = [0, 1, 2].sort((a, b) => color[a]! - color[b]!);
  const [min, mid, max] = order as [number, number, number];
  const result: Triple = [0, 0, 0];
  if (color[max]! - color[min]! > epsilon) {
    result[mid] = ((color[mid]! - color[min]!) * s) / (color[max]! - color[min]!);
    result[max] = s;
  }
  return result;
}

/** B(Cb, Cs) of any mode, on RGB triples. */
export function blend(mode: BlendMode, cb: Triple, cs: Triple): Triple {
  switch (mode) {
    case 'hue':
      return setLum(setSat(cs, sat(cb)), lum(cb));
    case 'saturation':
      return setLum(setSat(cb, sat(cs)), lum(cb));
    case 'color':
      return setLum(cs, lum(cb));
    case 'luminosity':
      return setLum(cb, lum(cs));
    default:
      return [
        separableBlend(mode, cb[0], cs[0]),
        separableBlend(mode, cb[1], cs[1]),
        separableBlend(mode, cb[2], cs[2]),
      ];
  }
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));

/** One straight-alpha pixel in [0, 1]. */
export interface FloatPixel {
  readonly color: Triple;
  readonly alpha: number;
}

/**
 * Source-over of one pixel: `αo = αs + αb(1 − αs)`,
 * `αo·Co = αs(1 − αb)·Cs + αs·αb·B(Cb, Cs) + (1 − αs)·αb·Cb`.
 */
export function sourceOver(backdrop: FloatPixel, source: FloatPixel, mode: BlendMode): FloatPixel {
  const as = source.alpha;
  const ab = backdrop.alpha;
  const ao = as + ab * (1 - as);
  if (ao === 0) return { color: [0, 0, 0], alpha: 0 };
  const mixed = blend(mode, backdrop.color, source.color).map(clamp) as Triple;
  const color = [0, 1, 2].map(
    (c) =>
      (as * (1 - ab) * source.color[c]! +
        as * ab * mixed[c]! +
        (1 - as) * ab * backdrop.color[c]!) /
      ao,
  ) as Triple;
  return { color, alpha: ao };
}

/**
 * The exact composite of `layers` (top-first) over `base`, rounded to bytes once at the end.
 * Same contract as `compositeRastersSync`.
 */
export function referenceComposite(base: Raster, layers: readonly RasterLayer[]): Raster {
  const { width, height } = base;
  const output = new Uint8ClampedArray(width * height * 4);
  const bottomFirst = [...layers].reverse();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = (y * width + x) * 4;
      let pixel: FloatPixel = {
        color: [base.data[index]! / 255, base.data[index + 1]! / 255, base.data[index + 2]! / 255],
        alpha: base.data[index + 3]! / 255,
      };
      for (const layer of bottomFirst) {
        const lx = x - (layer.left ?? 0);
        const ly = y - (layer.top ?? 0);
        const { raster } = layer;
        if (lx < 0 || ly < 0 || lx >= raster.width || ly >= raster.height) continue;
        const at = ly * raster.width + lx;
        const alpha =
          (raster.data[at * 4 + 3]! / 255) *
          (layer.opacity ?? 1) *
          (layer.mask === undefined ? 1 : layer.mask[at]! / 255);
        if (alpha === 0) continue;
        pixel = sourceOver(
          pixel,
          {
            color: [
              raster.data[at * 4]! / 255,
              raster.data[at * 4 + 1]! / 255,
              raster.data[at * 4 + 2]! / 255,
            ],
            alpha,
          },
          layer.blend ?? 'normal',
        );
      }
      output[index] = Math.round(clamp(pixel.color[0]) * 255);
      output[index + 1] = Math.round(clamp(pixel.color[1]) * 255);
      output[index + 2] = Math.round(clamp(pixel.color[2]) * 255);
      output[index + 3] = Math.round(pixel.alpha * 255);
    }
  }
  return { width, height, data: output };
}

/**
 * Largest difference of any channel between two rasters of the same size, colour channels
 * counted only where either pixel is not fully transparent (its colour is then undefined).
 */
export function maxChannelError(actual: Raster, expected: Raster): number {
  let worst = 0;
  const a = actual.data;
  const e = expected.data;
  for (let index = 0; index < e.length; index += 4) {
    const alphaError = Math.abs(a[index + 3]! - e[index + 3]!);
    if (alphaError > worst) worst = alphaError;
    if (a[index + 3] === 0 && e[index + 3] === 0) continue;
    for (let channel = 0; channel < 3; channel++) {
      const error = Math.abs(a[index + channel]! - e[index + channel]!);
      if (error > worst) worst = error;
    }
  }
  return worst;
}
