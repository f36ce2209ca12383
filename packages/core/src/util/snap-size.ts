import type { ImageSize } from '../types/encoded-image.js';
import type { ProviderCapabilities, SizeRange } from '../types/provider.js';

const isRange = (sizes: ProviderCapabilities['sizes']): sizes is SizeRange => !Array.isArray(sizes);

/** How far `candidate` is from `target`: aspect ratio, plus a quarter of the area (log scale). */
function distance(target: ImageSize, candidate: ImageSize): number {
  const aspect = Math.abs(
    Math.log(candidate.width / candidate.height / (target.width / target.height)),
  );
  const area = Math.abs(
    Math.log((candidate.width * candidate.height) / (target.width * target.height)),
  );
  return aspect + 0.25 * area;
}

/** The step and the smallest and largest multiples of it inside a range. */
function gridOf(range: SizeRange): { step: number; low: number; high: number } {
  const step = Math.max(1, Math.floor(range.multipleOf ?? 1));
  const low = Math.ceil(range.min / step) * step;
  return { step, low, high: Math.max(low, Math.floor(range.max / step) * step) };
}

/**
 * Rounds each side of a size to the nearest multiple of `range.multipleOf` and clamps it into
 * `range.min`..`range.max` (to the multiples inside the range), each side on its own: a size
 * already inside the range moves by at most half a step. {@link snapSize} uses it after scaling
 * a size into a range; an adapter whose server takes any size on a grid can use it alone.
 *
 * @param size - the size to round (sides may be fractional).
 * @param range - the accepted sides.
 * @returns the rounded size.
 */
export function roundSizeToRange(size: ImageSize, range: SizeRange): ImageSize {
  const { step, low, high } = gridOf(range);
  const side = (value: number) =>
    Math.min(high, Math.max(low, Math.max(step, Math.round(value / step) * step)));
  return { width: side(size.width), height: side(size.height) };
}

function snapToRange(target: ImageSize, range: SizeRange): ImageSize {
  const { low, high } = gridOf(range);
  let scale = 1;
  const longest = Math.max(target.width, target.height);
  const shortest = Math.min(target.width, target.height);
  if (longest > high) scale = high / longest;
  if (shortest * scale < low) scale = low / shortest;
  return roundSizeToRange({ width: target.width * scale, height: target.height * scale }, range);
}

/**
 * The generation size a provider supports that is nearest to `target`: the planner's rule,
 * exported so that adapters snap direct calls the same way. From a list, the size closest in
 * aspect ratio, then in area: the distance is the aspect ratios' log distance plus a quarter of
 * the areas' (so a much closer area can outweigh a slightly closer aspect; ties go to the
 * earlier size). From a range, the target
 * scaled down (or up) to fit `min`..`max` keeping its aspect ratio, each side rounded to
 * `multipleOf`.
 *
 * @param target - the wanted size (positive integers).
 * @param sizes - the provider's `capabilities.sizes`.
 * @returns the size to request.
 */
export function snapSize(target: ImageSize, sizes: ProviderCapabilities['sizes']): ImageSize {
  if (isRange(sizes)) return snapToRange(target, sizes);
  let best = sizes[0] ?? target;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const size of sizes) {
    const value = distance(target, size);
    if (value < bestDistance - 1e-12) {
      best = size;
      bestDistance = value;
    }
  }
  return { width: best.width, height: best.height };
}

/**
 * A size as `WxH`, e.g. `1024x1024`, as warnings and the OpenAI API write it.
 *
 * @param size - the size.
 */
export const formatSize = (size: ImageSize): string => `${size.width}x${size.height}`;
