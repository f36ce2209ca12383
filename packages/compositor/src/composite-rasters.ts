import { availableParallelism } from 'node:os';
import { AbortError, describeValue, ValidationError } from '@layerloom/core';
import { sharedBandWorkerPool } from './blend/band-worker-pool.js';
import { compositePrepared } from './blend/composite-prepared.js';
import { prepareComposite } from './blend/prepare-composite.js';
import type { Raster } from './raster.js';
import type { RasterLayer } from './raster-layer.js';

/** Options of {@link compositeRasters}. */
export interface CompositeRastersOptions {
  /** Aborts the composite; the promise then rejects with an `AbortError`. */
  readonly signal?: AbortSignal;
  /**
   * Threads to share the work across, the calling one included; `1` keeps it all on the
   * calling thread. @default os.availableParallelism()
   */
  readonly threads?: number;
  /**
   * Least work worth sharing with worker threads, in pixels read (the canvas plus the visible
   * part of every layer). Below it the calling thread does everything, since handing rows to a
   * worker costs a copy and a message. @default 2_000_000
   */
  readonly parallelThreshold?: number;
  /**
   * Where to write the result instead of new memory: `base.width × base.height × 4` bytes on
   * a `SharedArrayBuffer`, starting on a 4-byte boundary, sharing no memory with `base` or a
   * layer — typically the `data` of an earlier result you are done with. Every byte is
   * overwritten. Reusing memory saves what fresh memory costs the first time it is written
   * (the page faults of a 2048² result take about 5 ms here) and keeps a batch's memory flat.
   * An aborted composite leaves it half written, and rejects once no worker writes into it
   * any more (a few milliseconds: the bands already running finish).
   */
  readonly output?: Uint8ClampedArray;
}

/** Default {@link CompositeRastersOptions.parallelThreshold}. */
export const defaultParallelThreshold = 2_000_000;

function validateOptions(options: unknown): Required<
  Omit<CompositeRastersOptions, 'signal' | 'output'>
> & {
  signal: AbortSignal | undefined;
  output: unknown;
} {
  if (typeof options !== 'object' || options === null) {
    throw ValidationError.field(
      ['options'],
      `Expected \`options\` to be an object, got ${describeValue(options)}`,
      'options',
    );
  }
  const { signal, threads, parallelThreshold, output } = options as Record<string, unknown>;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw ValidationError.field(
      ['signal'],
      `Expected \`signal\` to be an AbortSignal, got ${describeValue(signal)}`,
      'options',
    );
  }
  if (
    threads !== undefined &&
    (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 256)
  ) {
    throw ValidationError.field(
      ['threads'],
      `Expected \`threads\` to be an integer from 1 to 256, got ${describeValue(threads)}`,
      'options',
    );
  }
  if (
    parallelThreshold !== undefined &&
    (typeof parallelThreshold !== 'number' || !(parallelThreshold >= 0))
  ) {
    throw ValidationError.field(
      ['parallelThreshold'],
      `Expected \`parallelThreshold\` to be a number of at least 0, got ${describeValue(parallelThreshold)}`,
      'options',
    );
  }
  return {
    signal,
    threads: threads ?? availableParallelism(),
    parallelThreshold: parallelThreshold ?? defaultParallelThreshold,
    output,
  };
}

/** Whether two byte ranges of the same memory overlap. */
function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    a.buffer === b.buffer &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength
  );
}

/**
 * Checks the `output` option against the (valid) inputs.
 *
 * @param output - what the caller passed.
 * @param base - the backdrop.
 * @param layers - the layers.
 * @returns the output memory, or `undefined` for new memory.
 */
