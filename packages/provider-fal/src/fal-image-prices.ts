/**
 * Prices of one fal model, in US dollars. fal bills image models either by output megapixel
 * (FLUX) or per image (Recraft); give the one that applies.
 */
export interface FalImagePrice {
  /**
   * Price of one output megapixel. fal rounds each image up to whole megapixels of
   * 1024 × 1024 pixels (a 1024×768 image is billed as one, a 1536×1024 image as two).
   */
  readonly perMegapixel?: number;
  /** Price of one image, whatever its size. */
  readonly perImage?: number;
  /**
   * Per-image prices of some values of the `style` option, by prefix (`vector_illustration`
   * covers `vector_illustration/line_art`…); other styles cost `perImage`.
   */
  readonly perImageByStyle?: Readonly<Record<string, number>>;
}

/** Prices by model id, exactly as given to `.image(modelId)`. */
export type FalImagePrices = Readonly<Record<string, FalImagePrice>>;

const flux = (perMegapixel: number): FalImagePrice => ({ perMegapixel });
const recraft: FalImagePrice = { perImage: 0.04, perImageByStyle: { vector_illustration: 0.08 } };

/**
 * fal's published prices of the models this adapter knows, as listed on fal's model pages
 * (checked December 2026). Prices change: override or extend them with the `prices` setting of
 * `createFal`, which replaces entries of this table model by model. Calls to other models report
 * no `costUsd` unless you add their prices.
 */
export const defaultFalImagePrices: FalImagePrices = {
  'fal-ai/flux/dev': flux(0.025),
  'fal-ai/flux/dev/image-to-image': flux(0.03),
  'fal-ai/flux/schnell': flux(0.003),
  'fal-ai/flux-lora': flux(0.035),
  'fal-ai/flux-lora/image-to-image': flux(0.035),
  'fal-ai/flux-lora/inpainting': flux(0.035),
  'fal-ai/recraft-v3': recraft,
  'fal-ai/recraft/v3/text-to-image': recraft,
  'fal-ai/recraft/v3/image-to-image': recraft,
};
