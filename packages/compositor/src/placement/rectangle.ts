/** An axis-aligned rectangle in whole pixels. */
export interface Rectangle {
  /** Left edge. */
  readonly left: number;
  /** Top edge. */
  readonly top: number;
  /** Width (0 for an empty rectangle). */
  readonly width: number;
  /** Height (0 for an empty rectangle). */
  readonly height: number;
}

/** The overlap of rectangles; its width or height is 0 when they do not overlap. */
export function intersect(...rectangles: readonly Rectangle[]): Rectangle {
  let left = Number.NEGATIVE_INFINITY;
  let top = Number.NEGATIVE_INFINITY;
  let right = Number.POSITIVE_INFINITY;
  let bottom = Number.POSITIVE_INFINITY;
  for (const rectangle of rectangles) {
    left = Math.max(left, rectangle.left);
    top = Math.max(top, rectangle.top);
    right = Math.min(right, rectangle.left + rectangle.width);
    bottom = Math.min(bottom, rectangle.top + rectangle.height);
  }
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}
