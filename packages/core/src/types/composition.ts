import type { Harmonize, Layer } from './layer.js';
import type { StyleStep } from './style-step.js';

/** Output encodings a composition can ask for. */
export type OutputFormat = 'png' | 'webp' | 'jpeg' | 'avif';

/** How the final picture is encoded. */
export interface OutputOptions {
  /** File format; PNG is lossless. @default 'png' */
  readonly format: OutputFormat;
  /** Quality 1..100 for lossy formats. @default encoder's default */
  readonly quality?: number;
  /** PNG compression, 0 (stored) to 9 (smallest, slowest). @default compositor's (fast) */
  readonly compressionLevel?: number;
  /** Lossless WebP or AVIF. @default false */
  readonly lossless?: boolean;
}

/**
 * A world pack a composition uses (a `use` line): prompts name its entities and styles as
 * `$ALIAS.ID` and `$ALIAS.styles.ID`. Resolved when the composition is planned.
 */
export interface WorldPackUse {
  /** The alias prompts use, e.g. `w`: ASCII letters, digits or `_`. */
  readonly alias: string;
  /** An installed package with a semver range (`@studio/ember-world@^1.2`) or a path (`./packs/ember`). */
  readonly source: string;
  /**
   * The exact version a replay needs (manifests record it): a different resolved version is a
   * `pack_replay_mismatch` error.
   */
  readonly version?: string;
  /** The pack's content hash a replay needs (manifests record it). */
  readonly contentHash?: string;
}

/** A stack of layers to paint and blend, plus an optional style pass. */
export interface Composition {
  /** Canvas width in pixels. */
  readonly width: number;
  /** Canvas height in pixels. */
  readonly height: number;
  /** Canvas colour under the layers: a CSS colour or `transparent`. @default 'transparent' */
  readonly background?: string;
  /** The layers, **first on top** (as in a layer panel). */
  readonly layers: readonly Layer[];
  /** Final pass over the composite. */
  readonly style?: StyleStep;
  /** Default seed for every step without one. */
  readonly seed?: number;
  /** How the result is encoded. @default { format: 'png' } */
  readonly output?: OutputOptions;
  /**
   * Colour harmony for the whole stack: every composited layer without its own `harmonize`
   * (and other than the reference layer itself) is matched to `to`.
   */
  readonly harmonize?: Harmonize;
  /** World packs used by the prompts, aliases unique. */
  readonly packs?: readonly WorldPackUse[];
}
