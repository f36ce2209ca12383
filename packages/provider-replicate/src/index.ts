/**
 * Replicate predictions: mapped image models and any other model with pass-through inputs.
 *
 * @module \@layerloom/provider-replicate
 */
export type { ImageDownloadOptions } from '@layerloom/core/http';
export {
  createReplicate,
  defaultReplicateBaseURL,
  type ReplicateProvider,
  replicate,
} from './create-replicate.js';
export { replicateErrorCodes } from './describe-replicate-error.js';
export { defaultAllowedImageHosts } from './read-prediction-output.js';
export type { ReplicateImageModelId } from './replicate-image-models.js';
export type {
  ReplicateImageOptions,
  ReplicateInputNames,
} from './replicate-image-options.js';
export {
  defaultReplicateImagePrices,
  type ReplicateImagePrice,
  type ReplicateImagePrices,
} from './replicate-image-prices.js';
export type { ReplicateProviderSettings } from './replicate-provider-settings.js';
