import type { Anchor, Fit, Placement } from '@layerloom/core';
import { intersect, type Rectangle } from './rectangle.js';

/** Where a layer image lands on the canvas. */
export interface ResolvedPlacement {
  /** The placement box (masks are relative to it). */
  readonly box: Rectangle;
  /** The image scaled by the fit, positioned by the anchor (for `cover`, larger than the box). */
  readonly fitted: Rectangle;
  /** The part that shows: fitted ∩ box ∩ canvas. Empty when the layer is off the canvas. */
  readonly visible: Rectangle;
}

const horizontal: Record<Anchor, number> = {
  center: 0.5,
  top: 0.5,
  bottom: 0.5,
  left: 0,
  right: 1,
  'top-left': 0,
  'top-right': 1,
  'bottom-left': 0,
  'bottom-right': 1,
};
const vertical: Record<Anchor, number> = {
  center: 0.5,
  top: 0,
  bottom: 1,
  left: 0.5,
  right: 0.5,
  'top-left': 0,
  'top-right': 0,
  'bottom-left': 1,
  'bottom-right': 1,
};

/**
 * Resolves a layer's placement: the box (default: the whole canvas, coordinates rounded to
 * whole pixels), the image fitted into it (`cover` fills the box and crops, `contain` fits
 * inside it, `fill` stretches), anchored, and the part that shows.
 *
 * @param placement - the layer's placement.
 * @param canvas - canvas size.
 * @param image - size of the layer image.
 */
export function resolvePlacement(
  placement: Placement | undefined,
  canvas: { readonly width: number; readonly height: number },
  image: { readonly width: number; readonly height: number },
): ResolvedPlacement {
  const box: Rectangle = {
    left: Math.round(placement?.x ?? 0),
    top: Math.round(placement?.y ?? 0),
    width: Math.max(1, Math.round(placement?.width ?? canvas.width)),
    height: Math.max(1, Math.round(placement?.height ?? canvas.height)),
  };
  const fit: Fit = placement?.fit ?? 'cover';
  const anchor: Anchor = placement?.anchor ?? 'center';
  let width = box.width;
  let height = box.height;
  if (fit !== 'fill') {
    const scaleX = box.width / image.width;
    const scaleY = box.height / image.height;
    const scale = fit === 'cover' ? Math.max(scaleX, scaleY) : Math.min(scaleX, scaleY);
    // Rounding may not shrink a cover below the box, nor grow a contain beyond it.
    width = Math.max(1, Math.round(image.width * scale));
    height = Math.max(1, Math.round(image.height * scale));
    if (fit === 'cover') {
      width = Math.max(width, box.width);
      height = Math.max(height, box.height);
    } else {
      width = Math.min(width, box.width);
      height = Math.min(height, box.height);
    }
  }
  const fitted: Rectangle = {
    left: box.left + Math.round((box.width - width) * horizontal[anchor]),
    top: box.top + Math.round((box.height - height) * vertical[anchor]),
    width,
    height,
  };
  const visible = intersect(fitted, box, {
    left: 0,
    top: 0,
    width: canvas.width,
    height: canvas.height,
  });
  return { box, fitted, visible };
}
