import {
  createFingerprint,
  type ImageRequest,
  type ImageResult,
  imageRequestSchema,
  nonEmptyPromptSchema,
  type PlannedImageRequest,
  type Provider,
  parseWithSchema,
} from '@layerloom/core';
import type { ImageDownloadOptions } from '@layerloom/core/http';
import {
  base64EncodedLength,
  convertMask,
  type HttpBody,
  type HttpClient,
} from '@layerloom/core/http';
import { buildEditForm } from './build-edit-form.js';
import { calculateImageCost, type OpenAIImageUsage } from './calculate-image-cost.js';
import { checkEditInputs } from './check-edit-inputs.js';
import { downloadImage } from './download-image.js';
import { mapImageRequest } from './map-image-request.js';
import { openAIBindingOptions } from './openai-binding-options.js';
import type { FreeSizeRule, OpenAIImageModelSpec } from './openai-image-models.js';
import {
  type OpenAIImageOptions,
  openAIImageOptionFields,
  openAIRequestOptionsSchema,
} from './openai-image-options.js';
import type { OpenAIImagePrices } from './openai-image-prices.js';
import type { ResponseContext } from './provider-failure.js';
import { readImageResponse } from './read-image-response.js';
import { readImageStream } from './read-image-stream.js';
import type { ReceivedImage } from './received-image.js';
import { verifyImage } from './verify-image.js';

/** What the image providers of one `createOpenAI` instance share. */
export interface OpenAIImageProviderContext {
  /** The HTTP client, created at the first call (throws when no key is set). */
  readonly client: () => HttpClient;
  /** Prices by model id. */
  readonly prices: OpenAIImagePrices;
  /** Largest image, in bytes. */
  readonly maxImageBytes: number;
  /** Largest image, in pixels. */
  readonly maxImagePixels: number;
  /** The guarded download's settings. */
  readonly imageDownload: ImageDownloadOptions;
}

const knownOptions = new Set(Object.keys(openAIImageOptionFields));

/** Base64 grows bytes by 4/3; a little room for the JSON around the image. */
const base64Bytes = (bytes: number) => base64EncodedLength(bytes) + 1024 * 1024;

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

