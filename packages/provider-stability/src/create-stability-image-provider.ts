import {
  createFingerprint,
  type EncodedImage,
  type ImageRequest,
  type ImageResult,
  imageRequestSchema,
  type PlannedImageRequest,
  type Provider,
  type ProviderCapabilities,
  parseWithSchema,
} from '@layerloom/core';
import { base64EncodedLength, FormData, type HttpClient } from '@layerloom/core/http';
import { z } from 'zod';
import { checkInputImages } from './check-input-images.js';
import {
  stabilityErrorCodes,
  stabilityFailure,
  withRateLimitDelay,
} from './describe-stability-error.js';
import { type MappingTarget, mapImageRequest } from './map-image-request.js';
import { readImageResponse, verifyImage } from './read-image-response.js';
import {
  type StabilityImageOptions,
  stabilityImageOptionsSchema,
} from './stability-image-options.js';
import { sizesOfModel } from './stability-models.js';
import { costOf, type StabilityPrices } from './stability-prices.js';

/** Capabilities of a Stability provider: core's, and whether it cuts out a subject. */
export interface StabilityCapabilities extends ProviderCapabilities {
  /**
   * The provider returns the input image's subject on a transparent background (the
   * remove-background provider): a matte source for the harmony stage.
   */
  readonly cutsOutSubject: boolean;
}

/** A Stability `Provider`, with its capabilities typed. */
export interface StabilityImageProvider extends Provider {
  readonly capabilities: StabilityCapabilities;
}

/** What the providers of one `createStability` instance share. */
export interface StabilityProviderContext {
  /** The HTTP client, created at the first call (throws when no key is set). */
  readonly client: () => HttpClient;
  /** The merged price table. */
  readonly prices: StabilityPrices;
  /** Largest image, in bytes. */
  readonly maxImageBytes: number;
  /** Largest image, in pixels. */
  readonly maxImagePixels: number;
  /** `retryAfterMs` of a 429 without `Retry-After`. */
  readonly rateLimitRetryAfterMs: number;
}

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/webp': 'webp',
  'image/jpeg': 'jpg',
};

const blobOf = (image: EncodedImage) =>
  new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: image.mediaType });

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

/** The request fields this adapter reads, checked before anything is sent. */
const requestSchema = imageRequestSchema.extend({ seed: z.number().int().min(0).optional() });

/**
 * Builds one Stability `Provider`: a generate model (`target.spec`), or the remove-background
 * provider (`target.spec` undefined).
 *
 * @param target - model id and rules.
 * @param defaults - validated default options.
 * @param context - the shared client, prices and limits.
 */
export function createStabilityImageProvider(
  target: MappingTarget,
  defaults: StabilityImageOptions,
  context: StabilityProviderContext,
): StabilityImageProvider {
  const { spec, modelId } = target;
  const optionsFor = (request: PlannedImageRequest): StabilityImageOptions => ({
    ...defaults,
    ...definedEntries(
      parseWithSchema(stabilityImageOptionsSchema, request.options ?? {}, 'options'),
    ),
  });
  const capabilities: StabilityCapabilities =
    spec === undefined
      ? {
          transparency: true,
          imageInput: true,
          mask: false,
          seed: false,
          maxImagesPerCall: 1,
          sizes: { min: 64, max: 2048 },
          cutsOutSubject: true,
        }
      : {
          transparency: false,
          imageInput: spec.imageToImage,
          mask: spec.imageToImage,
          seed: true,
          maxImagesPerCall: 1,
          sizes: sizesOfModel(spec.megapixels),
          cutsOutSubject: false,
        };

  return {
    id: 'stability',
    modelId,
    // Defaults change the picture (style preset, format, operation…): they change the cache key.
    fingerprint: createFingerprint(defaults, 'Stability image defaults'),
    capabilities,

    estimateCostUsd(request: PlannedImageRequest): number | undefined {
      try {
        const mapped = mapImageRequest(target, request, optionsFor(request));
        return costOf(context.prices, mapped.endpoint.priceKey)?.usd;
      } catch {
        return undefined;
      }
    },

    async generate(request: ImageRequest): Promise<ImageResult> {
      parseWithSchema(requestSchema, request, 'request');
      const options = optionsFor(request);
      const mapped = mapImageRequest(target, request, options);
      const warnings = [...mapped.warnings];
      const input = checkInputImages(mapped.endpoint, mapped.operation, mapped.image, mapped.mask);
      const form = new FormData();
      for (const [name, value] of Object.entries(mapped.fields)) form.append(name, value);
      if (mapped.image !== undefined && input !== undefined) {
        const image = { bytes: mapped.image.bytes, mediaType: input.mediaType };
        form.append('image', blobOf(image), `image.${extensions[input.mediaType] ?? 'png'}`);
      }
      if (mapped.mask !== undefined) form.append('mask', blobOf(mapped.mask), 'mask.png');
      // Every body is multipart, even without a file: an empty form still needs a part.
      if ([...form.keys()].length === 0) form.append('none', '');

      const client = context.client();
      const base64 = options.responseFormat === 'base64';
      let response: Awaited<ReturnType<HttpClient['request']>>;
      try {
        response = await client.request({
          method: 'POST',
          path: mapped.endpoint.path,
          headers: {
            accept: base64 ? 'application/json' : 'image/*',
            ...(options.user === undefined ? {} : { 'stability-client-user-id': options.user }),
          },
          body: { form },
          signal: request.signal,
          maxResponseBytes: base64
            ? base64EncodedLength(context.maxImageBytes) + 64 * 1024
            : context.maxImageBytes,
        });
      } catch (error) {
        throw withRateLimitDelay(error, context.rateLimitRetryAfterMs);
      }
      const responseContext = { requestId: response.requestId, status: response.status };
      const received = readImageResponse(response, context.maxImageBytes, client.redact);
      const cost = costOf(context.prices, mapped.endpoint.priceKey);
      if (received.finishReason === 'CONTENT_FILTERED') {
        if (options.contentFiltered !== 'warn') {
          throw stabilityFailure(
            `Stability filtered the output of ${mapped.endpoint.path} (finish-reason CONTENT_FILTERED): moderation blurred the image, and the call was charged${cost === undefined ? '' : ` (${cost.credits} credits)`}. Option \`contentFiltered: 'warn'\` returns the blurred image instead.`,
            stabilityErrorCodes.contentFiltered,
            responseContext,
          );
        }
        warnings.push(
          'Stability filtered this image (finish-reason CONTENT_FILTERED): moderation blurred it.',
        );
      } else if (received.finishReason !== undefined && received.finishReason !== 'SUCCESS') {
        warnings.push(`Stability finished with reason ${JSON.stringify(received.finishReason)}.`);
      }
      const { image, inspection } = verifyImage(
        received.bytes,
        context.maxImagePixels,
        responseContext,
      );
      const { requestId } = responseContext;
      return {
        image,
        warnings,
        providerMetadata: definedEntries({
          model: modelId,
          endpoint: mapped.endpoint.path,
          operation: mapped.operation,
          aspectRatio: mapped.aspectRatio,
          outputFormat: mapped.fields.output_format,
          finishReason: received.finishReason,
          width: inspection.width,
          height: inspection.height,
          credits: cost?.credits,
        }),
        ...(received.seed === undefined ? {} : { seed: received.seed }),
        ...(cost === undefined ? {} : { costUsd: cost.usd, usage: { credits: cost.credits } }),
        ...(requestId === undefined ? {} : { requestId }),
      };
    },
  };
}
