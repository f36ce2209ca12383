import type { HttpResponse } from '@layerloom/core/http';
import { z } from 'zod';
import {
  type AnswerImage,
  type AnswerImageLimits,
  decodeAnswerImage,
} from './decode-answer-image.js';
import { googleErrorCodes } from './describe-google-error.js';
import { providerFailure } from './provider-failure.js';

/** What a `generateContent` answer gave, the image checked. */
export interface GeminiAnswer extends AnswerImage {
  /** The model's text parts (thoughts left out), joined; redacted. */
  readonly text: string | undefined;
  /** Token counts in Layerloom's shape. */
  readonly usage: Readonly<Record<string, number>> | undefined;
  /** `responseId`: the answer's id. */
  readonly responseId: string | undefined;
  /** `modelVersion`: the model that answered. */
  readonly modelVersion: string | undefined;
  /** `candidates[0].finishReason`. */
  readonly finishReason: string | undefined;
}

/** Finish and block reasons that mean a safety system refused the prompt or the image. */
export const safetyReasons: ReadonlySet<string> = new Set([
  'SAFETY',
  'IMAGE_SAFETY',
  'PROHIBITED_CONTENT',
  'IMAGE_PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'RECITATION',
  'IMAGE_RECITATION',
]);

const modalityCounts = z.array(
  z.looseObject({ modality: z.string().optional(), tokenCount: z.number().optional() }),
);

const answerSchema = z.looseObject({
  candidates: z
    .array(
      z.looseObject({
        content: z
          .looseObject({
            parts: z
              .array(
                z.looseObject({
                  text: z.string().optional(),
                  thought: z.boolean().optional(),
                  inlineData: z
                    .looseObject({ mimeType: z.string().optional(), data: z.string() })
                    .optional(),
                }),
              )
              .optional(),
          })
          .optional(),
        finishReason: z.string().optional(),
        finishMessage: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z
    .looseObject({ blockReason: z.string().optional(), blockReasonMessage: z.string().optional() })
    .optional(),
  usageMetadata: z
    .looseObject({
      promptTokenCount: z.number().optional(),
      candidatesTokenCount: z.number().optional(),
      thoughtsTokenCount: z.number().optional(),
      totalTokenCount: z.number().optional(),
      promptTokensDetails: modalityCounts.optional(),
      candidatesTokensDetails: modalityCounts.optional(),
    })
    .optional(),
  responseId: z.string().optional(),
  modelVersion: z.string().optional(),
});

type UsageMetadata = NonNullable<z.infer<typeof answerSchema>['usageMetadata']>;

const byModality = (details: z.infer<typeof modalityCounts> | undefined, modality: string) =>
  details?.find((entry) => entry.modality === modality)?.tokenCount;

/**
 * `usageMetadata` in Layerloom's shape: camelCase counts, only those reported.
 *
 * @param usage - the answer's `usageMetadata`.
 */
export function usageOfGemini(
  usage: UsageMetadata | undefined,
): Readonly<Record<string, number>> | undefined {
  if (usage === undefined) return undefined;
  const entries: [string, number | undefined][] = [
    ['inputTokens', usage.promptTokenCount],
    ['inputTextTokens', byModality(usage.promptTokensDetails, 'TEXT')],
    ['inputImageTokens', byModality(usage.promptTokensDetails, 'IMAGE')],
    ['outputTokens', usage.candidatesTokenCount],
    ['outputImageTokens', byModality(usage.candidatesTokensDetails, 'IMAGE')],
    ['outputTextTokens', byModality(usage.candidatesTokensDetails, 'TEXT')],
    ['thoughtsTokens', usage.thoughtsTokenCount],
    ['totalTokens', usage.totalTokenCount],
  ];
  const result = Object.fromEntries(
    entries.filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
  return Object.keys(result).length === 0 ? undefined : result;
}

/** Longest model text put in a message or warning. */
const maxTextLength = 500;

/**
 * Reads a `generateContent` answer: a blocked prompt (`promptFeedback.blockReason`) or a
 * safety `finishReason` is a typed safety error; otherwise the last image part that is not a
 * thought (Gemini 3 models send draft images marked `thought: true` first) is decoded and
 * checked; an answer without one is `provider_no_image`, with the model's text.
 *
 * @param response - the buffered 2xx response.
 * @param limits - byte and pixel caps.
 * @param redact - removes secrets from text the server sent.
 * @throws ProviderError `provider_content_policy`, `provider_no_image`,
 *   `provider_bad_response`, `provider_response_too_large`.
 */
export function readGeminiAnswer(
  response: HttpResponse,
  limits: AnswerImageLimits,
  redact: (text: string) => string,
): GeminiAnswer {
  const parsed = answerSchema.safeParse(response.json());
  const context = { status: response.status, requestId: response.requestId };
  if (!parsed.success) {
    throw providerFailure(
      'Google returned an answer that is not a GenerateContentResponse',
      googleErrorCodes.badResponse,
      { ...context, cause: parsed.error },
    );
  }
  const answer = parsed.data;
  const withId = { ...context, requestId: answer.responseId ?? context.requestId };
  const say = (value: string | undefined) =>
    value === undefined || value.trim() === ''
      ? undefined
      : redact(value.trim()).slice(0, maxTextLength);

  const blocked = answer.promptFeedback?.blockReason;
  if (blocked !== undefined && blocked !== 'BLOCKED_REASON_UNSPECIFIED') {
    const why = say(answer.promptFeedback?.blockReasonMessage);
    throw providerFailure(
      `Google blocked the prompt (blockReason ${blocked})${why === undefined ? '' : `: ${why}`}`,
      googleErrorCodes.contentPolicy,
      { ...withId, providerCode: blocked },
    );
  }
  const candidate = answer.candidates?.[0];
  if (candidate === undefined) {
    throw providerFailure(
      'Google returned an answer without candidates',
      googleErrorCodes.badResponse,
      withId,
    );
  }
  const parts = candidate.content?.parts ?? [];
  const text = say(
    parts
      .filter((part) => part.thought !== true && typeof part.text === 'string')
      .map((part) => part.text)
      .join('\n'),
  );
  const finishReason = candidate.finishReason;
  if (finishReason !== undefined && safetyReasons.has(finishReason)) {
    const why = say(candidate.finishMessage) ?? text;
    throw providerFailure(
      `Google stopped the image for safety (finishReason ${finishReason})${why === undefined ? '' : `: ${why}`}`,
      googleErrorCodes.contentPolicy,
      { ...withId, providerCode: finishReason },
    );
  }
  const imagePart = parts
    .filter((part) => part.thought !== true && part.inlineData !== undefined)
    .at(-1);
  if (imagePart?.inlineData === undefined) {
    const why = say(candidate.finishMessage) ?? text;
    throw providerFailure(
      `Google answered without an image (finishReason ${finishReason ?? 'none'})${why === undefined ? '' : `: ${why}`}`,
      googleErrorCodes.noImage,
      { ...withId, ...(finishReason === undefined ? {} : { providerCode: finishReason }) },
    );
  }
  return {
    ...decodeAnswerImage(imagePart.inlineData.data, limits, withId),
    text,
    usage: usageOfGemini(answer.usageMetadata),
    responseId: answer.responseId,
    modelVersion: answer.modelVersion,
    finishReason,
  };
}
