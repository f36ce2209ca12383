import {
  AbortError,
  type CompositeInput,
  type CompositeLayer,
  type CompositeOptions,
  type Compositor,
  describeValue,
  formatPath,
  type Layer,
  layerSchema,
  maxImageSide,
  parseCssColor,
  parseWithSchema,
  type SizedImage,
  ValidationError,
  type ValidationIssue,
} from '@layerloom/core';
import { decodeImage, validateMaxPixels } from './codec/decode-image.js';
import {
  defaultCompressionLevel,
  encodeImage,
  imageMediaTypes,
  validateEncodeOptions,
} from './codec/encode-image.js';
import { compositeRasters } from './composite-rasters.js';
import { imageMask } from './mask/image-mask.js';
import { shapeMask } from './mask/shape-mask.js';
import { chromaKey } from './matte/chroma-key.js';
import { fitRaster } from './placement/fit-raster.js';
import { resolvePlacement } from './placement/resolve-placement.js';
import type { Raster } from './raster.js';
import type { RasterLayer } from './raster-layer.js';

/** Options of {@link createCompositor}. */
export interface CompositorOptions {
  /**
   * Largest layer or mask image decoded, in pixels; checked on the header before decoding.
   * @default 67_108_864 (8192²)
   */
  readonly maxPixels?: number;
  /**
   * PNG compression of the result, 0 (stored) to 9 (smallest), when the composition's `output`
   * sets none; see `EncodeImageOptions.compressionLevel`. The pixels are the same at every
   * level. @default 1 (fast)
   */
  readonly compressionLevel?: number;
  /** Threads for blending, the calling one included. @default os.availableParallelism() */
  readonly threads?: number;
}

const subject = 'composite input';

function fail(path: readonly (string | number)[], phrase: string, value: unknown): never {
  throw ValidationError.field(
    path,
    `Expected \`${formatPath(path)}\` to be ${phrase}, got ${describeValue(value)}`,
    subject,
  );
}

/** Validates a layer with core's schema, reporting paths from the input's root. */
function validateLayer(value: unknown, index: number): Layer {
  const prefix = ['layers', index, 'layer'];
  try {
    return parseWithSchema(layerSchema, value, 'layer') as Layer;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const issues: ValidationIssue[] = error.issues.map((issue) => {
      const inner = issue.path.length === 0 ? 'layer' : formatPath(issue.path);
      return {
        path: [...prefix, ...issue.path],
        message: issue.message.replace(
          `\`${inner}\``,
          `\`${formatPath([...prefix, ...issue.path])}\``,
        ),
      };
    });
    throw new ValidationError(issues, { subject, cause: error });
  }
}

function validateInput(input: unknown): {
  width: number;
  height: number;
  background: { r: number; g: number; b: number; a: number };
  layers: { layer: Layer; bytes: Uint8Array }[];
} {
  if (typeof input !== 'object' || input === null) fail([], 'an object', input);
  const { width, height, background, layers, output } = input as Record<string, unknown>;
  for (const [name, size] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > maxImageSide) {
      fail([name], `an integer from 1 to ${maxImageSide}`, size);
    }
  }
  const color =
    background === undefined
      ? { r: 0, g: 0, b: 0, a: 0 }
      : typeof background === 'string'
        ? parseCssColor(background)
        : undefined;
  if (color === undefined) fail(['background'], 'a CSS colour or "transparent"', background);
  if (output !== undefined) {
    try {
      validateEncodeOptions(output);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const issue = error.issues[0]!;
      const path = ['output', ...issue.path];
      throw ValidationError.field(
        path,
        issue.message.replace(/`([^`]*)`/, `\`${formatPath(path)}\``),
        subject,
      );
    }
  }
  if (!Array.isArray(layers)) fail(['layers'], 'an array of `{ layer, image }`', layers);
  const checked = layers.map((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) {
      fail(['layers', index], 'a `{ layer, image }` object', entry);
    }
    const { layer, image } = entry as Partial<CompositeLayer>;
    const bytes = (image as { bytes?: unknown } | undefined)?.bytes;
    if (!(bytes instanceof Uint8Array))
      fail(['layers', index, 'image', 'bytes'], 'a Uint8Array', bytes);
    return { layer: validateLayer(layer, index), bytes };
  });
  return { width: width as number, height: height as number, background: color, layers: checked };
}

/** A canvas of one colour. */
function solidRaster(
  width: number,
  height: number,
  color: { r: number; g: number; b: number; a: number },
): Raster {
  const data = new Uint8ClampedArray(width * height * 4);
  const alpha = Math.round(color.a * 255);
  if (alpha > 0) {
    const word = new Uint8ClampedArray([color.r, color.g, color.b, alpha]);
    new Uint32Array(data.buffer).fill(new Uint32Array(word.buffer)[0]!);
  }
  return { width, height, data };
}

