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
import { base64EncodedLength, type HttpClient } from '@layerloom/core/http';
import { z } from 'zod';
import { calculateGoogleCost } from './calculate-google-cost.js';
import type { GoogleImageModelSpec } from './google-image-models.js';
import { type GoogleImageOptions, googleImageOptionsSchema } from './google-image-options.js';
import type { GoogleImagePrices } from './google-image-prices.js';
import { mapImageRequest } from './map-image-request.js';
import { readGeminiAnswer } from './read-gemini-answer.js';
import { readImagenAnswer } from './read-imagen-answer.js';

/** What the image providers of one `createGoogle` instance share. */
export interface GoogleImageProviderContext {
  /** The HTTP client, created at the first call (throws when no key is set). */
  readonly client: () => HttpClient;
  /** Prices by model id. */
  readonly prices: GoogleImagePrices;
  /** Largest image, in bytes. */
  readonly maxImageBytes: number;
  /** Largest image, in pixels. */
  readonly maxImagePixels: number;
}

const definedEntries = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;

/** The request fields this adapter reads, checked before anything is sent. */
const requestSchema = imageRequestSchema.extend({
  prompt: nonEmptyPromptSchema,
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
});

/**
 * Builds the `Provider` for one model of the Gemini API.
 *
 * @param modelId - the model id sent in the path.
 * @param spec - the model's rules.
 * @param defaults - validated default options.
 * @param context - the shared client, prices and limits.
 */
export function createGoogleImageProvider(
  modelId: string,
  spec: GoogleImageModelSpec,
  defaults: GoogleImageOptions,
  context: GoogleImageProviderContext,
): Provider {
  const price = context.prices[modelId] ?? context.prices[spec.canonicalId];
  const gemini = spec.family === 'gemini';

  const optionsFor = (request: PlannedImageRequest): GoogleImageOptions => ({
    ...defaults,
    ...definedEntries(parseWithSchema(googleImageOptionsSchema, request.options ?? {}, 'options')),
  });

  return {
    id: 'google',
    modelId,
    // Defaults change the picture (reference images, safety, people…): they change the cache key.
    fingerprint: createFingerprint(defaults, 'Google image defaults'),
    capabilities: {
      transparency: false,
      imageInput: gemini,
      mask: false,
      // Gemini takes `generationConfig.seed` (best effort); Imagen on the Gemini API takes none.
      seed: gemini,
      maxImagesPerCall: gemini ? 1 : spec.maxImagesPerCall,
      sizes: spec.sizes.map(({ width, height }) => ({ width, height })),
    },

    estimateCostUsd(request: PlannedImageRequest): number | undefined {
      try {
        const mapped = mapImageRequest(modelId, spec, request, optionsFor(request));
        return calculateGoogleCost(price, { tier: mapped.size.tier });
      } catch {
        return undefined;
      }
    },

    async generate(request: ImageRequest): Promise<ImageResult> {
      parseWithSchema(requestSchema, request, 'request');
      const mapped = mapImageRequest(modelId, spec, request, optionsFor(request));
      const warnings = [...mapped.warnings];
      const client = context.client();
      const response = await client.request({
        method: 'POST',
        path: mapped.path,
        body: { json: mapped.body },
        signal: request.signal,
        // Base64 grows bytes by 4/3; room for the JSON and a model's draft images around it.
        maxResponseBytes: 3 * base64EncodedLength(context.maxImageBytes) + 1024 * 1024,
      });
      const limits = { maxBytes: context.maxImageBytes, maxPixels: context.maxImagePixels };
      const shared = {
        model: modelId,
        method: gemini ? 'generateContent' : 'predict',
        aspectRatio: mapped.size.aspectRatio,
        imageSize: mapped.size.tier,
        strengthInstruction: mapped.strengthInstruction,
      };

      if (spec.family === 'imagen') {
        const answer = readImagenAnswer(response, limits, client.redact);
        const costUsd = calculateGoogleCost(price, { tier: mapped.size.tier });
        return {
          image: answer.image,
          warnings,
          providerMetadata: definedEntries({
            ...shared,
            width: answer.inspection.width,
            height: answer.inspection.height,
            safetyAttributes: answer.safetyAttributes,
          }),
          ...(answer.enhancedPrompt === undefined ? {} : { revisedPrompt: answer.enhancedPrompt }),
          ...(costUsd === undefined ? {} : { costUsd }),
        };
      }

      const answer = readGeminiAnswer(response, limits, client.redact);
      if (answer.text !== undefined)
        warnings.push(`Gemini also answered with text: ${answer.text}`);
      const costUsd = calculateGoogleCost(price, { tier: mapped.size.tier, usage: answer.usage });
      const requestId = answer.responseId ?? response.requestId;
      return {
        image: answer.image,
        warnings,
        providerMetadata: definedEntries({
          ...shared,
          width: answer.inspection.width,
          height: answer.inspection.height,
          modelVersion: answer.modelVersion,
          finishReason: answer.finishReason,
          text: answer.text,
        }),
        ...(mapped.seed === undefined ? {} : { seed: mapped.seed }),
        ...(answer.usage === undefined ? {} : { usage: answer.usage }),
        ...(costUsd === undefined ? {} : { costUsd }),
        ...(requestId === undefined ? {} : { requestId }),
      };
    },
  };
}
