/** An encoded image file held in memory. */
export interface EncodedImage {
  /** The file's bytes (PNG, WebP, JPEG…). */
  readonly bytes: Uint8Array;
  /** IANA media type of `bytes`, e.g. `image/png`. */
  readonly mediaType: string;
}

/** An encoded image whose pixel size is known. */
export interface SizedImage extends EncodedImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/** A pixel size. */
export interface ImageSize {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}
