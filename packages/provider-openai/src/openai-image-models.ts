import type { ImageSize } from '@layerloom/core';

/**
 * OpenAI image model ids this adapter knows. Other strings are accepted too (new snapshots);
 * see `resolveOpenAIImageModel` (internal) for how they are treated.
 */
export type OpenAIImageModelId =
  | 'gpt-image-1'
  | 'gpt-image-1-mini'
  | 'gpt-image-1.5'
  | 'chatgpt-image-latest'
  | 'gpt-image-2'
  | 'gpt-image-2-2026-04-21'
  | 'dall-e-3'
  | 'dall-e-2'
  | (string & {});

/** The free-size rule of gpt-image-2: any `WxH` inside these bounds. */
export interface FreeSizeRule {
  /** Both sides are a multiple of this. */
  readonly multipleOf: number;
  /** Smallest side accepted. */
  readonly minSide: number;
  /** Longest side accepted. */
  readonly maxLongSide: number;
  /** Largest shorter side accepted (3840x2160 is the largest size). */
  readonly maxShortSide: number;
  /** Largest ratio of the longer to the shorter side (3 = between 1:3 and 3:1). */
  readonly maxAspectRatio: number;
}

/** What one OpenAI image model accepts, from the API reference. */
export interface OpenAIImageModelSpec {
  /** The model id the rules below were taken from. */
  readonly canonicalId: string;
  /** Request rules: the GPT image models, dall-e-3 or dall-e-2. */
  readonly family: 'gpt-image' | 'dall-e-3' | 'dall-e-2';
  /** Longest prompt, in characters. */
  readonly maxPromptLength: number;
  /** Largest `n`. */
  readonly maxImagesPerCall: number;
  /** The sizes it paints: a list, or the free-size rule. */
  readonly sizes: readonly ImageSize[] | FreeSizeRule;
  /** Accepted `quality` values. */
  readonly qualities: readonly string[];
  /** `quality` the API uses when none is sent (for cost estimates). */
  readonly defaultQuality: string;
  /** Accepts `background: 'transparent'`. */
  readonly transparency: boolean;
  /** Has `/images/edits`. */
  readonly edits: boolean;
  /** Accepts a `mask` with edits. */
  readonly mask: boolean;
  /** Accepts `stream` and `partial_images`. */
  readonly streaming: boolean;
  /** Accepts `input_fidelity` with edits. */
  readonly inputFidelity: boolean;
  /**
   * Most input images one edit takes (`image` plus reference images, sent as `image[]`): 16
   * for the GPT image models, 1 for dall-e-2, 0 for dall-e-3 (openai-node's `image` wording).
   */
  readonly maxInputImages: number;
  /** Accepts `size: "auto"` (the model picks the size). */
  readonly autoSize: boolean;
  /** Accepts `response_format` (url or b64_json). */
  readonly responseFormat: boolean;
  /** Accepts `style`. */
  readonly style: boolean;
  /** Accepts `output_format`, `output_compression` and `background`. */
  readonly outputFormat: boolean;
  /** Accepts `moderation` (generations only). */
  readonly moderation: boolean;
  /** Largest input image for edits, in bytes. */
  readonly maxInputImageBytes: number;
  /** Media types accepted as edit input. */
  readonly inputImageTypes: readonly string[];
  /** Edit input must be a square image (dall-e-2). */
  readonly squareInputImage: boolean;
  /** Whether the id was recognised; unknown ids get GPT image rules and a warning. */
  readonly known: boolean;
}

const megabyte = 1024 * 1024;

const gptImageSizes: readonly ImageSize[] = [
  { width: 1024, height: 1024 },
  { width: 1536, height: 1024 },
  { width: 1024, height: 1536 },
];

const gptImage = (canonicalId: string, inputFidelity: boolean): OpenAIImageModelSpec => ({
  canonicalId,
  family: 'gpt-image',
  maxPromptLength: 32_000,
  maxImagesPerCall: 10,
  sizes: gptImageSizes,
  qualities: ['low', 'medium', 'high', 'auto'],
  defaultQuality: 'auto',
  transparency: true,
  edits: true,
  mask: true,
  streaming: true,
  inputFidelity,
  maxInputImages: 16,
  autoSize: true,
  responseFormat: false,
  style: false,
  outputFormat: true,
  moderation: true,
  maxInputImageBytes: 50 * megabyte,
  inputImageTypes: ['image/png', 'image/webp', 'image/jpeg'],
  squareInputImage: false,
  known: true,
});

