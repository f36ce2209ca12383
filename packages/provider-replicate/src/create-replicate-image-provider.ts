import {
  createFingerprint,
  formatSize,
  type ImageRequest,
  type ImageResult,
  imageRequestSchema,
  nonEmptyPromptSchema,
  type PlannedImageRequest,
  type Provider,
  type ProviderCapabilities,
  ProviderError,
  parseWithSchema,
} from '@layerloom/core';
import type { HttpClient, ImageDownloadOptions } from '@layerloom/core/http';
import { z } from 'zod';
import { calculatePredictionCost, estimatePredictionCost } from './calculate-prediction-cost.js';
import { isSafetyFailure, replicateErrorCodes } from './describe-replicate-error.js';
import { mapImageRequest } from './map-image-request.js';
import { progressFromLogs, seedFromLogs } from './read-prediction-logs.js';
import { readPredictionOutput } from './read-prediction-output.js';
import { type ReplicateModelSpec, unknownModelSizes } from './replicate-image-models.js';
import {
  mergeReplicateOptions,
  type ReplicateImageOptions,
  replicateImageOptionsSchema,
} from './replicate-image-options.js';
import type { ReplicateImagePrices } from './replicate-image-prices.js';
import type { ReplicatePrediction } from './replicate-prediction.js';
import { runPrediction } from './run-prediction.js';
import { verifyOutputImage } from './verify-image.js';

/** What the image providers of one `createReplicate` instance share. */
export interface ReplicateImageProviderContext {
  /** The HTTP client, created at the first call (throws when no token is set). */
  readonly client: () => HttpClient;
  /** Prices by model. */
  readonly prices: ReplicateImagePrices;
  /** Largest image, in bytes. */
  readonly maxImageBytes: number;
  /** Largest image, in pixels. */
  readonly maxImagePixels: number;
  /** The guarded download's settings. */
  readonly imageDownload: ImageDownloadOptions;
  /** `Prefer: wait=N`, or `false`. */
  readonly waitSeconds: number | false;
  /** Pause between polls, in milliseconds. */
  readonly pollIntervalMs: number;
  /** Limit of a whole prediction, in milliseconds. */
  readonly predictionTimeoutMs: number;
  /** Keeps cancellations that outlive their call, for `close()`. */
  readonly detach: (work: Promise<unknown>) => void;
}

/** The capabilities of a model: its spec's, or for unknown models what `inputNames` maps. */
function capabilitiesOf(
  spec: ReplicateModelSpec,
  defaults: ReplicateImageOptions,
): ProviderCapabilities {
  const names = spec.known ? undefined : defaults.inputNames;
  const rule = spec.size;
  const sizes =
    rule.kind === 'aspect-ratio'
      ? Object.values(rule.ratios)
      : rule.kind === 'size'
        ? rule.sizes
        : rule.kind === 'none'
          ? unknownModelSizes
          : rule.range;
  const imageInput = spec.known
    ? spec.image !== undefined && !spec.image.needsMask
    : names?.image !== undefined;
  return {
    transparency: false,
    imageInput,
    mask: imageInput && (spec.known ? spec.mask !== undefined : names?.mask !== undefined),
    seed: spec.known ? spec.seed !== undefined : names?.seed !== undefined,
    maxImagesPerCall: spec.maxImagesPerCall,
    sizes,
  };
}

function predictionFailure(
  prediction: ReplicatePrediction,
  redact: (text: string) => string,
): ProviderError {
  const reason =
    typeof prediction.error === 'string' && prediction.error.trim() !== ''
      ? redact(prediction.error.trim()).slice(0, 500)
      : undefined;
  const base = { provider: 'replicate', requestId: prediction.id } as const;
  if (prediction.status === 'aborted') {
    return new ProviderError(
      `The Replicate prediction ${prediction.id} was aborted: its deadline passed before it started`,
      { ...base, code: 'provider_timeout', retryable: true, providerCode: 'aborted' },
    );
  }
  if (prediction.status === 'canceled') {
    return new ProviderError(`The Replicate prediction ${prediction.id} was canceled`, {
      ...base,
      code: replicateErrorCodes.predictionCanceled,
      retryable: false,
      providerCode: 'canceled',
    });
  }
  const message = `The Replicate prediction ${prediction.id} failed${reason === undefined ? '' : `: ${reason}`}`;
  const safety = reason !== undefined && isSafetyFailure(reason);
  return new ProviderError(message, {
    ...base,
    code: safety ? replicateErrorCodes.contentPolicy : replicateErrorCodes.predictionFailed,
    retryable: false,
    providerCode: 'failed',
  });
}

