import { type ImageSize, ValidationError } from '@layerloom/core';

/**
 * Stability image model ids this adapter knows. Other `sd3…` ids are sent to the SD3 endpoint
 * as its `model` field (with a warning); see `resolveStabilityModel`.
 */
export type StabilityImageModelId =
  | 'stable-image-core'
  | 'stable-image-ultra'
  | 'sd3.5-large'
  | 'sd3.5-large-turbo'
  | 'sd3.5-medium'
  | 'sd3.5-flash'
  | (string & {});

/** The aspect ratios the generate endpoints (and control/style) take, widest first. */
export const stabilityAspectRatios = [
  '21:9',
  '16:9',
  '3:2',
  '5:4',
  '1:1',
  '4:5',
  '2:3',
  '9:16',
  '9:21',
] as const;

/** One of {@link stabilityAspectRatios}. */
export type StabilityAspectRatio = (typeof stabilityAspectRatios)[number];

/** What one Stability generate model accepts, from the v2beta API reference. */
export interface StabilityModelSpec {
  /** The model id the rules were taken from. */
  readonly canonicalId: string;
  /** `POST /v2beta/stable-image/generate/{endpoint}`. */
  readonly endpoint: 'core' | 'ultra' | 'sd3';
  /** The `model` field sent to the SD3 endpoint (absent for core and ultra). */
  readonly sd3Model: string | undefined;
  /** Output size in megapixels: the service picks the pixels from the aspect ratio. */
  readonly megapixels: number;
  /** Paints over an input image (`image` + `strength`): ultra and the SD3 models. */
  readonly imageToImage: boolean;
  /** Accepts `cfg_scale` (the SD3 models). */
  readonly cfgScale: boolean;
  /** Whether the id was recognised (unknown `sd3…` ids are sent as they are, with a warning). */
  readonly known: boolean;
}

const sd3 = (id: string, known = true): StabilityModelSpec => ({
  canonicalId: id,
  endpoint: 'sd3',
  sd3Model: id,
  megapixels: 1,
  imageToImage: true,
  cfgScale: true,
  known,
});

/** The rules of every model id the adapter knows. */
export const stabilityModels: Readonly<Record<string, StabilityModelSpec>> = {
  'stable-image-core': {
    canonicalId: 'stable-image-core',
    endpoint: 'core',
    sd3Model: undefined,
    megapixels: 1.5,
    imageToImage: false,
    cfgScale: false,
    known: true,
  },
  'stable-image-ultra': {
    canonicalId: 'stable-image-ultra',
    endpoint: 'ultra',
    sd3Model: undefined,
    megapixels: 1,
    imageToImage: true,
    cfgScale: false,
    known: true,
  },
  'sd3.5-large': sd3('sd3.5-large'),
  'sd3.5-large-turbo': sd3('sd3.5-large-turbo'),
  'sd3.5-medium': sd3('sd3.5-medium'),
  'sd3.5-flash': sd3('sd3.5-flash'),
};

/**
 * The rules for a model id: the known ids exactly; any other id starting with `sd3` as an SD3
 * model sent as its `model` field (`known: false`, the service decides whether it exists).
 *
 * @param modelId - the id given to `.image()`.
 * @throws ValidationError naming `modelId` for any other id.
 */
export function resolveStabilityModel(modelId: string): StabilityModelSpec {
  const exact = stabilityModels[modelId];
  if (exact !== undefined) return exact;
  if (/^sd3[.\-\w]*$/.test(modelId)) return sd3(modelId, false);
  throw ValidationError.field(
    ['modelId'],
    `Expected \`modelId\` to be a Stability image model (${Object.keys(stabilityModels).join(', ')}, or another sd3… id), got ${JSON.stringify(modelId)}`,
    'model id',
  );
}

const ratioValue = (ratio: string) => {
  const [width, height] = ratio.split(':').map(Number);
  return width! / height!;
};

/**
 * The size the service answers with for an aspect ratio at `megapixels`: both sides multiples
 * of 64, the ratio kept as closely as the grid allows (1 MP 16:9 → 1344×768).
 *
 * @param ratio - an aspect ratio such as `16:9`.
 * @param megapixels - the model's output size.
 */
export function sizeOfAspectRatio(ratio: StabilityAspectRatio, megapixels: number): ImageSize {
  const value = ratioValue(ratio);
  const pixels = megapixels * 1_000_000;
  const side = (length: number) => Math.max(64, Math.round(length / 64) * 64);
  return { width: side(Math.sqrt(pixels * value)), height: side(Math.sqrt(pixels / value)) };
}

/**
 * The sizes a generate model paints, one per aspect ratio: its `capabilities.sizes`.
 *
 * @param megapixels - the model's output size.
 */
export function sizesOfModel(megapixels: number): readonly ImageSize[] {
  return stabilityAspectRatios.map((ratio) => sizeOfAspectRatio(ratio, megapixels));
}

/**
 * The aspect ratio whose size (at `megapixels`) is `size`, if any.
 *
 * @param size - a size from {@link sizesOfModel}.
 * @param megapixels - the model's output size.
 */
export function aspectRatioOfSize(
  size: ImageSize,
  megapixels: number,
): StabilityAspectRatio | undefined {
  return stabilityAspectRatios.find((ratio) => {
    const candidate = sizeOfAspectRatio(ratio, megapixels);
    return candidate.width === size.width && candidate.height === size.height;
  });
}
