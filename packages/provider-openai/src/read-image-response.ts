import type { HttpResponse } from '@layerloom/core/http';
import { z } from 'zod';
import type { OpenAIImageUsage } from './calculate-image-cost.js';
import { decodeBase64Image } from './decode-base64-image.js';
import { openAIErrorCodes } from './describe-openai-error.js';
import { providerFailure } from './provider-failure.js';
import type { ReceivedImage } from './received-image.js';

/** Settings of {@link readImageResponse}. */
export interface ReadImageResponseOptions {
  /** Largest decoded image, in bytes. */
  readonly maxImageBytes: number;
  /** Downloads an image URL through the guarded fetch. */
  readonly download: (url: string) => Promise<Uint8Array>;
  /** Removes secrets from text the server sent. */
  readonly redact: (text: string) => string;
}

const imagesResponseSchema = z.looseObject({
  created: z.number().optional(),
  data: z
    .array(
      z.looseObject({
        b64_json: z.string().optional(),
        url: z.string().optional(),
        revised_prompt: z.string().optional(),
      }),
    )
    .min(1),
  usage: z.looseObject({}).optional(),
  background: z.string().optional(),
  output_format: z.string().optional(),
  quality: z.string().optional(),
  size: z.string().optional(),
});

/**
 * Reads an `ImagesResponse` (`{ created, data: [{ b64_json | url, revised_prompt }], usage,
 * background, output_format, quality, size }`): decodes `b64_json` (size-checked first) or
 * downloads `url`.
 *
 * @param response - the buffered 2xx response.
 * @param options - limits, the guarded download, redaction.
 * @throws ProviderError `provider_bad_response` when there is no image in it.
 */
export async function readImageResponse(
  response: HttpResponse,
  options: ReadImageResponseOptions,
): Promise<ReceivedImage> {
  const context = { requestId: response.requestId, status: response.status };
  const parsed = imagesResponseSchema.safeParse(response.json());
  if (!parsed.success) {
    throw providerFailure(
      'OpenAI returned a response without an image (expected `data[0].b64_json` or `data[0].url`)',
      openAIErrorCodes.badResponse,
      context,
      parsed.error,
    );
  }
  const answer = parsed.data;
  const item = answer.data[0]!;
  let bytes: Uint8Array;
  if (item.b64_json !== undefined) {
    bytes = decodeBase64Image(item.b64_json, options.maxImageBytes, context);
  } else if (item.url !== undefined) {
    bytes = await options.download(item.url);
  } else {
    throw providerFailure(
      'OpenAI returned a response without an image (`data[0]` has neither `b64_json` nor `url`)',
      openAIErrorCodes.badResponse,
      context,
    );
  }
  const text = (value: string | undefined) =>
    value === undefined ? undefined : options.redact(value);
  return {
    bytes,
    usage: answer.usage as OpenAIImageUsage | undefined,
    revisedPrompt: text(item.revised_prompt),
    echoed: {
      created: answer.created,
      size: text(answer.size),
      quality: text(answer.quality),
      background: text(answer.background),
      outputFormat: text(answer.output_format),
    },
  };
}
