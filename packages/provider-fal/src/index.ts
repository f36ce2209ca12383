/**
 * fal.ai's queue API: FLUX, FLUX LoRA, Recraft and any other fal model id.
 *
 * @module \@layerloom/provider-fal
 */
export type { ImageDownloadOptions } from '@layerloom/core/http';
export {
  createFal,
  defaultFalQueueURL,
  defaultFalSyncURL,
  type FalProvider,
  fal,
} from './create-fal.js';
export { falErrorCodes } from './describe-fal-error.js';
export { defaultFalImageHosts } from './download-fal-image.js';
export type { FalImageModelId } from './fal-image-models.js';
export type {
  FalImageOptions,
  FalImageSizePreset,
  FalJsonValue,
  FalLora,
} from './fal-image-options.js';
export {
  defaultFalImagePrices,
  type FalImagePrice,
  type FalImagePrices,
} from './fal-image-prices.js';
export type { FalProviderSettings } from './fal-provider-settings.js';
export type { FalProgress } from './run-fal-queue.js';
