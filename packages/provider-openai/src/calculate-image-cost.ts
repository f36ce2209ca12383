import type { OpenAIImagePrice } from './openai-image-prices.js';

/** Token usage as the API reports it for GPT image models. */
export interface OpenAIImageUsage {
  readonly input_tokens?: number;
  readonly input_tokens_details?: { readonly image_tokens?: number; readonly text_tokens?: number };
  readonly output_tokens?: number;
  readonly output_tokens_details?: {
    readonly image_tokens?: number;
    readonly text_tokens?: number;
  };
  readonly total_tokens?: number;
}

/** What a call's cost depends on. */
export interface ImageCostInput {
  /** The size sent, `WxH`. */
  readonly size: string;
  /** The quality the API used, or was asked for; `auto` is priced as `high` (an upper bound). */
  readonly quality: string;
  /** Token usage, when the response reported it. */
  readonly usage?: OpenAIImageUsage | undefined;
}

const roundToMicroDollars = (value: number) => Math.round(value * 1_000_000) / 1_000_000;

const count = (value: number | undefined) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;

/**
 * The cost of one image in US dollars: from the token usage when the model has token prices and
 * the response reported usage, otherwise from the per-image table.
 *
 * @param price - the model's prices, when known.
 * @param input - size, quality and usage.
 * @returns the cost, or `undefined` when no price applies.
 */
export function calculateImageCost(
  price: OpenAIImagePrice | undefined,
  input: ImageCostInput,
): number | undefined {
  if (price === undefined) return undefined;
  const { usage } = input;
  if (price.tokens !== undefined && usage !== undefined) {
    const inputTokens = count(usage.input_tokens);
    const details = usage.input_tokens_details;
    const imageInput = count(details?.image_tokens);
    const textInput = details === undefined ? inputTokens : count(details.text_tokens);
    const output = count(usage.output_tokens);
    return roundToMicroDollars(
      (textInput * price.tokens.textInput +
        imageInput * price.tokens.imageInput +
        output * price.tokens.imageOutput) /
        1_000_000,
    );
  }
  const quality = input.quality === 'auto' ? 'high' : input.quality;
  const perImage = price.perImage?.[quality]?.[input.size];
  return perImage === undefined ? undefined : roundToMicroDollars(perImage);
}
