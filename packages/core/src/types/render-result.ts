import type { Composition } from './composition.js';
import type { EncodedImage, SizedImage } from './encoded-image.js';

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
  /** Provider calls made, retries included (0 when cached). */
  readonly attempts: number;
  /** Wall time of the step, queueing excluded, in milliseconds. */
  readonly ms: number;
  /** Cost in US dollars, when known (0 when cached). */
  readonly costUsd?: number;
  /** The provider's request id of the successful call. */
  readonly requestId?: string;
  /** Adjustments and options the provider could not honour. */
  readonly warnings: readonly string[];
}

/** How one layer was painted. */
export interface LayerRecord extends StepRecord {
  /** Whether the layer was skipped after failing (`onLayerError: 'skip'`). */
  readonly skipped?: boolean;
}

/** One step as replayed from a manifest. */
export interface ManifestStep {
  /** Layer id, or `style`. */
  readonly id: string;
  /** The alias that painted it. */
  readonly provider: string;
  /** Provider id. */
  readonly providerId: string;
  /** Model id. */
  readonly modelId: string;
  /** Seed really used. */
  readonly seed?: number;
  /** The request's cache key (sha256 of the canonical request). */
  readonly cacheKey: string;
  /** sha256 of the input image, for chained steps and the style pass. */
  readonly inputSha256?: string;
  /** sha256 of the output image. */
  readonly outputSha256: string;
}

/** Everything needed to replay a render. JSON-safe; never contains secrets or image bytes. */
export interface RenderManifest {
  /** Manifest format version. */
  readonly version: 1;
  /** The canonical composition, with the seeds really used filled in. */
  readonly composition: Composition;
  /** Each alias used, resolved to provider and model ids. */
  readonly providers: Readonly<Record<string, { readonly id: string; readonly modelId: string }>>;
  /** Every step, in execution order. */
  readonly steps: readonly ManifestStep[];
  /** sha256 of the final image. */
  readonly outputSha256: string;
  /** ISO 8601 time the render finished. */
  readonly createdAt: string;
}

/** Wall times of a render's phases, in milliseconds. */
export interface RenderTimings {
  /** Validation and planning. */
  readonly planMs: number;
  /** From the first layer started to the last layer done. */
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
  /** Per layer, in composition order (top-first). */
  readonly layers: readonly LayerRecord[];
  /** The style pass, when there was one. */
  readonly style?: StepRecord;
  /** Everything needed to replay the render. */
  readonly manifest: RenderManifest;
  /** Phase timings. */
  readonly timings: RenderTimings;
  /** Total cost in US dollars of the calls whose cost is known. */
  readonly costUsd: number;
}
