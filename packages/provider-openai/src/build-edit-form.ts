import type { EncodedImage } from '@layerloom/core';
import { FormData } from '@layerloom/core/http';

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/webp': 'webp',
  'image/jpeg': 'jpg',
};

const blobOf = (bytes: Uint8Array, mediaType: string) =>
  new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mediaType });

/** One file of an edit: the image and its media type, read from its bytes. */
export interface EditFile {
  /** The image. */
  readonly image: EncodedImage;
  /** Its media type, read from its bytes. */
  readonly mediaType: string;
}

/**
 * The multipart body of `POST /images/edits`, encoded like openai-node: every field as a string
 * (`n=1`, `stream=true`); one input image as the `image` part, several as repeated `image[]`
 * parts in order (openai-node turns an array into `image[]`); the mask as `mask`.
 *
 * @param fields - the wire fields.
 * @param images - the input images, the edited one first.
 * @param mask - the mask (a PNG in OpenAI's convention), if any.
 */
export function buildEditForm(
  fields: Readonly<Record<string, string | number | boolean>>,
  images: readonly EditFile[],
  mask: EncodedImage | undefined,
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  const part = images.length === 1 ? 'image' : 'image[]';
  images.forEach(({ image, mediaType }, index) => {
    const name = index === 0 ? 'image' : `reference-${index}`;
    form.append(part, blobOf(image.bytes, mediaType), `${name}.${extensions[mediaType] ?? 'png'}`);
  });
  if (mask !== undefined) form.append('mask', blobOf(mask.bytes, 'image/png'), 'mask.png');
  return form;
}
