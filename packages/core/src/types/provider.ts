import type { EncodedImage, ImageSize } from './encoded-image.js';
import type { ResolvedBinding } from './world-pack-usage.js';

/** A continuous range of generation sizes. */
export interface SizeRange {
  /** Smallest width and height accepted. */
  readonly min: number;
  /** Largest width and height accepted. */
  readonly max: number;
  /** Both sides must be a multiple of this. @default 1 */
  readonly multipleOf?: number;
}

/** What a provider can do; the planner adapts each request to it. */
export interface ProviderCapabilities {
  /** Can paint on a transparent background (native cut-outs). */
  readonly transparency: boolean;
  /** Accepts an input image (`ImageRequest.image`): chains and the style pass. */
  readonly imageInput: boolean;
  /**
   * Accepts an inpainting mask with the input image (`ImageRequest.mask`, in Layerloom's
   * convention: white and opaque = repaint; the adapter converts it to its service's).
   */
  readonly mask: boolean;
  /** Honours `seed`, so a render can be replayed. */
  readonly seed: boolean;
  /** Most images one call can return. */
  readonly maxImagesPerCall: number;
  /** Sizes it can generate: a list, or a range. Requests are snapped to the nearest one. */
  readonly sizes: readonly ImageSize[] | SizeRange;
  /**
   * Most reference images (`ImageRequest.referenceImages`) one call accepts besides `image`.
   * @default 0 (the provider takes no reference images; the planner warns and drops them)
   */
  readonly maxReferenceImages?: number;
  /**
   * The provider cuts the subject of its input image out onto a transparent background (a
   * background remover such as Stability's remove-background). `matte: 'auto'` on a layer whose
   * provider cannot paint transparency then paints the layer and has this provider cut it out
   * (with several such providers, the first alias in `providers`, in key order).
   * @default false
   */
  readonly cutsOutSubject?: boolean;
}

/** Progress of one provider call. */
export interface ImageProgress {
  /** Completed fraction, 0..1, when the provider reports it. */
  readonly fraction?: number;
  /** Estimated time left, in milliseconds. */
  readonly etaMs?: number;
  /** A preview of the image so far. */
  readonly preview?: EncodedImage;
  /**
   * While the call waits in the provider server's own queue (a shared A1111 or ComfyUI
   * server): its place there, 1 = next. Absent once it runs, or when the server does not say.
   */
  readonly queuePosition?: number;
}

/** One image to paint, as handed to {@link Provider.generate}. */
export interface ImageRequest {
  /** What to paint. */
  readonly prompt: string;
  /** Width in pixels (already snapped to the provider's sizes). */
  readonly width: number;
  /** Height in pixels (already snapped to the provider's sizes). */
  readonly height: number;
  /** What the image should not contain. */
  readonly negativePrompt?: string;
  /** Seed to use, when the provider supports seeds. */
  readonly seed?: number;
  /** Paint on a transparent background (only sent where `capabilities.transparency`). */
  readonly transparent?: boolean;
  /** Input image: paint over it (chains, style pass). */
  readonly image?: EncodedImage;
  /**
   * Inpainting mask for `image`: where the provider may repaint. One convention for every
   * provider, the same reading as a layer's `luminance` image mask: each pixel's luminance
   * times its alpha, so **white and opaque (255) = repaint**, black or transparent (0) = keep
   * `image` as it is, greys = partly (where the service takes soft masks). A PNG (8-bit) the
   * size of `image`. Adapters convert it to their service's convention with `convertMask` from
   * `@layerloom/core/http` (OpenAI repaints transparent pixels, A1111 white ones, ComfyUI
   * `LoadImageMask` depends on its `channel`), so one composition repaints the same region on
   * every provider. See `docs/writing-a-provider.md` and decision 0016.
   */
  readonly mask?: EncodedImage;
  /**
   * Further input images the provider should take as references for what it paints (a world
   * pack's character sheet, say), in order. Sent only to providers whose
   * `capabilities.maxReferenceImages` allows them; hashed into the cache key like `image`.
   */
  readonly referenceImages?: readonly EncodedImage[];
  /** How far the result may move away from `image`, 0..1. Each adapter documents its mapping. */
  readonly strength?: number;
  /**
   * The world-pack binding of the step's subject for this provider (checkpoint, LoRAs, ComfyUI
   * overrides, …), when its prompt names a pack entity or style. Hashed into the cache key.
   */
  readonly binding?: ResolvedBinding;
  /** Provider-specific options. */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * The step this call paints: a layer id, or `style`. Informational, for labels and logs (the
   * preview provider prints it); not part of the cache key, and adapters need not send it.
   */
  readonly stepId?: string;
  /**
   * The layer's position in the composition's stack, 0 on top (absent for the style pass).
   * Informational like `stepId` (the preview provider places its label by it so that no layer
   * hides another's); not part of the cache key, and adapters need not send it.
   */
  readonly layerIndex?: number;
  /** Aborts the call; adapters free the socket at once. */
  readonly signal: AbortSignal;
  /** Called with progress while the call runs. */
  readonly onProgress?: (progress: ImageProgress) => void;
}

/** What {@link Provider.generate} returns. */
export interface ImageResult {
  /** The painted image. */
  readonly image: EncodedImage;
  /** The seed the provider really used. */
  readonly seed?: number;
  /** The prompt as the provider rewrote it (e.g. dall-e-3). */
  readonly revisedPrompt?: string;
  /** Token or compute usage as the provider reports it. */
  readonly usage?: Readonly<Record<string, number>>;
  /** Cost of the call in US dollars, when known. */
  readonly costUsd?: number;
  /** The provider's request id. */
  readonly requestId?: string;
  /** Options the provider could not honour, and other non-fatal notes. */
  readonly warnings: readonly string[];
  /** Anything else the provider returned that may be useful. JSON-safe. */
  readonly providerMetadata?: Readonly<Record<string, unknown>>;
}

/** A request as the planner knows it before any call: no signal, no callbacks, no step id. */
export type PlannedImageRequest = Omit<
  ImageRequest,
  'signal' | 'onProgress' | 'stepId' | 'layerIndex'
>;

/**
 * An image model behind an adapter. Adapters implement this; the loom calls `generate` and
 * owns retries, timeouts and concurrency (adapters never retry on their own).
 */
export interface Provider {
  /** Provider id, e.g. `openai`, `a1111`. */
  readonly id: string;
  /** Model id, e.g. `gpt-image-1`. */
  readonly modelId: string;
  /** What the model can do. */
  readonly capabilities: ProviderCapabilities;
  /**
   * Distinguishes configurations of the same `id` and `modelId` that paint differently (e.g.
   * default options such as a quality preset, or a workflow template), so that they do not
   * share cache entries. Part of every cache key. Optional; never put a secret in it.
   */
  readonly fingerprint?: string;
  /**
   * Paints one image.
   *
   * @param request - the prompt, size, inputs and an `AbortSignal`.
   * @returns the image and what is known about how it was made.
   * @throws ProviderError on a failed call (with `retryable` set), AbortError when aborted.
   */
  generate(request: ImageRequest): Promise<ImageResult>;
  /**
   * Estimated cost of a request in US dollars, without calling anything. Optional: the plan's
   * cost estimate covers only providers that declare prices.
   *
   * @param request - the planned request.
   */
  estimateCostUsd?(request: PlannedImageRequest): number | undefined;
}
