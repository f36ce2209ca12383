// Layer notation: `.loom` text to and from a Composition (docs/layer-notation.md).
export { formatLayerNotation } from './format-layer-notation.js';
export { defaultChromaKey, maxNotationBytes } from './notation-limits.js';
export { type ParseLayerNotationOptions, parseLayerNotation } from './parse-layer-notation.js';
