import type { ImageSize, SizeRange } from '@layerloom/core';

/**
 * fal model ids this adapter knows. Any other fal model id is accepted too (see
 * `resolveFalImageModel`); its input can be given with the option `input`.
 */
export type FalImageModelId =
  | 'fal-ai/flux/dev'
  | 'fal-ai/flux/dev/image-to-image'
  | 'fal-ai/flux/schnell'
  | 'fal-ai/flux-lora'
  | 'fal-ai/flux-lora/image-to-image'
  | 'fal-ai/flux-lora/inpainting'
  | 'fal-ai/recraft-v3'
  | 'fal-ai/recraft/v3/text-to-image'
  | 'fal-ai/recraft/v3/image-to-image'
  | (string & {});

/** The wire fields of fal inputs this adapter can fill. */
export type FalInputField =
  | 'prompt'
  | 'negative_prompt'
  | 'image_size'
  | 'seed'
  | 'num_images'
  | 'num_inference_steps'
  | 'guidance_scale'
  | 'loras'
  | 'image_url'
  | 'strength'
  | 'mask_url'
  | 'output_format'
  | 'enable_safety_checker'
  | 'acceleration'
  | 'sync_mode'
  | 'style'
  | 'style_id'
  | 'colors';

/** One fal endpoint: its model id (the path) and the input fields it takes. */
export interface FalEndpointSpec {
  /** The endpoint id, e.g. `fal-ai/flux/dev/image-to-image`. */
  readonly id: string;
  /** The fields it accepts. */
  readonly fields: ReadonlySet<FalInputField>;
}

/** What one fal model accepts, from fal's model pages. */
export interface FalImageModelSpec {
  /** The endpoint for requests without an input image; absent when the model needs one. */
  readonly text?: FalEndpointSpec;
  /** The endpoint for requests with an input image (image-to-image). */
  readonly image?: FalEndpointSpec;
  /** The endpoint for requests with an input image and a mask (inpainting). */
  readonly mask?: FalEndpointSpec;
  /** The sizes it paints. */
  readonly sizes: readonly ImageSize[] | SizeRange;
  /** Most images one call returns (`num_images`). */
  readonly maxImagesPerCall: number;
  /** Takes a `seed` and answers with the seed used. */
  readonly seed: boolean;
  /** Whether the id was recognised; other ids get generic rules and a warning. */
  readonly known: boolean;
}

const fields = (...names: FalInputField[]) => new Set<FalInputField>(names);

/** Fields every FLUX [dev] / [schnell] endpoint takes. */
const fluxCommon: FalInputField[] = [
  'prompt',
  'seed',
  'num_images',
  'num_inference_steps',
  'guidance_scale',
  'output_format',
  'enable_safety_checker',
  'acceleration',
  'sync_mode',
];

/**
 * FLUX on fal takes any `{ width, height }`; this adapter keeps to sides FLUX paints well, on
 * its 16-pixel latent grid.
 */
export const fluxSizes: SizeRange = { min: 256, max: 2048, multipleOf: 16 };

/** Recraft V3's sizes (Recraft's own list; fal passes them on). */
export const recraftSizes: readonly ImageSize[] = [
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

const fluxDevText: FalEndpointSpec = {
  id: 'fal-ai/flux/dev',
  fields: fields(...fluxCommon, 'image_size'),
};
const fluxDevImage: FalEndpointSpec = {
  id: 'fal-ai/flux/dev/image-to-image',
  fields: fields(...fluxCommon, 'image_url', 'strength'),
};
const fluxLoraText: FalEndpointSpec = {
  id: 'fal-ai/flux-lora',
  fields: fields(...fluxCommon, 'image_size', 'loras'),
};
const fluxLoraImage: FalEndpointSpec = {
  id: 'fal-ai/flux-lora/image-to-image',
  fields: fields(...fluxCommon, 'image_size', 'loras', 'image_url', 'strength'),
};
const fluxLoraMask: FalEndpointSpec = {
  id: 'fal-ai/flux-lora/inpainting',
  fields: fields(...fluxCommon, 'image_size', 'loras', 'image_url', 'strength', 'mask_url'),
};
const recraftText = (id: string): FalEndpointSpec => ({
  id,
  fields: fields('prompt', 'image_size', 'style', 'style_id', 'colors', 'enable_safety_checker'),
});
const recraftImage: FalEndpointSpec = {
  id: 'fal-ai/recraft/v3/image-to-image',
  fields: fields(
    'prompt',
    'negative_prompt',
    'image_url',
    'strength',
    'style',
    'style_id',
    'colors',
    'sync_mode',
  ),
};

const flux = (spec: Pick<FalImageModelSpec, 'text' | 'image' | 'mask'>): FalImageModelSpec => ({
  ...spec,
  sizes: fluxSizes,
  maxImagesPerCall: 4,
  seed: true,
  known: true,
});
const recraft = (text: FalEndpointSpec | undefined): FalImageModelSpec => ({
  ...(text === undefined ? {} : { text }),
  image: recraftImage,
  sizes: recraftSizes,
  maxImagesPerCall: 1,
  seed: false,
  known: true,
});

/**
 * The rules of every model id the adapter knows. A text-to-image model whose family has an
 * image-to-image (or inpainting) endpoint sends requests with an input image (and a mask)
 * there, so `fal-ai/flux/dev` can paint over a chained layer.
 */
export const falImageModels: Readonly<Record<string, FalImageModelSpec>> = {
  'fal-ai/flux/dev': flux({ text: fluxDevText, image: fluxDevImage }),
  'fal-ai/flux/dev/image-to-image': flux({ image: fluxDevImage }),
  'fal-ai/flux/schnell': flux({
    text: { id: 'fal-ai/flux/schnell', fields: fluxDevText.fields },
  }),
  'fal-ai/flux-lora': flux({ text: fluxLoraText, image: fluxLoraImage, mask: fluxLoraMask }),
  'fal-ai/flux-lora/image-to-image': flux({ image: fluxLoraImage, mask: fluxLoraMask }),
  'fal-ai/flux-lora/inpainting': flux({ mask: fluxLoraMask }),
  'fal-ai/recraft-v3': recraft(recraftText('fal-ai/recraft-v3')),
  'fal-ai/recraft/v3/text-to-image': recraft(recraftText('fal-ai/recraft/v3/text-to-image')),
  'fal-ai/recraft/v3/image-to-image': recraft(undefined),
};

/** What the adapter sends to a model it does not know: the common fal field names. */
const genericFields = fields(
  'prompt',
  'negative_prompt',
  'image_size',
  'seed',
  'num_images',
  'num_inference_steps',
  'guidance_scale',
  'loras',
  'output_format',
  'enable_safety_checker',
  'acceleration',
  'sync_mode',
  'style',
  'style_id',
  'colors',
);

/**
 * The rules for a model id: the known ids exactly; any other id as a text-to-image model that
 * takes fal's common field names (`prompt`, `image_size`, `seed`, `negative_prompt`…), with
 * FLUX's sizes, marked `known: false`. Capabilities of an unknown model are declared
 * conservatively (no input image, no mask, no transparency); give anything else it needs
 * with the option `input`.
 *
 * @param modelId - the model id as given to `.image()`.
 */
export function resolveFalImageModel(modelId: string): FalImageModelSpec {
  return (
    falImageModels[modelId] ?? {
      text: { id: modelId, fields: genericFields },
      sizes: fluxSizes,
      maxImagesPerCall: 1,
      seed: true,
      known: false,
    }
  );
}