function validateOutput(
  output: unknown,
  base: Raster,
  layers: readonly RasterLayer[],
): Uint8ClampedArray | undefined {
  if (output === undefined) return undefined;
  const bytes = base.width * base.height * 4;
  const expected = `a Uint8ClampedArray of ${bytes} bytes (${base.width}×${base.height} RGBA) on a SharedArrayBuffer, starting on a 4-byte boundary`;
  if (
    !(output instanceof Uint8ClampedArray) ||
    !(output.buffer instanceof SharedArrayBuffer) ||
    output.length !== bytes ||
    output.byteOffset % 4 !== 0
  ) {
    const got =
      output instanceof Uint8ClampedArray
        ? `${output.length} bytes on ${output.buffer instanceof SharedArrayBuffer ? 'a SharedArrayBuffer' : 'an ArrayBuffer'} at offset ${output.byteOffset}`
        : ArrayBuffer.isView(output)
          ? `a ${output.constructor.name} of ${output.byteLength} bytes`
          : describeValue(output);
    throw ValidationError.field(
      ['output'],
      `Expected \`output\` to be ${expected}, got ${got}`,
      'options',
    );
  }
  const inputs: { view: ArrayBufferView; name: string }[] = [{ view: base.data, name: 'base' }];
  layers.forEach((layer, index) => {
    inputs.push({ view: layer.raster.data, name: `layers[${index}].raster` });
    if (layer.mask !== undefined) inputs.push({ view: layer.mask, name: `layers[${index}].mask` });
  });
  const shared = inputs.find(({ view }) => overlaps(output, view));
  if (shared !== undefined) {
    throw ValidationError.field(
      ['output'],
      `Expected \`output\` to share no memory with the inputs, but it overlaps \`${shared.name}\``,
      'options',
    );
  }
  return output;
}

/**
 * Blends `layers` (top-first) over `base`: W3C Compositing and Blending Level 1 source-over
 * with the layer's blend mode (all 16), its opacity and its mask, on straight-alpha sRGB bytes,
 * within ±1 per channel of the exact result. Layers may hang over any edge; what falls outside
 * `base` is clipped. Neither `base` nor the layers are modified.
 *
 * Large canvases are cut into bands of rows composited in parallel by worker threads and the
 * calling thread; {@link compositeRastersSync} does the same work on the calling thread only.
 * The workers read rasters whose bytes are on a `SharedArrayBuffer` in place; the rows they
 * need of any other raster are copied for them by the calling thread, band by band (on the
 * compositor's W8 benchmark that copy is a fifth of the time).
 *
 * The result's bytes are on a `SharedArrayBuffer`, whatever the size (the workers write into
 * it directly; copying their rows out cost a fifth of the time). Node's APIs and sharp take it
 * like any other; where an `ArrayBuffer` is required (`new Response(data)` refuses shared
 * memory, and `postMessage` shares it instead of copying), copy it:
 * `new Uint8ClampedArray(picture.data)`.
 *
 * @example
 * ```ts
 * const picture = await compositeRasters(background, [
 *   { raster: shadow, left: 96, top: 240, blend: 'multiply', opacity: 0.6 },
 *   { raster: hero, left: 80, top: 200, mask: heroMask },
 * ]);
 * ```
 *
 * @param base - the backdrop; the result has its size.
 * @param layers - the layers, **first on top**.
 * @param options - `signal`, `threads`, `parallelThreshold`, `output`.
 * @returns a new raster the size of `base`, its bytes on a `SharedArrayBuffer` (`output` itself
 *   when given).
 * @throws {ValidationError} when a raster, offset, blend mode, opacity, mask or option is
 *   malformed, or `output` overlaps an input.
 * @throws {AbortError} when `signal` aborts.
 */
export async function compositeRasters(
  base: Raster,
  layers: readonly RasterLayer[],
  options: CompositeRastersOptions = {},
): Promise<Raster> {
  const { signal, threads, parallelThreshold, output } = validateOptions(options);
  if (signal?.aborted) throw AbortError.fromSignal(signal, 'The composite');
  const composite = prepareComposite(base, layers);
  const into = validateOutput(output, base, layers);
  return compositePrepared(composite, {
    threads,
    threshold: parallelThreshold,
    pool: sharedBandWorkerPool,
    signal,
    ...(into === undefined ? {} : { output: into }),
  });
}
