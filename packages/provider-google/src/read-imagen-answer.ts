import type { HttpResponse } from '@layerloom/core/http';
import { z } from 'zod';
import {
  type AnswerImage,
  type AnswerImageLimits,
  decodeAnswerImage,
} from './decode-answer-image.js';
import { googleErrorCodes } from './describe-google-error.js';
import { providerFailure } from './provider-failure.js';

/** What a `predict` answer gave, the image checked. */
export interface ImagenAnswer extends AnswerImage {
  /** The prompt as Imagen's prompt rewriter changed it, when it says. */
  readonly enhancedPrompt: string | undefined;
  /** Safety scores, when asked for (`includeSafetyAttributes`). */
  readonly safetyAttributes: Readonly<Record<string, unknown>> | undefined;
}

const safetyAttributes = z.looseObject({
  categories: z.array(z.string()).optional(),
  scores: z.array(z.number()).optional(),
});

const answerSchema = z.looseObject({
  predictions: z
    .array(
      z.looseObject({
        bytesBase64Encoded: z.string().optional(),
        mimeType: z.string().optional(),
        raiFilteredReason: z.string().optional(),
        prompt: z.string().optional(),
        safetyAttributes: safetyAttributes.optional(),
      }),
    )
    .optional(),
  positivePromptSafetyAttributes: safetyAttributes.optional(),
});

/**
 * Reads a `predict` answer: `predictions[]` with `bytesBase64Encoded` and `mimeType`. An
 * entry with `raiFilteredReason` instead of an image, or no prediction at all (what Imagen
 * answers when its filters removed every image), is a typed safety error.
 *
 * @param response - the buffered 2xx response.
 * @param limits - byte and pixel caps.
 * @param redact - removes secrets from text the server sent.
 * @throws ProviderError `provider_content_policy`, `provider_bad_response`,
 *   `provider_response_too_large`.
 */
export function readImagenAnswer(
  response: HttpResponse,
  limits: AnswerImageLimits,
  redact: (text: string) => string,
): ImagenAnswer {
  const parsed = answerSchema.safeParse(response.json());
  const context = { status: response.status, requestId: response.requestId };
  if (!parsed.success) {
    throw providerFailure(
      'Google returned an answer that is not an Imagen prediction',
      googleErrorCodes.badResponse,
      { ...context, cause: parsed.error },
    );
  }
  const predictions = parsed.data.predictions ?? [];
  const painted = predictions.find((prediction) => prediction.bytesBase64Encoded !== undefined);
  if (painted?.bytesBase64Encoded === undefined) {
    const reason = predictions.find(
      (prediction) => prediction.raiFilteredReason,
    )?.raiFilteredReason;
    throw providerFailure(
      reason === undefined
        ? 'Google returned no image: Imagen leaves out the images its safety filters removed'
        : `Google filtered the image: ${redact(reason).slice(0, 500)}`,
      googleErrorCodes.contentPolicy,
      { ...context, ...(reason === undefined ? {} : { providerCode: 'raiFilteredReason' }) },
    );
  }
  const attributes = {
    ...(painted.safetyAttributes === undefined ? {} : { image: painted.safetyAttributes }),
    ...(parsed.data.positivePromptSafetyAttributes === undefined
      ? {}
      : { prompt: parsed.data.positivePromptSafetyAttributes }),
  };
  return {
    ...decodeAnswerImage(painted.bytesBase64Encoded, limits, context),
    enhancedPrompt: painted.prompt === undefined ? undefined : redact(painted.prompt),
    safetyAttributes: Object.keys(attributes).length === 0 ? undefined : attributes,
  };
}
