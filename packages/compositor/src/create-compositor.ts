import {
  AbortError,
  type CompositeInput,
  type CompositeLayer,
  type CompositeOptions,
  type Compositor,
  describeValue,
  formatPath,
  inspectImage,
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
import { dropShadow } from './harmony/drop-shadow.js';
import { harmonizeLayers } from './harmony/harmonize-layers.js';
import { lightWrap } from './harmony/light-wrap.js';
import { imageMask } from './mask/image-mask.js';
import { shapeMask } from './mask/shape-mask.js';
import { applyMatte } from './matte/apply-matte.js';
import { isOpaque } from './matte/is-opaque.js';
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

/**
 * Whether an image file decodes to opaque pixels whatever they are: a JPEG, or a PNG whose
 * header has no alpha channel and which has no transparent colour (`tRNS`).
 */
function opaqueByFormat(bytes: Uint8Array): boolean {
  const inspection = inspectImage(bytes, ['image/png', 'image/jpeg']);
  return inspection !== undefined && inspection.hasAlpha === false;
}

/**
 * Whether a placed layer can stand in for the backdrop: it covers the whole canvas, blends
 * `normal` at full opacity with no mask, and every pixel is opaque, so nothing under it shows.
 * Compositing the layers above it over it directly then skips a canvas-sized backdrop and one
 * layer of blending.
 *
 * @param layer - the bottom layer, placed.
 * @param canvas - the canvas size.
 * @param opaque - rasters already known to be opaque (the `none` matte's), not scanned again.
 */
function hidesBackdrop(
  layer: RasterLayer,
  canvas: { width: number; height: number },
  opaque: ReadonlySet<Raster>,
): boolean {
  return (
    layer.left === 0 &&
    layer.top === 0 &&
    layer.raster.width === canvas.width &&
    layer.raster.height === canvas.height &&
    (layer.blend ?? 'normal') === 'normal' &&
    (layer.opacity ?? 1) === 1 &&
    layer.mask === undefined &&
    (opaque.has(layer.raster) || isOpaque(layer.raster))
  );
}

/** The part of `raster` (canvas-sized) inside `rectangle`. */
function cropRaster(
  raster: Raster,
  rectangle: { left: number; top: number; width: number; height: number },
): Raster {
  const data = new Uint8ClampedArray(rectangle.width * rectangle.height * 4);
  for (let row = 0; row < rectangle.height; row++) {
    const start = ((rectangle.top + row) * raster.width + rectangle.left) * 4;
    data.set(raster.data.subarray(start, start + rectangle.width * 4), row * rectangle.width * 4);
  }
  return { width: rectangle.width, height: rectangle.height, data };
}

/** The raster with its alpha scaled by a one-channel mask of its size. */
function maskedRaster(raster: Raster, mask: Uint8Array): Raster {
  const data = new Uint8ClampedArray(raster.data);
  for (let index = 0; index < mask.length; index++) {
    data[index * 4 + 3] = (data[index * 4 + 3]! * mask[index]!) / 255;
  }
  return { width: raster.width, height: raster.height, data };
}

/**
 * Creates the compositor Layerloom renders with: it decodes each layer image (PNG, WebP,
 * JPEG), applies its matte, fits it into its placement box, masks it, blends the layers onto
 * the background with exact W3C blending and encodes the result.
 *
 * Layers are top-first. A layer without a `matte` uses its image's alpha, except the bottom
 * layer, which is opaque (`none`); a `{ chromaKey }` matte keys out that colour (with edge
 * refinement when `refineEdges`), `auto` keeps an image's alpha or keys out a plain backdrop.
 * Then the harmony stage runs: layers with `harmonize` are colour-matched to their reference
 * layer or palette, a `shadow` is cast under its layer and a `lightWrap` brings the light of
 * the layers below over its edges. The `AbortSignal` is honoured between layers. An opaque
 * bottom layer that covers the canvas (`normal`, full opacity, no mask) is the backdrop
 * itself: the layers above are blended straight over it, the background colour cannot show.
 * The compositor keeps the memory of its last picture (width × height × 4 bytes) and
 * composites the next render of that size into it, rather than into fresh memory.
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

  // The memory of the last composited picture, once encoded: the next render of that size
  // composites into it instead of fresh memory (no page faults, a flat footprint in batches).
  // Renders running at once each take their own; one is kept.
  let spare: Uint8ClampedArray | undefined;
  const takeOutput = (bytes: number): Uint8ClampedArray | undefined => {
    if (spare === undefined || spare.length !== bytes) return undefined;
    const output = spare;
    spare = undefined;
    return output;
  };

  /** Places, masks, shadows and light-wraps one matted (and harmonized) layer. */
  async function placeLayer(
    layer: Layer,
    matted: Raster,
    canvas: { width: number; height: number },
    below: () => Promise<Raster>,
  ): Promise<RasterLayer[]> {
    const { box, fitted, visible } = resolvePlacement(layer.placement, canvas, matted);
    if (visible.width === 0 || visible.height === 0) return [];
    let raster = await fitRaster(matted, fitted, visible);
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
    if (layer.lightWrap !== undefined) {
      raster = lightWrap(raster, cropRaster(await below(), visible), layer.lightWrap);
    }
    const placed: RasterLayer = {
      raster,
      left: visible.left,
      top: visible.top,
      ...(layer.blend === undefined ? {} : { blend: layer.blend }),
      ...(layer.opacity === undefined ? {} : { opacity: layer.opacity }),
      ...(mask === undefined ? {} : { mask }),
    };
    if (layer.shadow === undefined) return [placed];
    const shadow = dropShadow(
      mask === undefined ? raster : maskedRaster(raster, mask),
      layer.shadow,
    );
    return [
      placed,
      {
        raster: shadow.raster,
        left: visible.left + shadow.left,
        top: visible.top + shadow.top,
        ...(layer.opacity === undefined ? {} : { opacity: layer.opacity }),
      },
    ];
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
      // Every layer at once: sharp decodes off the main thread, on libuv's threads, so the
      // layers' decoding overlaps; the signal is checked before each.
      // Rasters the `none` matte made (or found) opaque.
      const opaque = new Set<Raster>();
      const matted = await Promise.all(
        layers.map(async ({ layer, bytes }, index) => {
          checkAbort();
          const isBottom = index === layers.length - 1;
          const matte = layer.matte ?? (isBottom ? 'none' : 'alpha');
          const decoded = await decodeImage(bytes, { maxPixels });
          // A JPEG, or a PNG without an alpha channel or a transparent colour, decodes opaque:
          // the `none` matte need not scan it.
          const raster =
            matte === 'none' && opaqueByFormat(bytes) ? decoded : applyMatte(decoded, matte);
          if (matte === 'none') opaque.add(raster);
          return raster;
        }),
      );
      checkAbort();
      const harmonized = await harmonizeLayers(
        layers.map(({ layer }, index) => ({ layer, raster: matted[index]! })),
        (index) => ['layers', index, 'layer'],
        threads === undefined ? {} : { threads },
      );
      let solid: Raster | undefined;
      const base = () => {
        solid ??= solidRaster(width, height, background);
        return solid;
      };
      const prepared: RasterLayer[] = [];
      const composeOptions = {
        ...(signal === undefined ? {} : { signal }),
        ...(threads === undefined ? {} : { threads }),
      };
      for (let index = layers.length - 1; index >= 0; index--) {
        checkAbort();
        const placed = await placeLayer(layers[index]!.layer, harmonized[index]!, canvas, () =>
          compositeRasters(base(), prepared, composeOptions),
        );
        prepared.unshift(...placed);
      }
      checkAbort();
      // An opaque bottom layer over the whole canvas is the backdrop itself (the background
      // colour would not show anywhere).
      const bottom = prepared.at(-1);
      const into = takeOutput(width * height * 4);
      const pictureOptions =
        into === undefined ? composeOptions : { ...composeOptions, output: into };
      const picture =
        bottom !== undefined && hidesBackdrop(bottom, canvas, opaque)
          ? await compositeRasters(bottom.raster, prepared.slice(0, -1), pictureOptions)
          : await compositeRasters(base(), prepared, pictureOptions);
      checkAbort();
      const output = input.output ?? { format: 'png' as const };
      const bytes = await encodeImage(picture, {
        format: output.format,
        ...(output.quality === undefined ? {} : { quality: output.quality }),
        ...(output.lossless === undefined ? {} : { lossless: output.lossless }),
        compressionLevel: output.compressionLevel ?? compressionLevel,
        ...(threads === undefined ? {} : { threads }),
      });
      // Encoded: nothing reads the picture any more.
      spare = picture.data;
      return { bytes, mediaType: imageMediaTypes[output.format], width, height };
    },
  };
}
