import { type ImageSize, type SizeRange, ValidationError } from '@layerloom/core';

/**
 * Replicate image models this adapter knows (their inputs are mapped field by field). Any other
 * `owner/name`, `owner/name:version` or bare version id is accepted too, and called with the
 * prompt plus `options.input` (see `resolveReplicateModel`).
 */
export type ReplicateImageModelId =
  | 'black-forest-labs/flux-schnell'
  | 'black-forest-labs/flux-dev'
  | 'black-forest-labs/flux-1.1-pro'
  | 'stability-ai/sdxl'
  | 'ideogram-ai/ideogram-v2'
  | 'recraft-ai/recraft-v3'
  | (string & {});

/** How a model takes the picture's size. */
export type SizeInput =
  /** `aspect_ratio` from a fixed list, each ratio painted at one pixel size. */
  | { readonly kind: 'aspect-ratio'; readonly ratios: Readonly<Record<string, ImageSize>> }
  /** `width` and `height` inside a range. */
  | { readonly kind: 'width-height'; readonly range: SizeRange }
  /** `aspect_ratio: "custom"` with `width` and `height` inside a range (FLUX 1.1 [pro]). */
  | { readonly kind: 'custom-aspect-ratio'; readonly range: SizeRange }
  /** `size` as `WxH` from a fixed list (Recraft). */
  | { readonly kind: 'size'; readonly sizes: readonly ImageSize[] }
  /** No size input: the model paints its own size. */
  | { readonly kind: 'none' };

/** What one Replicate model accepts, from its page's input schema. */
export interface ReplicateModelSpec {
  /** `owner/name`, or the version id for a bare version. */
  readonly model: string;
  /** The version to run, when one is pinned (in the id, or the default of a community model). */
  readonly version: string | undefined;
  /** Whether the adapter knows the model's inputs. */
  readonly known: boolean;
  /** How the size is sent. */
  readonly size: SizeInput;
  /** Input name of the negative prompt, when the model has one. */
  readonly negativePrompt: string | undefined;
  /** Input name of the seed, when the model takes one. */
  readonly seed: string | undefined;
  /** Denoising steps: input name and accepted range. */
  readonly steps:
    | { readonly input: string; readonly min: number; readonly max: number }
    | undefined;
  /** Guidance: input name and accepted range. */
  readonly guidance:
    | { readonly input: string; readonly min: number; readonly max: number }
    | undefined;
  /** The input image (image-to-image or inpainting). */
  readonly image:
    | {
        readonly input: string;
        /** Input name of the strength (`prompt_strength`), when the model has one. */
        readonly strength: string | undefined;
        /** The model takes an image only together with a mask (inpainting). */
        readonly needsMask: boolean;
      }
    | undefined;
  /** The inpainting mask: input name and which pixels the model repaints. */
  readonly mask: { readonly input: string; readonly repaints: 'white' | 'black' } | undefined;
  /** Values of `output_format`, when the model has one. */
  readonly outputFormats: readonly string[] | undefined;
  /** Input name of the number of images, when the model has one (the adapter sends 1). */
  readonly numOutputs: string | undefined;
  /** Most images one prediction can return. */
  readonly maxImagesPerCall: number;
}

/** The FLUX.1 aspect ratios at about one megapixel, as the FLUX models paint them. */
const fluxRatios: Readonly<Record<string, ImageSize>> = {
  '1:1': { width: 1024, height: 1024 },
  '16:9': { width: 1344, height: 768 },
  '21:9': { width: 1536, height: 640 },
  '3:2': { width: 1216, height: 832 },
  '2:3': { width: 832, height: 1216 },
  '4:5': { width: 896, height: 1088 },
  '5:4': { width: 1088, height: 896 },
  '3:4': { width: 896, height: 1152 },
  '4:3': { width: 1152, height: 896 },
  '9:16': { width: 768, height: 1344 },
  '9:21': { width: 640, height: 1536 },
};

/** Ideogram's aspect ratios and the size it paints each at. */
const ideogramRatios: Readonly<Record<string, ImageSize>> = {
  '1:1': { width: 1024, height: 1024 },
  '16:9': { width: 1312, height: 736 },
  '9:16': { width: 736, height: 1312 },
  '4:3': { width: 1152, height: 864 },
  '3:4': { width: 864, height: 1152 },
  '3:2': { width: 1248, height: 832 },
  '2:3': { width: 832, height: 1248 },
  '16:10': { width: 1280, height: 800 },
  '10:16': { width: 800, height: 1280 },
  '3:1': { width: 1536, height: 512 },
  '1:3': { width: 512, height: 1536 },
};

const recraftSizes: readonly ImageSize[] = [
  [1024, 1024],
  [1365, 1024],
  [1024, 1365],
  [1536, 1024],
  [1024, 1536],
  [1820, 1024],
  [1024, 1820],
  [1024, 2048],
  [2048, 1024],
  [1434, 1024],
  [1024, 1434],
  [1024, 1280],
  [1280, 1024],
  [1024, 1707],
  [1707, 1024],
].map(([width, height]) => ({ width: width!, height: height! }));

