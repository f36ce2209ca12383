import type { ImageSize } from '@layerloom/core';

/** The sizes a server accepts: a range whose sides are multiples of `multipleOf`. */
export interface SnapSizeRange {
  /** Smallest side, in pixels. */
  readonly min: number;
  /** Largest side, in pixels. */
  readonly max: number;
  /** Both sides must be a multiple of this. */
  readonly multipleOf: number;
}

/** A size after {@link snapSize}, with the warning to report when it changed. */
export interface SnappedSize extends ImageSize {
  /** Set when the size had to change. */
  readonly warning?: string;
}

function snapSide(side: number, range: SnapSizeRange): number {
  const step = range.multipleOf;
  const lowest = Math.ceil(range.min / step) * step;
  const highest = Math.floor(range.max / step) * step;
  return Math.min(highest, Math.max(lowest, Math.round(side / step) * step));
}

/**
 * Snaps a size to the nearest one the server accepts (each side rounded to the nearest multiple
 * of `multipleOf` and clamped into the range).
 *
 * @param size - the requested size.
 * @param range - what the server accepts.
 * @param server - the server's name, for the warning.
 */
export function snapSize(size: ImageSize, range: SnapSizeRange, server: string): SnappedSize {
  const width = snapSide(size.width, range);
  const height = snapSide(size.height, range);
  if (width === size.width && height === size.height) return { width, height };
  return {
    width,
    height,
    warning: `${server} needs sides that are multiples of ${range.multipleOf} from ${range.min} to ${range.max}: ${size.width}x${size.height} was sent as ${width}x${height}.`,
  };
}
