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

const gptImage15Price: OpenAIImagePrice = {
  perImage: gptImagePerImage([0.009, 0.013], [0.034, 0.05], [0.133, 0.2]),
  tokens: { textInput: 5, imageInput: 8, imageOutput: 32 },
};

/**
 * Image prices of every model this adapter lists, in US dollars. Sources and dates (the
 * machines this was written on cannot reach openai.com; see `docs/providers/openai.md`):
 * - gpt-image-1, dall-e-3, dall-e-2: OpenAI's pricing as restated in the provider reference
 *   this adapter was written against (taken November 2026).
 * - gpt-image-1-mini, gpt-image-1.5: OpenAI's pricing page as remembered at their launch
 *   (October and December 2025). **Unverified** here.
 * - gpt-image-2: token prices ($5/M text in, $8/M image in, $30/M image out) from third-party
 *   summaries of OpenAI's pricing page (April 2026); it has no per-image table (any size), so
 *   estimates for it use the 1024x1024-class figures those summaries quote. **Unverified.**
 * - chatgpt-image-latest: priced as gpt-image-1.5, which it pointed at when listed.
 *   **Unverified.**
 * Calls are priced from the token usage the response reports when the model has token prices,
 * otherwise from the per-image table. The `prices` setting of `createOpenAI` replaces entries
 * model by model.
 */
export const defaultOpenAIImagePrices: OpenAIImagePrices = {
  'gpt-image-1': {
    perImage: gptImagePerImage([0.011, 0.016], [0.042, 0.063], [0.167, 0.25]),
    tokens: { textInput: 5, imageInput: 10, imageOutput: 40 },
  },
  'gpt-image-1-mini': {
    perImage: gptImagePerImage([0.005, 0.006], [0.011, 0.015], [0.036, 0.052]),
    tokens: { textInput: 2, imageInput: 2.5, imageOutput: 8 },
  },
  'gpt-image-1.5': gptImage15Price,
  'chatgpt-image-latest': gptImage15Price,
  'gpt-image-2': {
    perImage: gptImagePerImage([0.006, 0.005], [0.053, 0.041], [0.211, 0.165]),
    tokens: { textInput: 5, imageInput: 8, imageOutput: 30 },
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

/** Model ids whose default prices could not be checked against OpenAI's page (see above). */
export const unverifiedOpenAIImagePrices: readonly string[] = [
  'gpt-image-1-mini',
  'gpt-image-1.5',
  'chatgpt-image-latest',
  'gpt-image-2',
];
