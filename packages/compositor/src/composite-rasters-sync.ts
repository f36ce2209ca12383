import { compositePreparedSync } from './blend/composite-prepared.js';
import { prepareComposite } from './blend/prepare-composite.js';
import type { Raster } from './raster.js';
import type { RasterLayer } from './raster-layer.js';

/**
 * Blends `layers` (top-first) over `base` on the calling thread, exactly as
 * {@link compositeRasters} does: W3C source-over with the layer's blend mode, per-layer opacity
 * and mask, clipped to the base. Neither `base` nor the layers are modified.
 *
 * @example
 * ```ts
 * const picture = compositeRastersSync(background, [
 *   { raster: glow, left: 40, top: 20, blend: 'screen', opacity: 0.8 },
 *   { raster: hero, left: 100, top: 60 },
 * ]);
 * ```
 *
 * @param base - the backdrop; the result has its size.
 * @param layers - the layers, **first on top**.
 * @returns a new raster the size of `base`, its bytes on an ordinary `ArrayBuffer`.
 * @throws {ValidationError} when a raster, offset, blend mode, opacity or mask is malformed.
 */
export function compositeRastersSync(base: Raster, layers: readonly RasterLayer[]): Raster {
  return compositePreparedSync(prepareComposite(base, layers));
}
