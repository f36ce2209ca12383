import type { ImageSize } from '@layerloom/core';

/**
 * Image model ids of the Gemini API this adapter knows. Other strings are accepted too (new
 * models and snapshots); see `resolveGoogleImageModel` for how they are treated.
 */
export type GoogleImageModelId =
  | 'gemini-2.5-flash-image'
  | 'gemini-3-pro-image-preview'
  | 'gemini-3.1-flash-image-preview'
  | 'imagen-4.0-generate-001'
  | 'imagen-4.0-ultra-generate-001'
  | 'imagen-4.0-fast-generate-001'
  | 'imagen-3.0-generate-002'
  | (string & {});

/** The resolution tiers of the API (`imageConfig.imageSize`, Imagen's `sampleImageSize`). */
export type GoogleImageTier = '1K' | '2K' | '4K';

/** One output size a model paints: its pixels, and the wire values that ask for it. */
export interface GoogleImageSize extends ImageSize {
  /** The `aspectRatio` sent, e.g. `16:9`. */
  readonly aspectRatio: string;
  /** The resolution tier sent (when the model takes one). */
  readonly tier: GoogleImageTier;
}

/** What one Gemini image model accepts (`models/{id}:generateContent`). */
export interface GeminiImageModelSpec {
  /** `generateContent` with image output. */
  readonly family: 'gemini';
  /** The model id whose rules these are. */
  readonly canonicalId: string;
  /** Every size it paints, with the aspect ratio and tier that ask for it. */
  readonly sizes: readonly GoogleImageSize[];
  /** Takes `imageConfig.imageSize` (the models with 2K and 4K output). */
  readonly imageSize: boolean;
  /** Most input images (the layer's `image` plus `referenceImages`) in one request. */
  readonly maxInputImages: number;
  /** Whether the id was recognised; unknown ids get the rules of gemini-2.5-flash-image. */
  readonly known: boolean;
}

/** What one Imagen model accepts (`models/{id}:predict`). */
export interface ImagenModelSpec {
  /** `predict` with `instances` and `parameters`. */
  readonly family: 'imagen';
  /** The model id whose rules these are. */
  readonly canonicalId: string;
  /** Every size it paints. */
  readonly sizes: readonly GoogleImageSize[];
  /** Takes `sampleImageSize` (Imagen 4 and 4 Ultra: 1K and 2K). */
  readonly imageSize: boolean;
  /** Largest `sampleCount`. */
  readonly maxImagesPerCall: number;
  /** Whether the id was recognised; unknown `imagen-*` ids get Imagen 3's rules. */
  readonly known: boolean;
}

/** The rules of one model. */
export type GoogleImageModelSpec = GeminiImageModelSpec | ImagenModelSpec;

/** Media types the Gemini API takes as inline input images. */
export const geminiInputImageTypes: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/heic',
  'image/heif',
];

type Ratio = readonly [aspectRatio: string, width: number, height: number];

const tiered = (ratios: readonly Ratio[], tiers: readonly GoogleImageTier[]) =>
  tiers.flatMap((tier) => {
    const scale = tier === '1K' ? 1 : tier === '2K' ? 2 : 4;
    return ratios.map(([aspectRatio, width, height]) => ({
      aspectRatio,
      tier,
      width: width * scale,
      height: height * scale,
    }));
  });

/** gemini-2.5-flash-image: ten aspect ratios at about one megapixel (the API's size table). */
const flashImageRatios: readonly Ratio[] = [
  ['1:1', 1024, 1024],
  ['2:3', 832, 1248],
  ['3:2', 1248, 832],
  ['3:4', 864, 1184],
  ['4:3', 1184, 864],
  ['4:5', 896, 1152],
  ['5:4', 1152, 896],
  ['9:16', 768, 1344],
  ['16:9', 1344, 768],
  ['21:9', 1536, 672],
];

