import { describeLeadingBytes, type EncodedImage, ProviderError } from '@layerloom/core';
import type { HttpClient } from '@layerloom/core/http';
import { detectImageMediaType } from '../shared/detect-image-media-type.js';
import { chooseOutputImage } from './choose-output-image.js';
import type { ComfyUIOutputImage, ComfyUIOutputs } from './read-comfyui-history.js';

/** Inputs of {@link readComfyUIOutput}. */
export interface ReadComfyUIOutputOptions {
  /** Provider id, for errors. */
  readonly provider: string;
  /** The finished prompt, for errors and the request id. */
  readonly promptId: string;
  /** Its output images by node id. */
  readonly outputs: ComfyUIOutputs;
  /** The mapped output node, when there is one. */
  readonly outputNode: string | undefined;
  /** Aborts the download. */
  readonly signal: AbortSignal;
}

/** The result image of a prompt and the file it was read from. */
export interface ComfyUIOutput {
  /** The image, with the media type read from its bytes. */
  readonly image: EncodedImage;
  /** The output file, as `GET /view` took it. */
  readonly file: ComfyUIOutputImage;
}

/**
 * Reads a finished prompt's result: picks the output image (`chooseOutputImage`), downloads it
 * with `GET /view` and checks that it is a PNG, JPEG or WebP file.
 *
 * @param http - the server's client.
 * @param options - the prompt, its outputs, the output node and the signal.
 * @throws ProviderError `provider_bad_response` without an output image or for bytes that are
 *   no image; the client's errors for the download.
 */
export async function readComfyUIOutput(
  http: HttpClient,
  options: ReadComfyUIOutputOptions,
): Promise<ComfyUIOutput> {
  const { provider, promptId, outputs, outputNode } = options;
  const file = chooseOutputImage(outputs, outputNode);
  if (file === undefined) {
    const nodes = [...outputs.keys()];
    throw new ProviderError(
      `ComfyUI prompt ${promptId} finished without an output image${outputNode === undefined ? '' : ` from node ${JSON.stringify(outputNode)}`} (nodes with images: ${nodes.length === 0 ? 'none' : nodes.join(', ')})`,
      { provider, retryable: false, requestId: promptId, code: 'provider_bad_response' },
    );
  }
  const viewed = await http.request({
    path: '/view',
    query: { filename: file.filename, subfolder: file.subfolder, type: file.type },
    signal: options.signal,
  });
  const mediaType = detectImageMediaType(viewed.body);
  if (mediaType === undefined) {
    throw new ProviderError(
      `ComfyUI GET /view returned a file that is not PNG, JPEG or WebP (${describeLeadingBytes(viewed.body)})`,
      {
        provider,
        status: viewed.status,
        retryable: false,
        requestId: promptId,
        code: 'provider_bad_response',
      },
    );
  }
  return { image: { bytes: viewed.body, mediaType }, file };
}
