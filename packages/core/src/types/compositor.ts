import type { OutputOptions } from './composition.js';
import type { EncodedImage, SizedImage } from './encoded-image.js';
import type { Layer } from './layer.js';

/** One layer handed to a {@link Compositor}: its definition and its painted image. */
export interface CompositeLayer {
  /** The layer (placement, blend, opacity, mask, matte). */
  readonly layer: Layer;
  /** The painted image. */
  readonly image: EncodedImage;
}

/** What {@link Compositor.composite} blends. */
export interface CompositeInput {
  /** Canvas width in pixels. */
  readonly width: number;
  /** Canvas height in pixels. */
  readonly height: number;
  /** Canvas colour: a CSS colour or `transparent`. @default 'transparent' */
  readonly background?: string;
  /** Layers, **first on top**. */
  readonly layers: readonly CompositeLayer[];
  /** Encoding of the result. @default { format: 'png' } */
  readonly output?: OutputOptions;
}

/** Options of {@link Compositor.composite}. */
export interface CompositeOptions {
  /** Aborts the work between layers. */
  readonly signal?: AbortSignal;
}

/** Blends painted layers into one picture. Core moves bytes; a compositor owns pixels. */
export interface Compositor {
  /**
   * Decodes, mattes, places, masks and blends the layers onto the background and encodes the
   * result.
   *
   * @param input - canvas and layers (top-first).
   * @param options - `signal` to abort.
   */
  composite(input: CompositeInput, options?: CompositeOptions): Promise<SizedImage>;
}
