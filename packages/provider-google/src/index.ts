/**
 * Google's Gemini API: Gemini image models (generate, edit, reference images) and Imagen.
 *
 * @module \@layerloom/provider-google
 */
export {
  createGoogle,
  defaultGoogleBaseURL,
  type GoogleProvider,
  google,
} from './create-google.js';
export { googleErrorCodes } from './describe-google-error.js';
export type {
  GoogleImageModelId,
  GoogleImageTier,
} from './google-image-models.js';
export type {
  GeminiSafetySetting,
  GoogleImageOptions,
  GoogleInlineImage,
} from './google-image-options.js';
export {
  defaultGoogleImagePrices,
  type GoogleImagePrice,
  type GoogleImagePrices,
  type GoogleImageTokenPrices,
} from './google-image-prices.js';
export type { GoogleProviderSettings } from './google-provider-settings.js';
