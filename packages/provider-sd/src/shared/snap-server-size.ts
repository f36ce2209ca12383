import { formatSize, type ImageSize, roundSizeToRange, type SizeRange } from '@layerloom/core';

/** The sizes a server accepts: a range whose sides are multiples of `multipleOf`. */
export interface SnapSizeRange extends SizeRange {
  /** Both sides must be a multiple of this. */
  readonly multipleOf: number;
}

/** A size after {@link snapServerSize}, with the warning to report when it changed. */
export interface SnappedSize extends ImageSize {
  /** Set when the size had to change. */
  readonly warning?: string;
}

/**
 * Snaps a size to the nearest one the server accepts with core's `roundSizeToRange`: each side
 * rounded to the nearest multiple of `multipleOf` and clamped into the range, on its own. The
 * planner has already scaled planned requests into the provider's `sizes` keeping their aspect
 * ratio, so this only changes requests made directly; what the adapter adds is the warning.
 *
 * @param size - the requested size.
 * @param range - what the server accepts.
 * @param server - the server's name, for the warning.
 */
export function snapServerSize(size: ImageSize, range: SnapSizeRange, server: string): SnappedSize {
  const { width, height } = roundSizeToRange(size, range);
  if (width === size.width && height === size.height) return { width, height };
  return {
    width,
    height,
    warning: `${server} needs sides that are multiples of ${range.multipleOf} from ${range.min} to ${range.max}: ${formatSize(size)} was sent as ${width}x${height}.`,
  };
}
