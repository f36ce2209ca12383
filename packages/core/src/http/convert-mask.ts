import { isLayerloomError } from '../errors/layerloom-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { EncodedImage } from '../types/encoded-image.js';
import { decodePng } from '../util/decode-png.js';
import { encodePng } from '../util/encode-png.js';

/**
 * How a service reads an inpainting mask, for {@link convertMask}:
 * - `transparent-repaints`: the alpha channel is the mask, fully transparent pixels are
 *   repainted, opaque ones kept (OpenAI edits; ComfyUI `LoadImageMask` with `channel: "alpha"`,
 *   which takes `1 - alpha`). The colour channels are written black.
 * - `white-repaints`: an opaque grey image, white repainted, black kept (AUTOMATIC1111/Forge
 *   `mask` with `inpainting_mask_invert: 0`; ComfyUI `LoadImageMask` with `channel` `red`,
 *   `green` or `blue`). The alpha channel is written opaque, so A1111 reads the grey and not
 *   the alpha.
 */
export type MaskConvention = 'transparent-repaints' | 'white-repaints';

/** A mask read in Layerloom's convention. */
export interface MaskCoverage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** One byte a pixel, row-major: 255 = repaint fully, 0 = keep the input image. */
  readonly coverage: Uint8Array;
}

/** Options of {@link readMaskCoverage} and {@link convertMask}. */
export interface ConvertMaskOptions {
  /** Path of the mask in the caller's input, for errors. @default ['mask'] */
  readonly path?: readonly (string | number)[];
  /** What was validated, for errors. @default 'request' */
  readonly subject?: string;
  /** Refuse larger masks before allocating. @default 64 Mpix */
  readonly maxPixels?: number;
}

/**
 * Reads `ImageRequest.mask` in Layerloom's convention: each pixel's coverage is its Rec. 709
 * luminance times its alpha (as a layer's `luminance` image mask is read), so white and opaque
 * is 255 (repaint), black or transparent is 0 (keep), greys are partial. Needs no image library:
 * masks are PNG files (8-bit, non-interlaced; grey, RGB, palette, grey+alpha or RGBA).
 *
 * @param mask - the mask image.
 * @param options - the path and subject named in errors, a pixel limit.
 * @returns its size and one coverage byte per pixel.
 * @throws ValidationError naming the mask when it is not a PNG core can read.
 */
export function readMaskCoverage(
  mask: EncodedImage,
  options: ConvertMaskOptions = {},
): MaskCoverage {
  const path = options.path ?? ['mask'];
  let decoded: ReturnType<typeof decodePng>;
  try {
    decoded = decodePng(mask.bytes, {
      ...(options.maxPixels === undefined ? {} : { maxPixels: options.maxPixels }),
    });
  } catch (cause) {
    const reason = isLayerloomError(cause) ? cause.message : String(cause);
    throw new ValidationError(
      [
        {
          path,
          message: `Expected \`${path.join('.')}\` to be an 8-bit PNG (white = repaint, black or transparent = keep), got ${mask.mediaType} that cannot be read: ${reason}`,
        },
      ],
      { subject: options.subject ?? 'request', cause },
    );
  }
  const { width, height, data } = decoded;
  const coverage = new Uint8Array(width * height);
  for (let index = 0; index < coverage.length; index++) {
    const offset = index * 4;
    const luminance =
      0.2126 * data[offset]! + 0.7152 * data[offset + 1]! + 0.0722 * data[offset + 2]!;
    coverage[index] = Math.round((luminance * data[offset + 3]!) / 255);
  }
  return { width, height, coverage };
}

/**
 * Writes coverage (255 = repaint) as a PNG in a service's convention.
 *
 * @param mask - size and coverage, as {@link readMaskCoverage} returns them.
 * @param to - the service's convention.
 * @returns an RGBA PNG the size of the mask.
 */
export function encodeMaskCoverage(mask: MaskCoverage, to: MaskConvention): EncodedImage {
  const { width, height, coverage } = mask;
  const data = new Uint8Array(width * height * 4);
  for (let index = 0; index < coverage.length; index++) {
    const value = coverage[index]!;
    const offset = index * 4;
    if (to === 'white-repaints') {
      data[offset] = value;
      data[offset + 1] = value;
      data[offset + 2] = value;
      data[offset + 3] = 255;
    } else {
      data[offset + 3] = 255 - value;
    }
  }
  return { bytes: encodePng({ width, height, data }), mediaType: 'image/png' };
}

/**
 * Converts `ImageRequest.mask` from Layerloom's convention (white and opaque = repaint, black
 * or transparent = keep; see {@link readMaskCoverage}) to a service's (see
 * {@link MaskConvention}). Every adapter that sends a mask calls this, so that one composition
 * repaints the same region on every provider.
 *
 * @param mask - the mask image (a PNG).
 * @param to - the service's convention.
 * @param options - the path and subject named in errors, a pixel limit.
 * @returns a PNG in the service's convention, with the mask's size.
 * @throws ValidationError naming the mask when it is not a PNG core can read.
 *
 * @example
 * const openAIMask = convertMask(request.mask, 'transparent-repaints');
 */
export function convertMask(
  mask: EncodedImage,
  to: MaskConvention,
  options: ConvertMaskOptions = {},
): EncodedImage {
  return encodeMaskCoverage(readMaskCoverage(mask, options), to);
}
