import {
  createFingerprint,
  type ImageRequest,
  type ImageResult,
  imageRequestSchema,
  nonEmptyPromptSchema,
  type PlannedImageRequest,
  type Provider,
  ProviderError,
  parseWithSchema,
} from '@layerloom/core';
import {
  base64EncodedLength,
  type HttpClient,
  type ImageDownloadOptions,
} from '@layerloom/core/http';
import { z } from 'zod';
import { calculateFalCost } from './calculate-fal-cost.js';
import { falErrorCodes } from './describe-fal-error.js';
import { fetchFalImage } from './download-fal-image.js';
import type { FalImageModelSpec } from './fal-image-models.js';
import { type FalImageOptions, falImageOptionsSchema } from './fal-image-options.js';
import type { FalImagePrices } from './fal-image-prices.js';
import { mapImageRequest } from './map-image-request.js';
import { readFalOutput } from './read-fal-output.js';
import { runFalQueue } from './run-fal-queue.js';
import { verifyFalImage } from './verify-fal-image.js';

/** What the image providers of one `createFal` instance share. */
export interface FalImageProviderContext {
  /** The queue API's client, created at the first call (throws when no key is set). */
  readonly queueClient: () => HttpClient;
  /** The synchronous API's client, created at the first `mode: 'sync'` call. */
  readonly syncClient: () => HttpClient;
  /** Prices by model id. */
  readonly prices: FalImagePrices;
  /** Largest image, in bytes. */
  readonly maxImageBytes: number;
  /** Largest image, in pixels. */
  readonly maxImagePixels: number;
  /** The guarded download's settings. */
  readonly imageDownload: ImageDownloadOptions;
  /** Wait between status polls, in milliseconds. */
  readonly pollIntervalMs: number;
  /** Longest a queued request may take, in milliseconds. */
  readonly queueTimeoutMs: number;
}

/** The fields of an `ImageRequest` this adapter reads, checked before anything is sent. */
const imageRequestShape = imageRequestSchema.extend({
  prompt: nonEmptyPromptSchema,
  seed: z.number().int().optional(),
});

/** Room for the JSON around an inline (`sync_mode`) image. */
const resultBytes = (maxImageBytes: number) => base64EncodedLength(maxImageBytes) + 1024 * 1024;

/**
 * Builds the `Provider` for one fal model.
 *
 * @param modelId - the model id given to `.image()`.
 * @param spec - the model's rules.
 * @param defaults - validated default options.
 * @param context - the shared clients, prices and limits.
 */
export function createFalImageProvider(
  modelId: string,
  spec: FalImageModelSpec,
  defaults: FalImageOptions,
  context: FalImageProviderContext,
): Provider {
  const optionsFor = (request: PlannedImageRequest): FalImageOptions => {
    const own = parseWithSchema(falImageOptionsSchema, request.options ?? {}, 'options');
    const merged: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(own)) if (value !== undefined) merged[key] = value;
    if (defaults.input !== undefined && own.input !== undefined) {
      merged.input = { ...defaults.input, ...own.input };
    }
    return merged as FalImageOptions;
  };

  return {
    id: 'fal',
    modelId,
    // Defaults change the picture (steps, LoRAs, style, input…): they must change the cache key.
    fingerprint: createFingerprint(defaults, 'fal image defaults'),
    capabilities: {
      transparency: false,
      imageInput: spec.image !== undefined || spec.mask !== undefined,
      mask: spec.mask !== undefined,
      seed: spec.seed,
      maxImagesPerCall: spec.maxImagesPerCall,
      sizes: spec.sizes,
    },

    estimateCostUsd(request: PlannedImageRequest): number | undefined {
      try {
        const mapped = mapImageRequest(modelId, spec, request, optionsFor(request));
        return calculateFalCost(context.prices[mapped.endpoint] ?? context.prices[modelId], {
          ...mapped.size,
          style: mapped.style,
        });
      } catch {
        return undefined;
      }
    },

    async generate(request: ImageRequest): Promise<ImageResult> {
      parseWithSchema(imageRequestShape, request, 'request');
      const options = optionsFor(request);
      const mapped = mapImageRequest(modelId, spec, request, options);
      const warnings = [...mapped.warnings];
      const maxResponseBytes = resultBytes(context.maxImageBytes);

      let output: unknown;
      let requestId: string | undefined;
      let status: number;
      const queue: Record<string, unknown> = {};
      if (mapped.mode === 'sync') {
        const response = await context.syncClient().request({
          method: 'POST',
          path: `/${mapped.endpoint}`,
          body: { json: mapped.input },
          signal: request.signal,
          maxResponseBytes,
        });
        output = response.json();
        requestId = response.requestId;
        status = response.status;
      } else {
        const ran = await runFalQueue(context.queueClient(), mapped.endpoint, mapped.input, {
          pollIntervalMs: context.pollIntervalMs,
          queueTimeoutMs: context.queueTimeoutMs,
          maxResponseBytes,
          signal: request.signal,
          onProgress: request.onProgress,
        });
        ({ output, requestId, status } = ran);
        queue.polls = ran.polls;
        if (ran.queuePosition !== undefined) queue.queuePosition = ran.queuePosition;
      }

      const responseContext = { requestId, status };
      const read = readFalOutput(output, responseContext);
      if (read.nsfw) {
        if (options.nsfw !== 'warn') {
          throw new ProviderError(
            `fal's safety checker flagged the image painted by ${mapped.endpoint} (has_nsfw_concepts); it was not returned (option \`nsfw: 'warn'\` returns it)`,
            {
              provider: 'fal',
              code: falErrorCodes.contentPolicy,
              providerCode: 'has_nsfw_concepts',
              retryable: false,
              status,
              ...(requestId === undefined ? {} : { requestId }),
            },
          );
        }
        warnings.push(
          `fal's safety checker flagged this image (has_nsfw_concepts); it may be blacked out.`,
        );
      }
      const bytes = await fetchFalImage(
        read.url,
        context.imageDownload,
        context.maxImageBytes,
        request.signal,
        responseContext,
      );
      const { image, inspection } = verifyFalImage(bytes, context.maxImagePixels, responseContext);
      // fal bills the size it painted, which its answer declares (the bytes say it otherwise).
      const costUsd = calculateFalCost(context.prices[mapped.endpoint] ?? context.prices[modelId], {
        width: (read.metadata.declaredWidth as number | undefined) ?? inspection.width!,
        height: (read.metadata.declaredHeight as number | undefined) ?? inspection.height!,
        style: mapped.style,
      });
      return {
        image,
        warnings,
        providerMetadata: {
          model: modelId,
          endpoint: mapped.endpoint,
          mode: mapped.mode,
          width: inspection.width,
          height: inspection.height,
          ...queue,
          ...read.metadata,
          ...(read.nsfw ? { nsfw: true } : {}),
        },
        ...(read.seed === undefined ? {} : { seed: read.seed }),
        ...(read.prompt === undefined || read.prompt === request.prompt
          ? {}
          : { revisedPrompt: read.prompt }),
        ...(costUsd === undefined ? {} : { costUsd }),
        ...(requestId === undefined ? {} : { requestId }),
      };
    },
  };
}
