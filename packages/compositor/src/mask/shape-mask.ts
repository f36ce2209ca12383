import type { ShapeLayerMask } from '@layerloom/core';
import type { Rectangle } from '../placement/rectangle.js';

/** Φ, the standard normal distribution function (Abramowitz–Stegun 7.1.26, error < 2·10⁻⁷). */
function normalDistribution(value: number): number {
  const x = Math.abs(value) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return value >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** How much of the pixel `[position, position + 1)` lies in `[low, high)`, hard or blurred. */
function spanCoverage(position: number, low: number, high: number, sigma: number): number {
  if (sigma === 0) return Math.max(0, Math.min(position + 1, high) - Math.max(position, low));
  const centre = position + 0.5;
  return normalDistribution((centre - low) / sigma) - normalDistribution((centre - high) / sigma);
}

/**
 * Rasterises a rectangle or ellipse mask over `region` (coordinates relative to the placement
 * box). Edges are anti-aliased; `feather` blurs them exactly as a Gaussian of deviation
 * `feather / 2` would (the same softness as {@link featherMask}), computed in closed form.
 *
 * @param shape - the mask.
 * @param region - the part of the box to rasterise.
 * @returns one byte per pixel of `region`, 255 inside (0 inside when inverted).
 */
export function shapeMask(shape: ShapeLayerMask, region: Rectangle): Uint8Array {
  const output = new Uint8Array(region.width * region.height);
  const sigma = (shape.feather ?? 0) / 2;
  const invert = shape.invert ?? false;
  const right = shape.x + shape.width;
  const bottom = shape.y + shape.height;
  const columns = new Float64Array(region.width);
  for (let column = 0; column < region.width; column++) {
    columns[column] = spanCoverage(region.left + column, shape.x, right, sigma);
  }
  const centreX = shape.x + shape.width / 2;
  const centreY = shape.y + shape.height / 2;
  const radiusX = shape.width / 2;
  const radiusY = shape.height / 2;
  for (let row = 0; row < region.height; row++) {
    const y = region.top + row;
    const rowCoverage = spanCoverage(y, shape.y, bottom, sigma);
    for (let column = 0; column < region.width; column++) {
      let coverage: number;
      if (shape.type === 'rect') coverage = columns[column]! * rowCoverage;
      else {
        // Signed distance to the ellipse, to first order: (q − 1) / |∇q|.
        const dx = region.left + column + 0.5 - centreX;
        const dy = y + 0.5 - centreY;
        const q = Math.hypot(dx / radiusX, dy / radiusY);
        const gradient = Math.hypot(dx / (radiusX * radiusX), dy / (radiusY * radiusY)) / q;
        const distance = q === 0 ? -Math.min(radiusX, radiusY) : (q - 1) / gradient;
        coverage =
          sigma === 0
            ? Math.min(1, Math.max(0, 0.5 - distance))
            : normalDistribution(-distance / sigma);
      }
      const value = Math.round(coverage * 255);
      output[row * region.width + column] = invert ? 255 - value : value;
    }
  }
  return output;
}
