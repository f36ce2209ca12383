/** Token prices of a GPT image model, in US dollars per million tokens. */
export interface OpenAIImageTokenPrices {
  /** Prompt (text) input tokens. */
  readonly textInput: number;
  /** Input image tokens (edits). */
  readonly imageInput: number;
  /** Output tokens (the image, and partial images when streamed). */
  readonly imageOutput: number;
}

/** Prices of one model. */
export interface OpenAIImagePrice {
  /**
   * Price of one image in US dollars, by quality and then by size (`WxH`), e.g.
   * `{ standard: { '1024x1024': 0.04 } }`.
   */
  readonly perImage?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Token prices; used when the response reports `usage` (GPT image models). */
  readonly tokens?: OpenAIImageTokenPrices;
}

/** Prices by model id. */
export type OpenAIImagePrices = Readonly<Record<string, OpenAIImagePrice>>;

const gptImagePerImage = (low: number[], medium: number[], high: number[]) => {
  const bySize = ([square, wide]: number[]) => ({
    '1024x1024': square!,
    '1536x1024': wide!,
    '1024x1536': wide!,
  });
  return { low: bySize(low), medium: bySize(medium), high: bySize(high) };
};

/**
 * OpenAI's published image prices, from the provider reference this adapter was written
 * against (November 2026). Only models with published prices are listed; calls to the other
 * models report no `costUsd` unless you add their prices with the `prices` setting of
 * `createOpenAI`, which replaces entries of this table model by model.
 */
export const defaultOpenAIImagePrices: OpenAIImagePrices = {
  'gpt-image-1': {
    perImage: gptImagePerImage([0.011, 0.016], [0.042, 0.063], [0.167, 0.25]),
    tokens: { textInput: 5, imageInput: 10, imageOutput: 40 },
  },
  'dall-e-3': {
    perImage: {
      standard: { '1024x1024': 0.04, '1792x1024': 0.08, '1024x1792': 0.08 },
      hd: { '1024x1024': 0.08, '1792x1024': 0.12, '1024x1792': 0.12 },
    },
  },
  'dall-e-2': {
    perImage: { standard: { '256x256': 0.016, '512x512': 0.018, '1024x1024': 0.02 } },
  },
};
