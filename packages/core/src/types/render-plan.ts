import type { Composition } from './composition.js';
import type { Matte, Placement } from './layer.js';
import type { PlannedImageRequest } from './provider.js';
import type { ResolvedWorldPack, WorldPackUsage } from './world-pack-usage.js';

/** One provider that can paint a step, with the request adapted to its capabilities. */
export interface PlannedCandidate {
  /** Provider alias (a key of `createLoom({ providers })`). */
  readonly alias: string;
  /** Provider id, e.g. `openai`. */
  readonly providerId: string;
  /** Model id. */
  readonly modelId: string;
  /** The request as it will be sent (no input image yet when it depends on another step). */
  readonly request: PlannedImageRequest;
  /** The matte the compositor applies to the image this provider paints. */
  readonly matte: Matte;
  /** Cache key, when it can be computed before the call (no pending input image). */
  readonly cacheKey?: string;
  /** Estimated cost in US dollars, when the provider declares prices. */
  readonly estimatedCostUsd?: number;
  /** Adjustments made to fit this provider (size snapped, transparency emulated…). */
  readonly warnings: readonly string[];
}

/**
 * One provider call the render will make (or take from the cache). The top-level `providerId`,
 * `modelId`, `request`, `matte`, `cacheKey`, `estimatedCostUsd` and `warnings` are those of the
 * first candidate; `candidates` lists the fallbacks too.
 */
export interface PlannedStep {
  /** Layer id, or `style` for the style pass. */
  readonly id: string;
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** Provider aliases to try, in order (one unless a fallback list was given). */
  readonly providers: readonly string[];
  /** Provider id of the first alias, e.g. `openai`. */
  readonly providerId: string;
  /** Model id of the first alias. */
  readonly modelId: string;
  /** The request as it will be sent to the first alias. */
  readonly request: PlannedImageRequest;
  /** The matte the compositor applies to this layer's image (first alias). */
  readonly matte: Matte;
  /** Every alias that can paint the step, in the order they are tried. */
  readonly candidates: readonly PlannedCandidate[];
  /**
   * Id of the step whose image is this step's input: the layer named by `from`, or
   * `composite` for the style pass.
   */
  readonly dependsOn?: string;
  /** Whether the layer's image is composited (false for chain intermediates and style). */
  readonly composited: boolean;
  /** A layer's position in the stack, 0 on top (`ImageRequest.layerIndex`); absent for style. */
  readonly layerIndex?: number;
  /** Where the layer goes on the canvas: its own placement or the one inherited along `from`. */
  readonly placement?: Placement;
  /** Cache key for the first alias, when it can be computed before the call. */
  readonly cacheKey?: string;
  /** Estimated cost in US dollars for the first alias, when the provider declares prices. */
  readonly estimatedCostUsd?: number;
  /** Adjustments made to fit the first alias (size snapped, transparency emulated…). */
  readonly warnings: readonly string[];
}

/** What a render will do, computed without any paid call. */
export interface RenderPlan {
  /**
   * The validated composition as painted and composited: variables expanded, and world-pack
   * references expanded with the entities' defaults applied (`packs` left out).
   */
  readonly composition: Composition;
  /**
   * The composition as written, with its `use`s and pack references, when it uses world packs
   * (the manifest records this one, locked to the pack versions used).
   */
  readonly source?: Composition;
  /** The world packs used, resolved (name, version, content hash, license, attribution). */
  readonly packs?: readonly ResolvedWorldPack[];
  /** Every pack entity and style used, with the steps that name it: who to credit and pay. */
  readonly packUsage?: readonly WorldPackUsage[];
  /** Every provider call, in execution order (inputs before the steps that use them). */
  readonly steps: readonly PlannedStep[];
  /** Sum of the known estimates (first candidates), in US dollars. */
  readonly estimatedCostUsd: number;
  /** Whether every step's cost is known. */
  readonly costComplete: boolean;
  /** Warnings of every step, prefixed with the step id. */
  readonly warnings: readonly string[];
}
