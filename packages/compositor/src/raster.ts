/**
 * An image in memory: RGBA, 8 bits per channel, straight (non-premultiplied) alpha, sRGB —
 * the shape of a browser `ImageData`.
 */
export interface Raster {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** `width × height × 4` bytes, row-major, in the order red, green, blue, alpha. */
  readonly data: Uint8ClampedArray;
}
