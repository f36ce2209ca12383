/**
 * OpenAI Images (gpt-image family, dall-e-3, dall-e-2): generate and edit.
 *
 * @module \@layerloom/provider-openai
 */
export type { ImageDownloadOptions } from '@layerloom/core/http';
export {
  createOpenAI,
  defaultOpenAIBaseURL,
  type OpenAIProvider,
  openai,
} from './create-openai.js';
export { openAIErrorCodes } from './describe-openai-error.js';
export { defaultAllowedImageHosts } from './image-download-options.js';
export type { OpenAIImageModelId } from './openai-image-models.js';
export type { OpenAIImageOptions } from './openai-image-options.js';
export {
  defaultOpenAIImagePrices,
  type OpenAIImagePrice,
  type OpenAIImagePrices,
  type OpenAIImageTokenPrices,
  unverifiedOpenAIImagePrices,
} from './openai-image-prices.js';
export type { OpenAIProviderSettings } from './openai-provider-settings.js';
