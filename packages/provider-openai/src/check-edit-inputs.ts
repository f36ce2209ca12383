import { type EncodedImage, ValidationError } from '@layerloom/core';
import { inspectOpenAIImage, type OpenAIImageInspection } from './inspect-image.js';
import type { OpenAIImageModelSpec } from './openai-image-models.js';

/** Largest mask OpenAI accepts, in bytes. */
const maxMaskBytes = 4 * 1024 * 1024;

const typeNames: Record<string, string> = {
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/jpeg': 'JPEG',
};

const megabytes = (bytes: number) => `${bytes / (1024 * 1024)} MB`;

/** The checked inputs of an edit, with the format read from their bytes. */
export interface CheckedEditInputs {
  /** The first input image's format and size. */
  readonly image: OpenAIImageInspection;
  /** Every input image's format and size, in order. */
  readonly images: readonly OpenAIImageInspection[];
  /** The mask's format and size, when there is a mask. */
  readonly mask: OpenAIImageInspection | undefined;
}

/**
 * Checks one input image against what the model accepts: the format (read from the bytes, not
 * the declared media type), the byte size, and dall-e-2's square rule.
 *
 * @param modelId - the model, for messages.
 * @param spec - the model's rules.
 * @param image - the input image.
 * @param path - its path in the request, e.g. `['referenceImages', 2]`.
 * @throws ValidationError naming the path.
 */
function checkInputImage(
  modelId: string,
  spec: OpenAIImageModelSpec,
  image: EncodedImage,
  path: readonly (string | number)[],
): OpenAIImageInspection {
  const name = `\`${path.join('.')}\``;
  const accepted = spec.inputImageTypes.map((type) => typeNames[type] ?? type).join(' or ');
  const imageInfo = inspectOpenAIImage(image.bytes);
  if (imageInfo === undefined || !spec.inputImageTypes.includes(imageInfo.mediaType)) {
    throw ValidationError.field(
      path,
      `Expected ${name} to be a ${accepted} file for ${modelId}, got ${imageInfo?.mediaType ?? `bytes that are not an image (declared ${image.mediaType})`}`,
      'request',
    );
  }
  if (image.bytes.byteLength > spec.maxInputImageBytes) {
    throw ValidationError.field(
      path,
      `Expected ${name} to be at most ${megabytes(spec.maxInputImageBytes)} for ${modelId}, got ${image.bytes.byteLength} bytes`,
      'request',
    );
  }
  if (spec.squareInputImage && imageInfo.width !== imageInfo.height) {
    throw ValidationError.field(
      path,
      `Expected ${name} to be square for ${modelId}, got ${imageInfo.width}x${imageInfo.height}`,
      'request',
    );
  }
  return imageInfo;
}

/**
 * Checks an edit's input images and mask against what the model accepts, before any upload:
 * each image's format, byte size and dall-e-2's square PNG rule, and that the mask is a PNG of
 * the first image's size (OpenAI applies the mask to the first image).
 *
 * @param modelId - the model, for messages.
 * @param spec - the model's rules.
 * @param images - the input images with their paths in the request, the edited one first.
 * @param mask - the mask (already in OpenAI's convention), if any.
 * @throws ValidationError naming `image`, `referenceImages.<i>` or `mask`.
 */
export function checkEditInputs(
  modelId: string,
  spec: OpenAIImageModelSpec,
  images: readonly { readonly image: EncodedImage; readonly path: readonly (string | number)[] }[],
  mask: EncodedImage | undefined,
): CheckedEditInputs {
  const inspected = images.map(({ image, path }) => checkInputImage(modelId, spec, image, path));
  const imageInfo = inspected[0]!;
  if (mask === undefined) return { image: imageInfo, images: inspected, mask: undefined };
  const maskInfo = inspectOpenAIImage(mask.bytes);
  if (maskInfo?.mediaType !== 'image/png') {
    throw ValidationError.field(
      ['mask'],
      `Expected \`mask\` to be a PNG file (white = repaint), got ${maskInfo?.mediaType ?? `bytes that are not an image (declared ${mask.mediaType})`}`,
      'request',
    );
  }
  if (mask.bytes.byteLength > maxMaskBytes) {
    throw ValidationError.field(
      ['mask'],
      `Expected \`mask\` to be at most ${megabytes(maxMaskBytes)}, got ${mask.bytes.byteLength} bytes`,
      'request',
    );
  }
  if (
    imageInfo.width !== undefined &&
    maskInfo.width !== undefined &&
    (imageInfo.width !== maskInfo.width || imageInfo.height !== maskInfo.height)
  ) {
    throw ValidationError.field(
      ['mask'],
      `Expected \`mask\` to be the size of \`image\` (${imageInfo.width}x${imageInfo.height}), got ${maskInfo.width}x${maskInfo.height}`,
      'request',
    );
  }
  return { image: imageInfo, images: inspected, mask: maskInfo };
}
