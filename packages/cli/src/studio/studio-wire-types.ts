// The shapes the studio server sends the page. No imports: the page's bundle uses them too.

/** An error as the page sees it: its stable code and message, and where in the text. */
export interface WireError {
  /** The `LayerloomError` code, e.g. `layer_notation_error`, `provider_error`, `aborted`. */
  readonly code: string;
  /** The SDK's own message. */
  readonly message: string;
  /** 1-based line in the notation text, for notation errors. */
  readonly line?: number;
  /** 1-based column (code points), for notation errors. */
  readonly column?: number;
}

/** One planned step as the page shows it. */
export interface WireStep {
  readonly id: string;
  readonly kind: 'layer' | 'style';
  readonly providers: readonly string[];
  readonly providerId: string;
  readonly modelId: string;
  readonly width: number;
  readonly height: number;
  readonly estimatedCostUsd?: number;
  readonly dependsOn?: string;
  readonly composited: boolean;
  /** Position in the stack, 0 on top (layers only). */
  readonly layerIndex?: number;
  /** Whether the session's cache holds this step's image (unknown for chained steps). */
  readonly cached?: boolean;
  /** The layer's opacity as written (layers only). */
  readonly opacity?: number;
  /** The layer's blend mode as written (layers only). */
  readonly blend?: string;
  /** Where the layer goes: its own placement or the one inherited along `from` (pixels). */
  readonly placement?: {
    readonly x?: number;
    readonly y?: number;
    readonly width?: number;
    readonly height?: number;
    readonly fit?: string;
    readonly anchor?: string;
  };
  readonly warnings: readonly string[];
}

/** The plan as the page shows it. */
export interface WirePlan {
  readonly steps: readonly WireStep[];
  readonly estimatedCostUsd: number;
  readonly costComplete: boolean;
  readonly warnings: readonly string[];
  readonly width: number;
  readonly height: number;
}
