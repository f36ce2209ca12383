/**
 * Decoding, placing, matting, masking and blending rasters; encoding the result.
 *
 * @module \@layerloom/compositor
 */
export { type DecodeImageOptions, decodeImage, defaultMaxPixels } from './codec/decode-image.js';
export {
  defaultCompressionLevel,
  type EncodeFormat,
  type EncodeImageOptions,
  encodeImage,
  imageMediaTypes,
} from './codec/encode-image.js';
export { type ImageFormat, type ImageHeader, readImageHeader } from './codec/read-image-header.js';
export {
  type CompositeRastersOptions,
  compositeRasters,
  defaultParallelThreshold,
} from './composite-rasters.js';
export { compositeRastersSync } from './composite-rasters-sync.js';
export { type CompositorOptions, createCompositor } from './create-compositor.js';
export { ImageDecodeError } from './errors/image-decode-error.js';
export { ImageEncodeError } from './errors/image-encode-error.js';
export { ImageTooLargeError } from './errors/image-too-large-error.js';
export {
  type ColorStatistics,
  colorStatistics,
  paletteStatistics,
} from './harmony/color-statistics.js';
export { type DropShadow, type DropShadowOptions, dropShadow } from './harmony/drop-shadow.js';
export {
  type HarmonizeLayersOptions,
  type HarmonyEntry,
  harmonizeLayers,
  harmonizeLayersSync,
} from './harmony/harmonize-layers.js';
export { type HarmonizeRasterOptions, harmonizeRaster } from './harmony/harmonize-raster.js';
export { type LightWrapOptions, lightWrap } from './harmony/light-wrap.js';
export { featherMask } from './mask/feather-mask.js';
export { applyMatte } from './matte/apply-matte.js';
export {
  type ChromaKeyOptions,
  chromaKey,
  keyColorOf,
  plainBorderColor,
} from './matte/chroma-key.js';
export { type RefineMatteOptions, refineMatte } from './matte/refine-matte.js';
export type { Raster } from './raster.js';
export type { RasterLayer } from './raster-layer.js';
