import type { GoogleImageTier } from './google-image-models.js';
import type { GoogleImagePrice } from './google-image-prices.js';

/** Token counts of a Gemini answer, in Layerloom's shape (see {@link usageOfGemini}). */
export type GoogleUsage = Readonly<Record<string, number>>;

/** What a call's cost depends on. */
export interface GoogleCostInput {
  /** The resolution tier painted. */
  readonly tier: GoogleImageTier;
  /** Token usage, when the answer reported it (Gemini models). */
  readonly usage?: GoogleUsage | undefined;
}

const roundToMicroDollars = (value: number) => Math.round(value * 1_000_000) / 1_000_000;

const count = (value: number | undefined) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;

/**
 * The cost of one call in US dollars: from the token usage when the model has token prices and
 * the answer reported usage (input tokens, plus output image tokens at the image price and the
 * other output tokens — text and thinking — at the text price), otherwise the per-image price
 * of the tier.
 *
 * @param price - the model's prices, when known.
 * @param input - tier and usage.
 * @returns the cost, or `undefined` when no price applies.
 */
export function calculateGoogleCost(
  price: GoogleImagePrice | undefined,
  input: GoogleCostInput,
): number | undefined {
  if (price === undefined) return undefined;
  const { usage } = input;
  if (price.tokens !== undefined && usage !== undefined && usage.outputTokens !== undefined) {
    const imageOutput = count(usage.outputImageTokens);
    const otherOutput =
      Math.max(0, count(usage.outputTokens) - imageOutput) + count(usage.thoughtsTokens);
    return roundToMicroDollars(
      (count(usage.inputTokens) * price.tokens.input +
        imageOutput * price.tokens.imageOutput +
        otherOutput * price.tokens.textOutput) /
        1_000_000,
    );
  }
  const perImage = price.perImage?.[input.tier];
  return perImage === undefined ? undefined : roundToMicroDollars(perImage);
}
