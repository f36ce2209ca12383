import type { Composition } from './composition.js';
import type { Matte } from './layer.js';
import type { PlannedImageRequest } from './provider.js';

/** One provider call the render will make (or take from the cache). */
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
  /** The request as it will be sent (no input image yet when it depends on another step). */
  readonly request: PlannedImageRequest;
  /** The matte the compositor applies to this layer's image. */
  readonly matte: Matte;
  /** Id of the step whose image is this step's input (`from`, or every layer for `style`). */
  readonly dependsOn?: string;
  /** Whether the layer's image is composited (false for chain intermediates and style). */
  readonly composited: boolean;
  /** Cache key, when it can be computed before the call (no pending input image). */
  readonly cacheKey?: string;
  /** Estimated cost in US dollars, when the provider declares prices. */
  readonly estimatedCostUsd?: number;
  /** Adjustments made to fit the provider (size snapped, transparency emulated…). */
  readonly warnings: readonly string[];
}

/** What a render will do, computed without any paid call. */
export interface RenderPlan {
  /** The validated composition (variables expanded). */
  readonly composition: Composition;
  /** Every provider call, in execution order (inputs before the steps that use them). */
  readonly steps: readonly PlannedStep[];
  /** Sum of the known estimates, in US dollars. */
  readonly estimatedCostUsd: number;
  /** Whether every step's cost is known. */
  readonly costComplete: boolean;
  /** Warnings of every step, prefixed with the step id. */
  readonly warnings: readonly string[];
}
