export { createPreviewProvider, type PreviewProviderOptions } from './create-preview-provider.js';
