import type { EncodedImage } from '@layerloom/core';
import { FormData } from '@layerloom/core/http';

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/webp': 'webp',
  'image/jpeg': 'jpg',
};

const blobOf = (bytes: Uint8Array, mediaType: string) =>
  new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mediaType });

/**
 * The multipart body of `POST /images/edits`, encoded like openai-node: every field as a string
 * (`n=1`, `stream=true`), a single input image as the `image` part and the mask as `mask`.
 *
 * @param fields - the wire fields.
 * @param image - the input image.
 * @param imageType - its media type, read from its bytes.
 * @param mask - the mask (a PNG), if any.
 */
export function buildEditForm(
  fields: Readonly<Record<string, string | number | boolean>>,
  image: EncodedImage,
  imageType: string,
  mask: EncodedImage | undefined,
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  form.append('image', blobOf(image.bytes, imageType), `image.${extensions[imageType] ?? 'png'}`);
  if (mask !== undefined) form.append('mask', blobOf(mask.bytes, 'image/png'), 'mask.png');
  return form;
}