/**
 * The rules of every model id the adapter knows. `input_fidelity` follows openai-node's wording
 * (v7.5.0, `ImageEditParamsBase.input_fidelity`): "only supported for `gpt-image-1` and
 * `gpt-image-1.5` and later models, unsupported for `gpt-image-1-mini`" — so gpt-image-2 takes
 * it; chatgpt-image-latest is not named and is left without it (an unknown field is a 400).
 */
export const openAIImageModels: Readonly<Record<string, OpenAIImageModelSpec>> = {
  'gpt-image-1': gptImage('gpt-image-1', true),
  'gpt-image-1-mini': gptImage('gpt-image-1-mini', false),
  'gpt-image-1.5': gptImage('gpt-image-1.5', true),
  'chatgpt-image-latest': gptImage('chatgpt-image-latest', false),
  'gpt-image-2': {
    ...gptImage('gpt-image-2', true),
    sizes: {
      multipleOf: 16,
      minSide: 16,
      maxLongSide: 3840,
      maxShortSide: 2160,
      maxAspectRatio: 3,
    },
  },
  'dall-e-3': {
    canonicalId: 'dall-e-3',
    family: 'dall-e-3',
    maxPromptLength: 4000,
    maxImagesPerCall: 1,
    sizes: [
      { width: 1024, height: 1024 },
      { width: 1792, height: 1024 },
      { width: 1024, height: 1792 },
    ],
    qualities: ['standard', 'hd'],
    defaultQuality: 'standard',
    transparency: false,
    edits: false,
    mask: false,
    streaming: false,
    inputFidelity: false,
    maxInputImages: 0,
    autoSize: false,
    responseFormat: true,
    style: true,
    outputFormat: false,
    moderation: false,
    maxInputImageBytes: 0,
    inputImageTypes: [],
    squareInputImage: false,
    known: true,
  },
  'dall-e-2': {
    canonicalId: 'dall-e-2',
    family: 'dall-e-2',
    maxPromptLength: 1000,
    maxImagesPerCall: 10,
    sizes: [
      { width: 256, height: 256 },
      { width: 512, height: 512 },
      { width: 1024, height: 1024 },
    ],
    qualities: ['standard'],
    defaultQuality: 'standard',
    transparency: false,
    edits: true,
    mask: true,
    streaming: false,
    inputFidelity: false,
    maxInputImages: 1,
    autoSize: false,
    responseFormat: true,
    style: false,
    outputFormat: false,
    moderation: false,
    maxInputImageBytes: 4 * megabyte,
    inputImageTypes: ['image/png'],
    squareInputImage: true,
    known: true,
  },
};

/** Dated snapshots share the rules of their base model; the longest prefix wins. */
const prefixes = [
  'gpt-image-1-mini',
  'gpt-image-1.5',
  'gpt-image-1',
  'gpt-image-2',
  'chatgpt-image',
  'dall-e-3',
  'dall-e-2',
] as const;

/**
 * The rules for a model id: the known ids exactly, dated snapshots (`gpt-image-1-2025-04-15`)
 * by their base model, and any other id as a GPT image model without `input_fidelity`
 * (newer OpenAI image models follow the GPT image API), marked `known: false`.
 *
 * @param modelId - the model id as given to `.image()`.
 */
export function resolveOpenAIImageModel(modelId: string): OpenAIImageModelSpec {
  const exact = openAIImageModels[modelId];
  if (exact !== undefined) return exact;
  for (const prefix of prefixes) {
    if (modelId.startsWith(`${prefix}-`)) {
      const base = prefix === 'chatgpt-image' ? 'chatgpt-image-latest' : prefix;
      return openAIImageModels[base]!;
    }
  }
  return { ...gptImage(modelId, false), known: false };
}
