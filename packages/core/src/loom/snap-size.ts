import type { ImageSize } from '../types/encoded-image.js';
import type { ProviderCapabilities, SizeRange } from '../types/provider.js';

const isRange = (sizes: ProviderCapabilities['sizes']): sizes is SizeRange => !Array.isArray(sizes);

/** How far `candidate` is from `target`: aspect ratio first, then area (log scale). */
function distance(target: ImageSize, candidate: ImageSize): number {
  const aspect = Math.abs(
    Math.log(candidate.width / candidate.height / (target.width / target.height)),
  );
  const area = Math.abs(
    Math.log((candidate.width * candidate.height) / (target.width * target.height)),
  );
  return aspect + 0.25 * area;
}

function snapToRange(target: ImageSize, range: SizeRange): ImageSize {
  const step = Math.max(1, Math.floor(range.multipleOf ?? 1));
  const low = Math.ceil(range.min / step) * step;
  const high = Math.max(low, Math.floor(range.max / step) * step);
  let scale = 1;
  const longest = Math.max(target.width, target.height);
  const shortest = Math.min(target.width, target.height);
  if (longest > high) scale = high / longest;
  if (shortest * scale < low) scale = low / shortest;
  const side = (value: number) =>
    Math.min(high, Math.max(low, Math.max(step, Math.round((value * scale) / step) * step)));
  return { width: side(target.width), height: side(target.height) };
}

/**
 * The generation size a provider supports that is nearest to `target`. From a list, the size
 * closest in aspect ratio, then in area (ties go to the earlier size). From a range, the target
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

/** `1024x1024`. */
export const formatSize = (size: ImageSize): string => `${size.width}x${size.height}`;
