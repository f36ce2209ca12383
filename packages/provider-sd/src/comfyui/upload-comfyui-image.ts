import { createHash } from 'node:crypto';
import { type EncodedImage, ProviderError } from '@layerloom/core';
import { FormData, type HttpClient } from '@layerloom/core/http';

const extensions: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};

/**
 * Uploads an input image with `POST /upload/image` (multipart: `image`, `type=input`,
 * `overwrite=true`) under a name derived from its content, so uploading the same image twice
 * reuses one file.
 *
 * @param http - the server's client.
 * @param image - the image.
 * @param options - provider id (for errors) and the signal.
 * @returns the value a `LoadImage` node takes: the name the server gave the file (which may
 *   differ from the one sent), prefixed with its sub-folder when it has one.
 */
export async function uploadComfyUIImage(
  http: HttpClient,
  image: EncodedImage,
  options: { readonly provider: string; readonly signal: AbortSignal },
): Promise<string> {
  const digest = createHash('sha256').update(image.bytes).digest('hex').slice(0, 24);
  const name = `layerloom-${digest}.${extensions[image.mediaType] ?? 'png'}`;
  const form = new FormData();
  form.append('image', new Blob([Buffer.from(image.bytes)], { type: image.mediaType }), name);
  form.append('type', 'input');
  form.append('overwrite', 'true');
  const response = await http.request({
    method: 'POST',
    path: '/upload/image',
    body: { form },
    signal: options.signal,
  });
  const body = response.json<{ name?: unknown; subfolder?: unknown } | null>();
  if (typeof body?.name !== 'string' || body.name === '') {
    throw new ProviderError('ComfyUI POST /upload/image answered without a file `name`', {
      provider: options.provider,
      status: response.status,
      retryable: false,
      code: 'provider_bad_response',
    });
  }
  const subfolder = typeof body.subfolder === 'string' ? body.subfolder.replace(/\/+$/, '') : '';
  return subfolder === '' ? body.name : `${subfolder}/${body.name}`;
}
