import type { EncodedImage, PlannedImageRequest } from '@layerloom/core';
import type { OpenAIImageModelSpec } from './openai-image-models.js';

/** One input image of an edit, with where it came from (for errors). */
export interface InputImage {
  /** The image. */
  readonly image: EncodedImage;
  /** Its path in the request: `['image']` or `['referenceImages', i]`. */
  readonly path: readonly (string | number)[];
}

/** What {@link selectInputImages} chose. */
export interface SelectedInputImages {
  /** The images to send, `image` first, then reference images in order. */
  readonly images: readonly InputImage[];
  /** Reference images that were left out, and why. */
  readonly warnings: readonly string[];
}

/**
 * The input images of an edit: the request's `image` first, then its `referenceImages`, as
 * many as the model takes (`maxInputImages`: 16 for the GPT image models, which send them as
 * repeated `image[]` parts; 1 for dall-e-2; none for dall-e-3). Reference images past the limit
 * are left out with a warning, never an error: a world pack may offer more than a model takes.
 *
 * @param modelId - the model, for warnings.
 * @param spec - the model's rules.
 * @param request - the request.
 */
export function selectInputImages(
  modelId: string,
  spec: OpenAIImageModelSpec,
  request: PlannedImageRequest,
): SelectedInputImages {
  const images: InputImage[] =
    request.image === undefined ? [] : [{ image: request.image, path: ['image'] }];
  const references = request.referenceImages ?? [];
  const room = Math.max(0, spec.maxInputImages - images.length);
  references.slice(0, room).forEach((image, index) => {
    images.push({ image, path: ['referenceImages', index] });
  });
  const dropped = references.length - Math.min(room, references.length);
  const warnings =
    dropped === 0
      ? []
      : [
          spec.maxInputImages <= 1
            ? `${modelId} takes no reference images; ${dropped} of ${references.length} were not sent.`
            : `${modelId} takes at most ${spec.maxInputImages} input images in one edit; ${dropped} of ${references.length} reference images were not sent.`,
        ];
  return { images, warnings };
}
