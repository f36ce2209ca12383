/** The final pass that gives the composite one coherent style. */
export interface StyleStep {
  /** The style to apply, e.g. `watercolour, soft light`. */
  readonly prompt: string;
  /** Provider alias, or a fallback list tried in order. */
  readonly provider: string | readonly string[];
  /** How far the result may move away from the composite, 0..1. @default provider's default */
  readonly strength?: number;
  /** Seed for the pass. @default the composition's `seed` */
  readonly seed?: number;
  /** What the image should not contain. */
  readonly negativePrompt?: string;
  /** Provider-specific options. */
  readonly options?: Readonly<Record<string, unknown>>;
}
