import {
  type EncodedImage,
  type ImageInspection,
  inspectImage,
  ValidationError,
} from '@layerloom/core';
import type { StabilityEndpoint } from './stability-endpoints.js';

/** The formats Stability takes as input and returns. */
export const stabilityMediaTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** An image inspected as one of {@link stabilityMediaTypes}. */
export type StabilityImageInspection = ImageInspection<(typeof stabilityMediaTypes)[number]>;

/** Largest request body Stability accepts (413 `payload_too_large` above it). */
export const maxRequestBytes = 10 * 1024 * 1024;

const minSide = 64;
const maxAspect = 2.5;

function inspectInput(
  field: 'image' | 'mask',
  image: EncodedImage,
  operation: string,
): StabilityImageInspection {
  const inspection = inspectImage(image.bytes, stabilityMediaTypes);
  if (
    inspection === undefined ||
    inspection.width === undefined ||
    inspection.height === undefined
  ) {
    throw ValidationError.field(
      [field],
      `Expected \`${field}\` to be a PNG, JPEG or WebP file for ${operation}, got ${inspection?.mediaType ?? `bytes that are not an image (declared ${image.mediaType})`}`,
      'request',
    );
  }
  return inspection;
}

/**
 * Checks an input image (and mask) against the endpoint's limits before any upload: the format
 * read from the bytes, each side at least 64 px, the pixel count and aspect ratio limits of
 * edit and control endpoints, and the 10 MiB request limit.
 *
 * @param endpoint - the endpoint called.
 * @param operation - what the call does, for messages.
 * @param image - the input image, if any.
 * @param mask - the mask, if any.
 * @returns the input image's inspection, when there is one.
 * @throws ValidationError naming `image` or `mask`.
 */
export function checkInputImages(
  endpoint: StabilityEndpoint,
  operation: string,
  image: EncodedImage | undefined,
  mask: EncodedImage | undefined,
): StabilityImageInspection | undefined {
  if (image === undefined) return undefined;
  const info = inspectInput('image', image, operation);
  const width = info.width!;
  const height = info.height!;
  const size = `${width}x${height}`;
  if (width < minSide || height < minSide) {
    throw ValidationError.field(
      ['image'],
      `Expected \`image\` to be at least ${minSide} pixels on each side for ${operation}, got ${size}`,
      'request',
    );
  }
  const limits = endpoint.input;
  if (limits !== undefined && width * height > limits.maxPixels) {
    throw ValidationError.field(
      ['image'],
      `Expected \`image\` to have at most ${limits.maxPixels} pixels for ${operation}, got ${size}`,
      'request',
    );
  }
  if (limits?.aspect === true && Math.max(width / height, height / width) > maxAspect) {
    throw ValidationError.field(
      ['image'],
      `Expected \`image\` to have an aspect ratio from 1:2.5 to 2.5:1 for ${operation}, got ${size}`,
      'request',
    );
  }
  if (mask !== undefined) inspectInput('mask', mask, operation);
  const bytes = image.bytes.byteLength + (mask?.bytes.byteLength ?? 0);
  if (bytes > maxRequestBytes) {
    throw ValidationError.field(
      ['image'],
      `Expected \`image\`${mask === undefined ? '' : ' and `mask`'} to be at most 10 MiB (Stability's request limit), got ${bytes} bytes`,
      'request',
    );
  }
  return info;
}
