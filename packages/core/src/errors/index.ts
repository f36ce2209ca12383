export { AbortError } from './abort-error.js';
export { LayerNotationError, type LayerNotationErrorLocation } from './layer-notation-error.js';
export { isLayerloomError, LayerloomError, type LayerloomErrorOptions } from './layerloom-error.js';
export { ProviderError, type ProviderErrorOptions } from './provider-error.js';
export { RetryError } from './retry-error.js';
export { TimeoutError } from './timeout-error.js';
export { ValidationError, type ValidationIssue } from './validation-error.js';
