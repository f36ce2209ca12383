/**
 * Stability AI REST v2beta: Stable Image generate, edits, control and background removal.
 *
 * @module \@layerloom/provider-stability
 */
export {
  createStability,
  defaultStabilityBaseURL,
  type StabilityProvider,
  type StabilityRemoveBackgroundOptions,
  stability,
  stabilityApiKeyVariable,
} from './create-stability.js';
export type {
  StabilityCapabilities,
  StabilityImageProvider,
} from './create-stability-image-provider.js';
export { stabilityErrorCodes } from './describe-stability-error.js';
export type { StabilityControl, StabilityEditOperation } from './stability-endpoints.js';
export type {
  StabilityImageOptions,
  StabilityOutpaint,
  StabilityStylePreset,
} from './stability-image-options.js';
export {
  type StabilityAspectRatio,
  type StabilityImageModelId,
  stabilityAspectRatios,
} from './stability-models.js';
export {
  defaultStabilityPrices,
  type StabilityPriceOverrides,
  type StabilityPrices,
} from './stability-prices.js';
export type { StabilityProviderSettings } from './stability-provider-settings.js';