/** The fields of an `ImageRequest` the adapter reads, checked before any call. */
const requestSchema = imageRequestSchema.extend({
  prompt: nonEmptyPromptSchema,
  seed: z.number().int().optional(),
});

/**
 * Builds the `Provider` for one Replicate model.
 *
 * @param modelId - the id given to `.image()`.
 * @param spec - the model's rules.
 * @param defaults - validated default options.
 * @param context - the shared client, prices, limits and timing.
 */
export function createReplicateImageProvider(
  modelId: string,
  spec: ReplicateModelSpec,
  defaults: ReplicateImageOptions,
  context: ReplicateImageProviderContext,
): Provider {
  const price = context.prices[modelId] ?? context.prices[spec.model];
  const optionsFor = (request: PlannedImageRequest): ReplicateImageOptions =>
    mergeReplicateOptions(
      defaults,
      parseWithSchema(replicateImageOptionsSchema, request.options ?? {}, 'options'),
    );

  return {
    id: 'replicate',
    modelId,
    // Defaults (steps, guidance, inputs, the pinned version) change the picture: they must
    // change the cache key.
    fingerprint: createFingerprint(
      { version: spec.version ?? null, defaults },
      'Replicate image defaults',
    ),
    capabilities: capabilitiesOf(spec, defaults),

    estimateCostUsd(): number | undefined {
      return estimatePredictionCost(price);
    },

    async generate(request: ImageRequest): Promise<ImageResult> {
      parseWithSchema(requestSchema, request, 'request');
      const mapped = mapImageRequest(spec, request, optionsFor(request));
      const warnings = [...mapped.warnings];
      if (!spec.known) {
        warnings.push(
          `${spec.model} is not a model this adapter knows: it was sent the prompt${mapped.size === undefined ? '' : ', the size'} and the inputs named in \`options\` only.`,
        );
      }
      const client = context.client();
      let lastFraction: number | undefined;
      const finished = await runPrediction({
        client,
        model: spec.model,
        version: spec.version,
        input: mapped.input,
        signal: request.signal,
        waitSeconds: context.waitSeconds,
        pollIntervalMs: context.pollIntervalMs,
        predictionTimeoutMs: context.predictionTimeoutMs,
        detach: context.detach,
        onUpdate: (prediction) => {
          const fraction = progressFromLogs(prediction.logs);
          if (fraction === undefined || fraction === lastFraction) return;
          lastFraction = fraction;
          try {
            request.onProgress?.({ fraction });
          } catch {
            // A failing progress callback must not break the call it observes.
          }
        },
      });
      const { prediction } = finished;
      if (prediction.status !== 'succeeded' && prediction.status !== 'processing') {
        throw predictionFailure(prediction, client.redact);
      }
      const output = await readPredictionOutput(prediction.output, {
        imageDownload: context.imageDownload,
        maxImageBytes: context.maxImageBytes,
        signal: request.signal,
        predictionId: prediction.id,
      });
      const { image, inspection } = verifyOutputImage(
        output.bytes,
        context.maxImagePixels,
        prediction.id,
      );
      const predictSeconds = prediction.metrics?.predict_time;
      const costUsd = calculatePredictionCost(price, { images: output.files, predictSeconds });
      const seedInput = spec.known ? spec.seed : defaults.inputNames?.seed;
      const seed =
        seedFromLogs(prediction.logs) ??
        (seedInput !== undefined && request.seed !== undefined ? request.seed : undefined);
      if (output.files > 1) {
        warnings.push(`${spec.model} returned ${output.files} images; the first was used.`);
      }
      return {
        image,
        warnings,
        requestId: prediction.id,
        ...(seed === undefined ? {} : { seed }),
        ...(costUsd === undefined ? {} : { costUsd }),
        providerMetadata: {
          model: spec.model,
          ...(prediction.version === undefined ? {} : { version: prediction.version }),
          predictionId: prediction.id,
          status: prediction.status,
          ...(mapped.size === undefined ? {} : { requestedSize: formatSize(mapped.size) }),
          width: inspection.width,
          height: inspection.height,
          outputFiles: output.files,
          polls: finished.polls,
          ...(predictSeconds === undefined ? {} : { predictTimeSeconds: predictSeconds }),
        },
      };
    },
  };
}
