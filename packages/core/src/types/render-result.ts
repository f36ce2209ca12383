import type { LayerloomError } from '../errors/layerloom-error.js';
import type { Composition } from './composition.js';
import type { EncodedImage, SizedImage } from './encoded-image.js';
import type { ImageLayerMask, Layer, Matte, ShapeLayerMask } from './layer.js';
import type { ResolvedWorldPack, WorldPackUsage } from './world-pack-usage.js';

/** How one step (a layer or the style pass) was painted. */
export interface StepRecord {
  /** Layer id, or `style`. */
  readonly id: string;
  /** The painted image. */
  readonly image: EncodedImage;
  /** The alias that finally painted it. */
  readonly provider: string;
  /** Provider id, e.g. `openai`. */
  readonly providerId: string;
  /** Model id. */
  readonly modelId: string;
  /** The seed really used, when known. */
  readonly seed?: number;
  /** The provider's rewrite of the prompt. */
  readonly revisedPrompt?: string;
  /** Whether the image came from the cache (no provider call). */
  readonly cached: boolean;
  /** Provider calls made, retries and failed fallbacks included (0 when cached). */
  readonly attempts: number;
  /** Wall time of the step, queueing excluded, in milliseconds. */
  readonly ms: number;
  /** Cost in US dollars, when known (0 when cached). */
  readonly costUsd?: number;
  /** The provider's request id of the successful call. */
  readonly requestId?: string;
  /** The request's cache key, when it has one. */
  readonly cacheKey?: string;
  /** Adjustments and options the provider could not honour. */
  readonly warnings: readonly string[];
}

/** How one layer was painted. */
export interface LayerRecord extends StepRecord {
  /** Whether the image was composited (false for a chain intermediate). */
  readonly composited: boolean;
  /** The matte the compositor applied (or would apply) to the image. */
  readonly matte: Matte;
}

/** A step left out after failing (`onLayerError: 'skip'`). */
export interface SkippedStep {
  /** Layer id, or `style`. */
  readonly id: string;
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** The aliases tried, in order. */
  readonly providers: readonly string[];
  /** Why it was skipped: the last provider's error, or the skipped input of a chain. */
  readonly error: LayerloomError;
  /** Provider calls made. */
  readonly attempts: number;
}

/** An image named by its hash instead of its bytes (manifests never hold image bytes). */
export interface ImageReference {
  /** sha256 of the bytes, lower-case hex. */
  readonly sha256: string;
  /** IANA media type. */
  readonly mediaType: string;
  /** Size of the bytes. */
  readonly byteLength: number;
}

/** An image mask in a manifest: the image is named by its hash. */
export interface ManifestImageLayerMask extends Omit<ImageLayerMask, 'image'> {
  /** The mask image, named by its hash. */
  readonly image: ImageReference;
}

/** A layer as recorded in a manifest: an image mask is named by its hash. */
export interface ManifestLayer extends Omit<Layer, 'mask'> {
  /** The layer's mask; an image mask is named by its hash. */
  readonly mask?: ShapeLayerMask | ManifestImageLayerMask;
}

/** The composition as recorded in a manifest: canonical, seeds filled in, no image bytes. */
export interface ManifestComposition extends Omit<Composition, 'layers'> {
  /** The layers, first on top, with the seeds really used. */
  readonly layers: readonly ManifestLayer[];
}

/** One step as replayed from a manifest. */
export interface ManifestStep {
  /** Layer id, or `style`. */
  readonly id: string;
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** The alias that painted it. */
  readonly provider: string;
  /** Provider id. */
  readonly providerId: string;
  /** Model id. */
  readonly modelId: string;
  /** Seed really used. */
  readonly seed?: number;
  /** The request's cache key (sha256 of the canonical request), when it has one. */
  readonly cacheKey?: string;
  /** Whether the image came from the cache. */
  readonly cached: boolean;
  /** sha256 of the input image, for chained steps and the style pass. */
  readonly inputSha256?: string;
  /** sha256 of the output image. */
  readonly outputSha256: string;
  /** What the call cost in US dollars, when known (0 when cached). */
  readonly costUsd?: number;
  /**
   * Which matte made a layer's alpha: `alpha` (the provider painted transparency), `none`, or
   * the chroma key (with `refineEdges` when `matte: 'auto'` chose the refined local matte).
   * Layer steps only.
   */
  readonly matte?: Matte;
}

/** Everything needed to replay a render. JSON-safe; never contains secrets or image bytes. */
export interface RenderManifest {
  /** Manifest format version. */
  readonly version: 1;
  /**
   * The canonical composition (keys in a stable order), with the seeds really used filled in
   * and image masks named by their hash.
   */
  readonly composition: ManifestComposition;
  /** Each alias used, resolved to provider and model ids (and fingerprint, when set). */
  readonly providers: Readonly<
    Record<string, { readonly id: string; readonly modelId: string; readonly fingerprint?: string }>
  >;
  /** Every painted step, in execution order. */
  readonly steps: readonly ManifestStep[];
  /** Ids of the steps skipped after failing. */
  readonly skipped: readonly string[];
  /** sha256 of the composite (before the style pass). */
  readonly compositeSha256: string;
  /** sha256 of the final image. */
  readonly outputSha256: string;
  /** What the render cost in US dollars: the sum of its steps' known costs. */
  readonly costUsd: number;
  /** ISO 8601 time the render finished. */
  readonly createdAt: string;
  /** The world packs used (also locked in `composition.packs` by version and content hash). */
  readonly packs?: readonly ResolvedWorldPack[];
  /** Every pack entity and style used, with the steps that named it. */
  readonly packUsage?: readonly WorldPackUsage[];
}

/** Wall times of a render's phases, in milliseconds. */
export interface RenderTimings {
  /** Validation and planning. */
  readonly planMs: number;
  /** The layers: from the first layer queued to the last layer painted (queueing included). */
  readonly layersMs: number;
  /** Compositing. */
  readonly compositeMs: number;
  /** Style pass, when there was one. */
  readonly styleMs?: number;
  /** The whole render. */
  readonly totalMs: number;
}

/** What `loom.render` returns. */
export interface RenderResult {
  /** The final picture (after the style pass, if any). */
  readonly image: SizedImage;
  /** Per painted layer, in composition order (top-first); chain intermediates included. */
  readonly layers: readonly LayerRecord[];
  /** The style pass, when there was one and it was not skipped. */
  readonly style?: StepRecord;
  /** Steps left out after failing (`onLayerError: 'skip'`); empty otherwise. */
  readonly skipped: readonly SkippedStep[];
  /** Everything needed to replay the render. */
  readonly manifest: RenderManifest;
  /** Phase timings. */
  readonly timings: RenderTimings;
  /** Total cost in US dollars of the calls whose cost is known. */
  readonly costUsd: number;
  /** The world packs used, with license and attribution text to show. */
  readonly packs?: readonly ResolvedWorldPack[];
  /** Every pack entity and style used, with the steps that named it: who to credit and pay. */
  readonly packUsage?: readonly WorldPackUsage[];
}
