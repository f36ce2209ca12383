/** A world pack as a render resolved it: what a replay must find again. */
export interface ResolvedWorldPack {
  /** The alias of the `use` line. */
  readonly alias: string;
  /** The source as written (`@studio/ember-world@^1.2`, `./packs/ember`). */
  readonly source: string;
  /** Package name from the pack's manifest. */
  readonly name: string;
  /** The version resolved. */
  readonly version: string;
  /** sha256 of the pack's data (manifest and every file it names). */
  readonly contentHash: string;
  /** The pack's license (SPDX expression). */
  readonly license: string;
  /** The text the pack asks users to show when crediting it. */
  readonly attribution: string;
  /** The pack's authors' names. */
  readonly authors: readonly string[];
}

/** One entity or style of a pack that a render used, and where. */
export interface WorldPackUsage {
  /** Package name of the pack. */
  readonly pack: string;
  /** The version resolved. */
  readonly version: string;
  /** `entity` or `style`. */
  readonly kind: 'entity' | 'style';
  /** The entity or style id. */
  readonly id: string;
  /** Ids of the steps whose prompt named it (layer ids, or `style`), in composition order. */
  readonly steps: readonly string[];
}

/** A LoRA a binding applies. */
export interface ResolvedLora {
  /** LoRA name as the server knows it. */
  readonly name: string;
  /** Weight. @default 1 */
  readonly weight: number;
}

/**
 * A pack binding as it reaches an adapter (`ImageRequest.binding`): the settings the pack's
 * author gave the step's subject (its first entity reference, or the style line's first style
 * reference) for this provider's id, plus which packs the step used. Part of the cache key.
 * Adapters that know a field apply it; others may ignore it.
 */
export interface ResolvedBinding {
  /** Packs the step's prompt used: name, version and content hash. */
  readonly packs: readonly {
    readonly name: string;
    readonly version: string;
    readonly contentHash: string;
  }[];
  /** The entity or style whose binding this is. */
  readonly subject: {
    readonly pack: string;
    readonly kind: 'entity' | 'style';
    readonly id: string;
    /** Display name, when the pack gives one. */
    readonly name?: string;
  };
  /** The provider id the binding was written for (`a1111`, `comfyui`, `openai`, …), if any matched. */
  readonly providerId?: string;
  /** SD checkpoint (A1111 `sd_model_checkpoint`, ComfyUI `ckpt_name`). */
  readonly checkpoint?: string;
  /** Model id, for providers that pick a model per call. */
  readonly model?: string;
  /** LoRAs with their weights. */
  readonly loras?: readonly ResolvedLora[];
  /** Sampler name. */
  readonly sampler?: string;
  /** Scheduler name. */
  readonly scheduler?: string;
  /** Sampling steps. */
  readonly steps?: number;
  /** CFG scale. */
  readonly cfgScale?: number;
  /** Default seed when the layer and composition give none. */
  readonly seed?: number;
  /** OpenAI quality. */
  readonly quality?: string;
  /** A ComfyUI workflow template (API format) from the pack, replacing the adapter's. */
  readonly workflow?: Readonly<Record<string, unknown>>;
  /** ComfyUI node overrides: node id → input name → value. */
  readonly nodeOverrides?: Readonly<
    Record<string, Readonly<Record<string, string | number | boolean>>>
  >;
  /** Free options of a binding for any other provider id. */
  readonly options?: Readonly<Record<string, string | number | boolean>>;
}
