import type { Matte } from '@layerloom/core';
import type { Raster } from '../raster.js';
import { chromaKey, keyColorOf, plainBorderColor } from './chroma-key.js';
import { isOpaque } from './is-opaque.js';
import { refineMatte } from './refine-matte.js';

/**
 * The image with every pixel opaque: the `none` matte. An image that is opaque already (an
 * RGB file, or a backdrop painted without transparency) is returned as it is, not copied.
 */
function opaque(raster: Raster): Raster {
  if (isOpaque(raster)) return raster;
  const data = new Uint8ClampedArray(raster.data);
  for (let index = 3; index < data.length; index += 4) data[index] = 255;
  return { width: raster.width, height: raster.height, data };
}

/** A chroma key of `color`, with edge refinement when asked (then decontamination, no spill). */
function keyOut(
  raster: Raster,
  color: string,
  options: { tolerance?: number; softness?: number; refine: boolean; refineEdges: boolean },
): Raster {
  const keyed = chromaKey(raster, {
    color,
    refine: options.refine,
    ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
    ...(options.softness === undefined ? {} : { softness: options.softness }),
    ...(options.refineEdges ? { spill: 0 } : {}),
  });
  if (!options.refineEdges) return keyed;
  const key = options.refine ? keyColorOf(raster, color) : undefined;
  return refineMatte(keyed, {
    background: key === undefined ? color : `rgb(${key.r}, ${key.g}, ${key.b})`,
  });
}

/**
 * Applies a layer's matte: `none` makes it opaque, `alpha` keeps the image's alpha, a chroma
 * key keys out its colour (with {@link refineMatte} when `refineEdges`). `auto` keeps an alpha
 * the image has; an opaque image on a plain backdrop (a border of one colour) has that colour
 * keyed out with refined edges; any other opaque image is kept as it is.
 *
 * @param raster - the decoded layer image; it is not modified.
 * @param matte - the layer's matte, already defaulted.
 * @returns the matted raster (the same object for `alpha`, and for `none` or `auto` when
 *   nothing changes).
 */
export function applyMatte(raster: Raster, matte: Matte): Raster {
  if (matte === 'alpha') return raster;
  if (matte === 'none') return opaque(raster);
  if (matte === 'auto') {
    if (!isOpaque(raster)) return raster;
    const backdrop = plainBorderColor(raster);
    return backdrop === undefined
      ? raster
      : keyOut(raster, backdrop, { refine: false, refineEdges: true });
  }
  return keyOut(raster, matte.chromaKey, {
    ...(matte.tolerance === undefined ? {} : { tolerance: matte.tolerance }),
    ...(matte.softness === undefined ? {} : { softness: matte.softness }),
    refine: true,
    refineEdges: matte.refineEdges === true,
  });
}
