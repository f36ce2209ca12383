import type { FalImagePrice } from './fal-image-prices.js';

/** What one call's cost depends on. */
export interface FalCostInput {
  /** Width of the image painted (or asked for), in pixels. */
  readonly width: number;
  /** Height of the image painted (or asked for), in pixels. */
  readonly height: number;
  /** The `style` sent, for per-style prices (Recraft). */
  readonly style?: string | undefined;
}

/** Pixels in one billed megapixel: fal counts 1024 × 1024. */
export const billedMegapixel = 1024 * 1024;

const roundToMicroDollars = (value: number) => Math.round(value * 1_000_000) / 1_000_000;

/**
 * The cost of one image in US dollars: whole megapixels (rounded up) times the megapixel price,
 * or the per-image price (by style where one is listed).
 *
 * @param price - the model's prices, when known.
 * @param input - size and style.
 * @returns the cost, or `undefined` when no price applies.
 */
export function calculateFalCost(
  price: FalImagePrice | undefined,
  input: FalCostInput,
): number | undefined {
  if (price === undefined) return undefined;
  if (price.perMegapixel !== undefined) {
    const megapixels = Math.max(1, Math.ceil((input.width * input.height) / billedMegapixel));
    return roundToMicroDollars(megapixels * price.perMegapixel);
  }
  const style = input.style;
  if (style !== undefined && price.perImageByStyle !== undefined) {
    for (const [prefix, cost] of Object.entries(price.perImageByStyle)) {
      if (style === prefix || style.startsWith(`${prefix}/`)) return roundToMicroDollars(cost);
    }
  }
  return price.perImage === undefined ? undefined : roundToMicroDollars(price.perImage);
}
