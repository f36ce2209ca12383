import { declaredName, workerFunctionSource } from '../../blend/composite-band-source.js';
import { adler32 } from './adler32.js';
import { encodePngChunks } from './encode-png-chunks.js';
import { filterPngRows, paethPredictor } from './filter-png-rows.js';
import { canonicalCodes, deflatePngChunk, huffmanCodeLengths } from './wasm/deflate-png-chunk.js';
import { filterPngRowsWasm } from './wasm/filter-png-rows-wasm.js';

/**
 * Source text of the PNG encoder's worker side, for the compositing workers to evaluate: an
 * expression whose value is `(job, zlib, kernel) => PngChunk[]`, {@link encodePngChunks} with
 * its filter and checksum, and with the WebAssembly ones when `kernel` (the worker's instance of
 * the PNG encoder kernel) is not `null`. Built from the functions' own text, like the blending
 * kernel, so the sources and both bundles run the same code.
 *
 * @returns a JavaScript expression.
 */
export function pngEncoderSource(): string {
  const functions = [
    paethPredictor,
    filterPngRows,
    adler32,
    filterPngRowsWasm,
    huffmanCodeLengths,
    canonicalCodes,
    deflatePngChunk,
    encodePngChunks,
  ];
  return `(() => {
${functions.map(workerFunctionSource).join('\n\n')}
return (job, zlib, kernel) => ${declaredName(encodePngChunks)}(job, zlib, ${declaredName(filterPngRows)}, ${declaredName(adler32)}, kernel ? { kernel, filter: ${declaredName(filterPngRowsWasm)}, deflate: ${declaredName(deflatePngChunk)} } : null);
})()`;
}
