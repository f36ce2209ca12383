import { type ImageProgress, ProviderError } from '@layerloom/core';
import { type HttpStreamResponse, parseServerSentEvents } from '@layerloom/core/http';
import type { OpenAIImageUsage } from './calculate-image-cost.js';
import { decodeBase64Image } from './decode-base64-image.js';
import {
  classifyOpenAIError,
  type OpenAIErrorBody,
  openAIErrorCodes,
} from './describe-openai-error.js';
import { providerFailure, type ResponseContext } from './provider-failure.js';
import type { ReceivedImage } from './received-image.js';
import { verifyImage } from './verify-image.js';

/** Settings of {@link readImageStream}. */
export interface ReadImageStreamOptions {
  /** Partial images asked for (for the progress fraction). */
  readonly partialImages: number;
  /** Largest decoded image, in bytes. */
  readonly maxImageBytes: number;
  /** Largest image, in pixels. */
  readonly maxImagePixels: number;
  /** Receives each partial image as a preview. */
  readonly onProgress: ((progress: ImageProgress) => void) | undefined;
  /** Where notes about skipped partial images go. */
  readonly warnings: string[];
  /** Removes secrets from text the server sent, before it enters a message. */
  readonly redact: (text: string) => string;
}

/** The image and details of a `*.completed` event. */
function completedImage(
  payload: Record<string, unknown>,
  received: number,
  options: ReadImageStreamOptions,
  context: ResponseContext,
): ReceivedImage {
  if (typeof payload.b64_json !== 'string') {
    throw providerFailure(
      "OpenAI's completed image event has no `b64_json`",
      openAIErrorCodes.badResponse,
      context,
    );
  }
  const text = (value: unknown) => (typeof value === 'string' ? options.redact(value) : undefined);
  return {
    bytes: decodeBase64Image(payload.b64_json, options.maxImageBytes, context),
    usage: payload.usage as OpenAIImageUsage | undefined,
    revisedPrompt: undefined,
    echoed: {
      created: typeof payload.created_at === 'number' ? payload.created_at : undefined,
      size: text(payload.size),
      quality: text(payload.quality),
      background: text(payload.background),
      outputFormat: text(payload.output_format),
      partialImages: received,
    },
  };
}

/**
 * Reads an OpenAI image stream (`text/event-stream`): reports every
 * `image_generation.partial_image` / `image_edit.partial_image` through `onProgress` with its
 * bytes as a preview, and returns at the `*.completed` event — which may come before all the
 * partial images asked for — and decodes its image. An `error` event, or any frame with an
 * `error` key, becomes a `ProviderError`.
 *
 * @param response - the streamed response.
 * @param options - limits, progress callback and the warnings list.
 * @throws ProviderError for error frames, frames that are not JSON, and a stream that ends
 *   without a completed image; core's errors for timeouts and aborts.
 */
export async function readImageStream(
  response: HttpStreamResponse,
  options: ReadImageStreamOptions,
): Promise<ReceivedImage> {
  const context = { requestId: response.requestId, status: response.status };
  let partialImagesReceived = 0;
  let skippedPartial = false;
  for await (const event of parseServerSentEvents(response.body)) {
    if (event.data === '[DONE]') break;
    let payload: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(event.data);
      if (parsed === null || typeof parsed !== 'object') throw new TypeError('not an object');
      payload = parsed as Record<string, unknown>;
    } catch (cause) {
      throw providerFailure(
        options.redact(
          `OpenAI streamed a \`${event.event}\` event whose data is not a JSON object (${event.data.length} characters)`,
        ),
        openAIErrorCodes.badResponse,
        context,
        cause,
      );
    }
    if (event.event === 'error' || (payload.error !== undefined && payload.error !== null)) {
      const inner = payload.error;
      const error: OpenAIErrorBody =
        inner !== null && typeof inner === 'object'
          ? (inner as OpenAIErrorBody)
          : typeof inner === 'string'
            ? { message: inner }
            : (payload as OpenAIErrorBody);
      const description = classifyOpenAIError(error, undefined);
      throw new ProviderError(
        options.redact(
          `OpenAI's image stream failed${description.message === undefined ? '' : `: ${description.message}`}`,
        ),
        {
          provider: 'openai',
          retryable: description.retryable ?? false,
          code: description.code ?? 'provider_error',
          ...(description.providerCode === undefined
            ? {}
            : { providerCode: description.providerCode }),
          ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
        },
      );
    }
    const type = typeof payload.type === 'string' ? payload.type : event.event;
    if (type.endsWith('.completed'))
      return completedImage(payload, partialImagesReceived, options, context);
    if (!type.endsWith('.partial_image')) continue;
    partialImagesReceived++;
    if (options.onProgress === undefined) continue;
    const index =
      typeof payload.partial_image_index === 'number'
        ? payload.partial_image_index
        : partialImagesReceived - 1;
    let preview: ImageProgress['preview'];
    try {
      if (typeof payload.b64_json !== 'string') throw new TypeError('it has no `b64_json`');
      const bytes = decodeBase64Image(payload.b64_json, options.maxImageBytes, context);
      preview = verifyImage(bytes, options.maxImagePixels, context, 'a partial image').image;
    } catch (error) {
      // A broken preview is not worth failing the call: the final image is checked on its own.
      if (!skippedPartial) {
        options.warnings.push(
          `A partial image from OpenAI was not reported as a preview: ${(error as Error).message}.`,
        );
        skippedPartial = true;
      }
      continue;
    }
    options.onProgress({
      fraction: Math.min(0.99, (index + 1) / (options.partialImages + 1)),
      preview,
    });
  }
  throw providerFailure(
    `OpenAI's image stream ended without a completed image (${partialImagesReceived} partial images received)`,
    openAIErrorCodes.badResponse,
    context,
  );
}
