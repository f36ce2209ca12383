import type { ReplicateImagePrice } from './replicate-image-prices.js';

/** What a prediction's bill depends on. */
export interface PredictionUsage {
  /** Output images the prediction returned. */
  readonly images: number;
  /** `metrics.predict_time` in seconds, when reported. */
  readonly predictSeconds: number | undefined;
}

const roundToMicroDollars = (value: number) => Math.round(value * 1_000_000) / 1_000_000;

/**
 * The cost of a prediction in US dollars: the per-image price times the images returned, or the
 * per-second price times `predict_time`.
 *
 * @param price - the model's price, when known.
 * @param usage - images returned and predict time.
 * @returns the cost, or `undefined` without a price (or a time-billed prediction without
 *   `predict_time`).
 */
export function calculatePredictionCost(
  price: ReplicateImagePrice | undefined,
  usage: PredictionUsage,
): number | undefined {
  if (price === undefined) return undefined;
  if ('perImage' in price) return roundToMicroDollars(price.perImage * usage.images);
  const seconds = usage.predictSeconds;
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return roundToMicroDollars(price.perSecond * seconds);
}

/**
 * The cost of one image before any call, for plans: the per-image price, or the per-second price
 * times the entry's `estimatedSeconds`.
 *
 * @param price - the model's price, when known.
 */
export function estimatePredictionCost(price: ReplicateImagePrice | undefined): number | undefined {
  if (price === undefined) return undefined;
  if ('perImage' in price) return roundToMicroDollars(price.perImage);
  return price.estimatedSeconds === undefined
    ? undefined
    : roundToMicroDollars(price.perSecond * price.estimatedSeconds);
}
