import type { BlendMode } from '@layerloom/core';
import type { Raster } from './raster.js';

/** One layer of {@link compositeRasters}: a raster, where it goes and how it blends. */
export interface RasterLayer {
  /** The layer's pixels. */
  readonly raster: Raster;
  /** Canvas column of the layer's left edge; may be negative (the overflow is clipped). @default 0 */
  readonly left?: number;
  /** Canvas row of the layer's top edge; may be negative (the overflow is clipped). @default 0 */
  readonly top?: number;
  /** W3C blend mode. @default 'normal' */
  readonly blend?: BlendMode;
  /** Opacity from 0 to 1; scales the layer's alpha. @default 1 */
  readonly opacity?: number;
  /**
   * One byte per layer pixel (`raster.width × raster.height`, row-major): 255 keeps the pixel,
   * 0 removes it, values between scale its alpha.
   */
  readonly mask?: Uint8Array;
}
