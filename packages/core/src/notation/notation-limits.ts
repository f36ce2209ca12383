import type { ImageSize } from '../types/encoded-image.js';

/** Largest `.loom` text `parseLayerNotation` reads: 1 MiB of UTF-8. */
export const maxNotationBytes = 1_048_576;

/** Key colour of `matte: chroma` (a pure green screen). */
export const defaultChromaKey = '#00ff00';

/** Canvas size of a text without a `size` directive. */
export const defaultCanvasSize: ImageSize = { width: 1024, height: 1024 };

/** Longest text one prompt may grow to through `$NAME` expansion (the schema's prompt limit). */
export const maxExpandedTextLength = 100_000;

/** Most characters `$NAME` expansion may add across one document. */
export const maxExpandedTotalLength = 16_777_216;