/** The Gemini 3 image models at 1K; 2K and 4K double and quadruple each side. */
const proImageRatios: readonly Ratio[] = [
  ['1:1', 1024, 1024],
  ['2:3', 848, 1264],
  ['3:2', 1264, 848],
  ['3:4', 896, 1200],
  ['4:3', 1200, 896],
  ['4:5', 928, 1152],
  ['5:4', 1152, 928],
  ['9:16', 768, 1376],
  ['16:9', 1376, 768],
  ['21:9', 1584, 672],
];

/** Imagen: five aspect ratios at 1K (2K doubles each side). */
const imagenRatios: readonly Ratio[] = [
  ['1:1', 1024, 1024],
  ['3:4', 896, 1280],
  ['4:3', 1280, 896],
  ['9:16', 768, 1408],
  ['16:9', 1408, 768],
];

const gemini = (
  canonicalId: string,
  ratios: readonly Ratio[],
  tiers: readonly GoogleImageTier[],
  maxInputImages: number,
): GeminiImageModelSpec => ({
  family: 'gemini',
  canonicalId,
  sizes: tiered(ratios, tiers),
  imageSize: tiers.length > 1,
  maxInputImages,
  known: true,
});

const imagen = (
  canonicalId: string,
  tiers: readonly GoogleImageTier[],
  maxImagesPerCall: number,
): ImagenModelSpec => ({
  family: 'imagen',
  canonicalId,
  sizes: tiered(imagenRatios, tiers),
  imageSize: tiers.length > 1,
  maxImagesPerCall,
  known: true,
});

const allTiers: readonly GoogleImageTier[] = ['1K', '2K', '4K'];

/** The rules of every model id the adapter knows. */
export const googleImageModels: Readonly<Record<string, GoogleImageModelSpec>> = {
  'gemini-2.5-flash-image': gemini('gemini-2.5-flash-image', flashImageRatios, ['1K'], 3),
  'gemini-3-pro-image-preview': gemini('gemini-3-pro-image-preview', proImageRatios, allTiers, 14),
  'gemini-3.1-flash-image-preview': gemini(
    'gemini-3.1-flash-image-preview',
    proImageRatios,
    allTiers,
    14,
  ),
  'imagen-4.0-generate-001': imagen('imagen-4.0-generate-001', ['1K', '2K'], 4),
  'imagen-4.0-ultra-generate-001': imagen('imagen-4.0-ultra-generate-001', ['1K', '2K'], 1),
  'imagen-4.0-fast-generate-001': imagen('imagen-4.0-fast-generate-001', ['1K'], 4),
  'imagen-3.0-generate-002': imagen('imagen-3.0-generate-002', ['1K'], 4),
};

/** Other names of the same models: a preview id and the GA id share their rules. */
const aliases: Readonly<Record<string, string>> = {
  'gemini-2.5-flash-image-preview': 'gemini-2.5-flash-image',
  'gemini-3-pro-image': 'gemini-3-pro-image-preview',
  'gemini-3.1-flash-image': 'gemini-3.1-flash-image-preview',
};

/**
 * The rules for a model id: the known ids and their aliases exactly, a `models/` prefix
 * dropped; any other `imagen-*` id as Imagen 3 (1K, `predict`), and any other id as
 * gemini-2.5-flash-image (`generateContent`), both marked `known: false`.
 *
 * @param modelId - the model id as given to `.image()`.
 */
export function resolveGoogleImageModel(modelId: string): GoogleImageModelSpec {
  const id = modelId.startsWith('models/') ? modelId.slice('models/'.length) : modelId;
  const exact = googleImageModels[aliases[id] ?? id];
  if (exact !== undefined) return exact;
  if (id.startsWith('imagen-')) {
    return { ...googleImageModels['imagen-3.0-generate-002']!, canonicalId: id, known: false };
  }
  return { ...googleImageModels['gemini-2.5-flash-image']!, canonicalId: id, known: false };
}
