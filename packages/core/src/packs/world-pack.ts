import type { EncodedImage } from '../types/encoded-image.js';
import type { WorldPackManifest } from './world-pack-schema.js';

/** A reference image of a pack, read and checked by the loader. */
export interface WorldPackImage extends EncodedImage {
  /** Its path inside the pack, as the manifest writes it. */
  readonly path: string;
  /** Its real path on disk (for `layerloom pack show`). */
  readonly file: string;
  /** Width in pixels, when the header says. */
  readonly width: number | undefined;
  /** Height in pixels, when the header says. */
  readonly height: number | undefined;
}

/** A loaded world pack: its checked manifest and every file it refers to, read once. */
export interface WorldPack {
  /** Package name from the manifest, e.g. `@studio/ember-world`. */
  readonly name: string;
  /** Version from the manifest, e.g. `1.2.0`. */
  readonly version: string;
  /**
   * sha256 (hex) of the canonical manifest and of every file it refers to: any change to the
   * pack's data changes it, and with it every cache key of a step that used the pack.
   */
  readonly contentHash: string;
  /** The pack's real folder. Nothing outside it is ever read. */
  readonly directory: string;
  /** The manifest, as checked by `worldPackManifestSchema`. */
  readonly manifest: WorldPackManifest;
  /** Reference images by their path in the pack. */
  readonly images: ReadonlyMap<string, WorldPackImage>;
  /** ComfyUI workflow templates (API format JSON) by their path in the pack. */
  readonly workflows: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}