/** The image with every pixel opaque: the `none` matte. */
function opaque(raster: Raster): Raster {
  const data = new Uint8ClampedArray(raster.data);
  for (let index = 3; index < data.length; index += 4) data[index] = 255;
  return { width: raster.width, height: raster.height, data };
}

/**
 * Creates the compositor Layerloom renders with: it decodes each layer image (PNG, WebP,
 * JPEG), applies its matte, fits it into its placement box, masks it, blends the layers onto
 * the background with exact W3C blending and encodes the result.
 *
 * Layers are top-first. A layer without a `matte` uses its image's alpha, except the bottom
 * layer, which is opaque (`none`); a `{ chromaKey }` matte keys out that colour. The
 * `AbortSignal` is honoured between layers.
 *
 * @example
 * ```ts
 * const loom = createLoom({ providers, compositor: createCompositor() });
 * ```
 *
 * @param options - `maxPixels`, `compressionLevel`, `threads`.
 * @returns a {@link Compositor}.
 * @throws {ValidationError} when an option is malformed.
 */
export function createCompositor(options: CompositorOptions = {}): Compositor {
  if (typeof options !== 'object' || options === null) {
    throw ValidationError.field(
      [],
      `Expected \`options\` to be an object, got ${describeValue(options)}`,
      'options',
    );
  }
  const maxPixels = validateMaxPixels(options.maxPixels, ['maxPixels']);
  validateEncodeOptions({ format: 'png', compressionLevel: options.compressionLevel });
  const compressionLevel = options.compressionLevel ?? defaultCompressionLevel;
  const threads = options.threads;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 256)) {
    throw ValidationError.field(
      ['threads'],
      `Expected \`threads\` to be an integer from 1 to 256, got ${describeValue(threads)}`,
      'options',
    );
  }

  async function prepareLayer(
    layer: Layer,
    bytes: Uint8Array,
    isBottom: boolean,
    canvas: { width: number; height: number },
  ): Promise<RasterLayer | undefined> {
    let raster = await decodeImage(bytes, { maxPixels });
    const matte = layer.matte ?? (isBottom ? 'none' : 'alpha');
    if (matte === 'none') raster = opaque(raster);
    else if (matte !== 'alpha') {
      raster = chromaKey(raster, {
        color: matte.chromaKey,
        ...(matte.tolerance === undefined ? {} : { tolerance: matte.tolerance }),
        ...(matte.softness === undefined ? {} : { softness: matte.softness }),
      });
    }
    const { box, fitted, visible } = resolvePlacement(layer.placement, canvas, raster);
    if (visible.width === 0 || visible.height === 0) return undefined;
    raster = await fitRaster(raster, fitted, visible);
    let mask: Uint8Array | undefined;
    if (layer.mask !== undefined) {
      const region = {
        left: visible.left - box.left,
        top: visible.top - box.top,
        width: visible.width,
        height: visible.height,
      };
      mask =
        layer.mask.type === 'image'
          ? await imageMask(layer.mask, box, region, maxPixels)
          : shapeMask(layer.mask, region);
    }
    return {
      raster,
      left: visible.left,
      top: visible.top,
      ...(layer.blend === undefined ? {} : { blend: layer.blend }),
      ...(layer.opacity === undefined ? {} : { opacity: layer.opacity }),
      ...(mask === undefined ? {} : { mask }),
    };
  }

  return {
    async composite(
      input: CompositeInput,
      compositeOptions: CompositeOptions = {},
    ): Promise<SizedImage> {
      const signal = compositeOptions.signal;
      const checkAbort = () => {
        if (signal?.aborted) throw AbortError.fromSignal(signal, 'The composite');
      };
      checkAbort();
      const { width, height, background, layers } = validateInput(input);
      const canvas = { width, height };
      // Every layer at once: sharp decodes and resamples off the main thread, on libuv's
      // threads, so the layers' decoding overlaps; the signal is checked before each.
      const prepared = (
        await Promise.all(
          layers.map(({ layer, bytes }, index) => {
            checkAbort();
            return prepareLayer(layer, bytes, index === layers.length - 1, canvas);
          }),
        )
      ).filter((layer) => layer !== undefined);
      checkAbort();
      const picture = await compositeRasters(solidRaster(width, height, background), prepared, {
        ...(signal === undefined ? {} : { signal }),
        ...(threads === undefined ? {} : { threads }),
      });
      checkAbort();
      const output = input.output ?? { format: 'png' as const };
      const bytes = await encodeImage(picture, {
        format: output.format,
        ...(output.quality === undefined ? {} : { quality: output.quality }),
        ...(output.lossless === undefined ? {} : { lossless: output.lossless }),
        compressionLevel: output.compressionLevel ?? compressionLevel,
        ...(threads === undefined ? {} : { threads }),
      });
      return { bytes, mediaType: imageMediaTypes[output.format], width, height };
    },
  };
}
