import { formatSize, type ImageSize, snapSize } from '@layerloom/core';
import type { FreeSizeRule, OpenAIImageModelSpec } from './openai-image-models.js';

/** A size the model accepts, and whether it differs from the one asked for. */
export interface SnappedImageSize extends ImageSize {
  /** The `size` field as sent: `WxH`. */
  readonly size: string;
  /** Whether the size differs from the requested one. */
  readonly snapped: boolean;
}

function fitFree(rule: FreeSizeRule, width: number, height: number): ImageSize {
  const landscape = width >= height;
  let long = landscape ? width : height;
  let short = landscape ? height : width;
  // Keep the aspect ratio inside the rule, by widening the shorter side.
  if (long / short > rule.maxAspectRatio) short = long / rule.maxAspectRatio;
  // Scale down to fit the largest size, keeping the aspect ratio.
  const scale = Math.min(1, rule.maxLongSide / long, rule.maxShortSide / short);
  long *= scale;
  short *= scale;
  const step = rule.multipleOf;
  const round = (value: number, limit: number) =>
    Math.min(
      Math.floor(limit / step) * step,
      Math.max(rule.minSide, Math.round(value / step) * step),
    );
  const longSide = round(long, rule.maxLongSide);
  let shortSide = round(short, rule.maxShortSide);
  // Rounding can push the ratio just outside the rule: step the shorter side back in (it stays
  // far below its limit, since the longest side is less than three times the shorter limit).
  while (longSide / shortSide > rule.maxAspectRatio) shortSide += step;
  return landscape
    ? { width: longSide, height: shortSide }
    : { width: shortSide, height: longSide };
}

/**
 * The size to ask a model for: the requested size when the model paints it, otherwise, for
 * models with a list of sizes, the listed size core's `snapSize` picks (the planner's rule:
 * nearest aspect ratio, then area), or — for free-size models (gpt-image-2), whose rule a
 * `SizeRange` cannot express — the requested size with its aspect ratio clamped to the rule,
 * scaled down to fit the largest size and rounded to the required multiple.
 *
 * @param spec - the model's rules.
 * @param width - requested width in pixels.
 * @param height - requested height in pixels.
 */
export function snapImageSize(
  spec: OpenAIImageModelSpec,
  width: number,
  height: number,
): SnappedImageSize {
  const chosen = Array.isArray(spec.sizes)
    ? snapSize({ width, height }, spec.sizes as readonly ImageSize[])
    : fitFree(spec.sizes as FreeSizeRule, width, height);
  return {
    width: chosen.width,
    height: chosen.height,
    size: formatSize(chosen),
    snapped: chosen.width !== width || chosen.height !== height,
  };
}