/** Token usage in Layerloom's shape: camelCase counts, only those reported. */
function usageOf(usage: OpenAIImageUsage | undefined): Record<string, number> | undefined {
  if (usage === undefined) return undefined;
  const entries: [string, unknown][] = [
    ['inputTokens', usage.input_tokens],
    ['inputTextTokens', usage.input_tokens_details?.text_tokens],
    ['inputImageTokens', usage.input_tokens_details?.image_tokens],
    ['outputTokens', usage.output_tokens],
    ['outputTextTokens', usage.output_tokens_details?.text_tokens],
    ['outputImageTokens', usage.output_tokens_details?.image_tokens],
    ['totalTokens', usage.total_tokens],
  ];
  const result = Object.fromEntries(
    entries.filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
  return Object.keys(result).length === 0 ? undefined : result;
}

/** The request fields this adapter reads, checked before anything is sent. */
const requestSchema = imageRequestSchema.extend({ prompt: nonEmptyPromptSchema });

/**
 * Builds the `Provider` for one OpenAI image model.
 *
 * @param modelId - the model id sent as `model`.
 * @param spec - the model's rules.
 * @param defaults - validated default options.
 * @param context - the shared client, prices and limits.
 */
export function createOpenAIImageProvider(
  modelId: string,
  spec: OpenAIImageModelSpec,
  defaults: OpenAIImageOptions,
  context: OpenAIImageProviderContext,
): Provider {
  const price = context.prices[modelId] ?? context.prices[spec.canonicalId];
  const sizes = Array.isArray(spec.sizes)
    ? spec.sizes
    : {
        min: (spec.sizes as FreeSizeRule).minSide,
        max: (spec.sizes as FreeSizeRule).maxLongSide,
        multipleOf: (spec.sizes as FreeSizeRule).multipleOf,
      };

  const optionsFor = (request: PlannedImageRequest, warnings: string[]): OpenAIImageOptions => {
    const parsed = parseWithSchema(openAIRequestOptionsSchema, request.options ?? {}, 'options');
    for (const key of Object.keys(parsed)) {
      if (!knownOptions.has(key)) {
        warnings.push(`Option \`${key}\` is not an OpenAI image option; it was ignored.`);
      }
    }
    const own = Object.fromEntries(
      Object.entries(parsed).filter(([key]) => knownOptions.has(key)),
    ) as OpenAIImageOptions;
    // Defaults, then the world-pack binding's options, then the request's own.
    const bound = openAIBindingOptions(request.binding, modelId, warnings);
    return { ...defaults, ...bound, ...definedEntries(own) };
  };

  return {
    id: 'openai',
    modelId,
    // Defaults change the picture (quality, background, format…): they must change the cache key.
    fingerprint: createFingerprint(defaults, 'OpenAI image defaults'),
    capabilities: {
      transparency: spec.transparency,
      imageInput: spec.edits,
      mask: spec.mask,
      seed: false,
      maxImagesPerCall: spec.maxImagesPerCall,
      sizes,
      maxReferenceImages: Math.max(0, spec.maxInputImages - 1),
    },

    estimateCostUsd(request: PlannedImageRequest): number | undefined {
      try {
        const mapped = mapImageRequest(modelId, spec, request, optionsFor(request, []));
        return calculateImageCost(price, { size: mapped.size, quality: mapped.quality });
      } catch {
        return undefined;
      }
    },

    async generate(request: ImageRequest): Promise<ImageResult> {
      parseWithSchema(requestSchema, request, 'request');
      const warnings: string[] = [];
      const mapped = mapImageRequest(modelId, spec, request, optionsFor(request, warnings));
      warnings.push(...mapped.warnings);
      let body: HttpBody = { json: mapped.fields };
      if (mapped.inputImages.length > 0) {
        // Layerloom's mask (white = repaint) becomes OpenAI's (transparent = edit).
        const mask =
          request.image === undefined || request.mask === undefined
            ? undefined
            : convertMask(request.mask, 'transparent-repaints');
        const checked = checkEditInputs(modelId, spec, mapped.inputImages, mask);
        const files = mapped.inputImages.map(({ image }, index) => ({
          image,
          mediaType: checked.images[index]!.mediaType,
        }));
        body = { form: buildEditForm(mapped.fields, files, mask) };
      }

      const client = context.client();
      const call = { method: 'POST' as const, path: mapped.endpoint, body, signal: request.signal };
      let received: ReceivedImage;
      let responseContext: ResponseContext;
      if (mapped.stream) {
        const response = await client.stream({
          ...call,
          maxResponseBytes: base64Bytes(context.maxImageBytes) * (mapped.partialImages + 1),
        });
        responseContext = { requestId: response.requestId, status: response.status };
        received = await readImageStream(response, {
          partialImages: mapped.partialImages,
          maxImageBytes: context.maxImageBytes,
          maxImagePixels: context.maxImagePixels,
          onProgress: request.onProgress,
          warnings,
          redact: client.redact,
        });
      } else {
        const response = await client.request({
          ...call,
          maxResponseBytes: base64Bytes(context.maxImageBytes),
        });
        responseContext = { requestId: response.requestId, status: response.status };
        received = await readImageResponse(response, {
          maxImageBytes: context.maxImageBytes,
          redact: client.redact,
          download: (url) =>
            downloadImage(
              url,
              { ...context.imageDownload, maxBytes: context.maxImageBytes },
              request.signal,
              { requestId: response.requestId },
            ),
        });
      }

      const { image, inspection } = verifyImage(
        received.bytes,
        context.maxImagePixels,
        responseContext,
      );
      const { echoed } = received;
      const costUsd = calculateImageCost(price, {
        size: typeof echoed.size === 'string' ? echoed.size : mapped.size,
        quality: typeof echoed.quality === 'string' ? echoed.quality : mapped.quality,
        usage: received.usage,
      });
      const usage = usageOf(received.usage);
      const { requestId } = responseContext;
      return {
        image,
        warnings,
        providerMetadata: definedEntries({
          model: modelId,
          endpoint: mapped.endpoint,
          requestedSize: mapped.size,
          width: inspection.width,
          height: inspection.height,
          ...echoed,
        }),
        ...(received.revisedPrompt === undefined ? {} : { revisedPrompt: received.revisedPrompt }),
        ...(usage === undefined ? {} : { usage }),
        ...(costUsd === undefined ? {} : { costUsd }),
        ...(requestId === undefined ? {} : { requestId }),
      };
    },
  };
}