const fluxFormats = ['webp', 'jpg', 'png'] as const;

type KnownSpec = Omit<ReplicateModelSpec, 'model' | 'version' | 'known'> & {
  /** The version of a community model (no `/models/{owner}/{name}/predictions` endpoint). */
  readonly defaultVersion?: string;
};

const plain = {
  negativePrompt: undefined,
  seed: 'seed',
  steps: undefined,
  guidance: undefined,
  image: undefined,
  mask: undefined,
  outputFormats: undefined,
  numOutputs: undefined,
  maxImagesPerCall: 1,
} as const satisfies Partial<KnownSpec>;

/** The input schemas of the well-known models, as their Replicate pages describe them. */
export const replicateImageModels: Readonly<Record<string, KnownSpec>> = {
  'black-forest-labs/flux-schnell': {
    ...plain,
    size: { kind: 'aspect-ratio', ratios: fluxRatios },
    steps: { input: 'num_inference_steps', min: 1, max: 4 },
    outputFormats: fluxFormats,
    numOutputs: 'num_outputs',
    maxImagesPerCall: 4,
  },
  'black-forest-labs/flux-dev': {
    ...plain,
    size: { kind: 'aspect-ratio', ratios: fluxRatios },
    steps: { input: 'num_inference_steps', min: 1, max: 50 },
    guidance: { input: 'guidance', min: 0, max: 10 },
    image: { input: 'image', strength: 'prompt_strength', needsMask: false },
    outputFormats: fluxFormats,
    numOutputs: 'num_outputs',
    maxImagesPerCall: 4,
  },
  'black-forest-labs/flux-1.1-pro': {
    ...plain,
    size: { kind: 'custom-aspect-ratio', range: { min: 256, max: 1440, multipleOf: 32 } },
    outputFormats: fluxFormats,
  },
  'stability-ai/sdxl': {
    ...plain,
    defaultVersion: '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b',
    size: { kind: 'width-height', range: { min: 256, max: 1536, multipleOf: 8 } },
    negativePrompt: 'negative_prompt',
    steps: { input: 'num_inference_steps', min: 1, max: 500 },
    guidance: { input: 'guidance_scale', min: 1, max: 50 },
    image: { input: 'image', strength: 'prompt_strength', needsMask: false },
    mask: { input: 'mask', repaints: 'white' },
    numOutputs: 'num_outputs',
    maxImagesPerCall: 4,
  },
  'ideogram-ai/ideogram-v2': {
    ...plain,
    size: { kind: 'aspect-ratio', ratios: ideogramRatios },
    negativePrompt: 'negative_prompt',
    image: { input: 'image', strength: undefined, needsMask: true },
    mask: { input: 'mask', repaints: 'black' },
  },
  'recraft-ai/recraft-v3': {
    ...plain,
    size: { kind: 'size', sizes: recraftSizes },
    seed: undefined,
  },
};

/** Sizes declared for models the adapter does not know (sent only when `inputNames` maps them). */
export const unknownModelSizes: SizeRange = { min: 64, max: 2048, multipleOf: 8 };

const name = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/.source;
const modelPattern = new RegExp(`^(${name})/(${name})(?::([0-9a-f]{64}))?$`);
const versionPattern = /^[0-9a-f]{64}$/;

/** The `.image()` id shapes, for messages. */
export const modelIdShapes =
  '"owner/name" (e.g. "black-forest-labs/flux-schnell"), "owner/name:<64-hex version>" or a 64-hex version id';

/**
 * The rules for a model id: a known `owner/name` (optionally pinned to a version) gets its
 * mapped inputs; any other `owner/name`, pinned or not, and a bare version id are called with
 * the prompt and `options.input` only, marked `known: false`.
 *
 * @param modelId - the id given to `.image()`.
 * @throws ValidationError when the id has none of the three shapes.
 */
export function resolveReplicateModel(modelId: string): ReplicateModelSpec {
  if (versionPattern.test(modelId)) {
    return { ...unknownSpec(modelId), version: modelId };
  }
  const match = modelPattern.exec(modelId);
  if (match === null) {
    throw ValidationError.field(
      ['modelId'],
      `Expected a Replicate model id: ${modelIdShapes}, got ${JSON.stringify(modelId)}`,
      'model id',
    );
  }
  const model = `${match[1]}/${match[2]}`;
  const pinned = match[3];
  const known = replicateImageModels[model];
  if (known === undefined) return { ...unknownSpec(model), version: pinned };
  const { defaultVersion, ...spec } = known;
  return { ...spec, model, version: pinned ?? defaultVersion, known: true };
}

function unknownSpec(model: string): ReplicateModelSpec {
  return {
    ...plain,
    model,
    version: undefined,
    known: false,
    size: { kind: 'none' },
    seed: undefined,
  };
}
