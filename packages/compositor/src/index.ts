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
export { featherMask } from './mask/feather-mask.js';
export { type ChromaKeyOptions, chromaKey } from './matte/chroma-key.js';
export type { Raster } from './raster.js';
export type { RasterLayer } from './raster-layer.js';
