import {
  type EncodedImage,
  formatSize,
  type PlannedImageRequest,
  snapSize,
  ValidationError,
} from '@layerloom/core';
import { base64EncodedLength, encodeBase64 } from '@layerloom/core/http';
import {
  type GeminiImageModelSpec,
  type GoogleImageModelSpec,
  type GoogleImageSize,
  geminiInputImageTypes,
  type ImagenModelSpec,
} from './google-image-models.js';
import { type GoogleImageOptions, googleImageOptionFamilies } from './google-image-options.js';

/** A request in the Gemini API's terms. */
export interface MappedImageRequest {
  /** `/models/{id}:generateContent` or `/models/{id}:predict`. */
  readonly path: string;
  /** The JSON body. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The size asked for, with its aspect ratio and tier. */
  readonly size: GoogleImageSize;
  /** The seed sent (Gemini only). */
  readonly seed: number | undefined;
  /** The instruction put before the prompt for `strength`, when one was. */
  readonly strengthInstruction: string | undefined;
  /** What could not be honoured, and other notes. */
  readonly warnings: readonly string[];
}

/** Largest request the Gemini API takes with inline images (its 20 MB request limit). */
export const maxInlineRequestBytes = 20 * 1024 * 1024;

/** The instruction that tells a Gemini model how far to move from the input image. */
export function strengthInstruction(strength: number): string {
  if (strength < 1 / 3) {
    return 'Edit the attached image lightly: keep its composition, subjects, colours and style, and change only what these instructions ask.';
  }
  if (strength < 2 / 3) {
    return 'Rework the attached image following these instructions, keeping its overall composition.';
  }
  return 'Use the attached image only as a loose reference and follow these instructions freely.';
}

const quote = (value: unknown) => JSON.stringify(value);

function promptWithNegative(
  request: PlannedImageRequest,
  options: GoogleImageOptions,
  warnings: string[],
): string {
  const negative = request.negativePrompt?.trim();
  if (negative === undefined || negative === '') return request.prompt;
  if (options.negativePrompt === 'append') {
    warnings.push(
      'The Gemini API has no negative prompt; it was appended to the prompt as "Avoid: …" (option `negativePrompt: \'append\'`).',
    );
    return `${request.prompt}\n\nAvoid: ${negative}.`;
  }
  warnings.push(
    `The Gemini API has no negative prompt; ${quote(negative)} was not sent (option \`negativePrompt: 'append'\` adds it to the prompt).`,
  );
  return request.prompt;
}

function inlinePart(image: EncodedImage | { mimeType: string; data: string }) {
  return 'bytes' in image
    ? { inlineData: { mimeType: image.mediaType, data: encodeBase64(image.bytes) } }
    : { inlineData: { mimeType: image.mimeType, data: image.data } };
}

function mapGemini(
  modelId: string,
  spec: GeminiImageModelSpec,
  request: PlannedImageRequest,
  options: GoogleImageOptions,
  size: GoogleImageSize,
  warnings: string[],
): Omit<MappedImageRequest, 'size' | 'warnings'> {
  const { image } = request;
  if (image !== undefined && !geminiInputImageTypes.includes(image.mediaType)) {
    throw ValidationError.field(
      ['image', 'mediaType'],
      `Expected \`image.mediaType\` to be one of ${geminiInputImageTypes.join(', ')} for ${modelId}, got ${quote(image.mediaType)}`,
      'request',
    );
  }
  const references = options.referenceImages ?? [];
  const inputs = (image === undefined ? 0 : 1) + references.length;
  if (inputs > spec.maxInputImages) {
    throw ValidationError.field(
      ['options', 'referenceImages'],
      `Expected at most ${spec.maxInputImages} input images for ${modelId} (the layer's image and \`referenceImages\`), got ${inputs}`,
      'request',
    );
  }
  const inlineBytes =
    (image === undefined ? 0 : base64EncodedLength(image.bytes.byteLength)) +
    references.reduce((sum, reference) => sum + reference.data.length, 0);
  if (inlineBytes > maxInlineRequestBytes) {
    throw ValidationError.field(
      [image === undefined ? 'options' : 'image'],
      `Expected the input images to take at most ${maxInlineRequestBytes} bytes as base64 (the Gemini API's request limit), got ${inlineBytes}`,
      'request',
    );
  }

  let text = promptWithNegative(request, options, warnings);
  let instruction: string | undefined;
  if (request.strength !== undefined) {
    if (image === undefined) {
      warnings.push(
        `\`strength\` applies to requests with an input image; ${request.strength} was ignored.`,
      );
    } else {
      instruction = strengthInstruction(request.strength);
      text = `${instruction}\n\n${text}`;
    }
  }
  const parts = [
    { text },
    ...(image === undefined ? [] : [inlinePart(image)]),
    ...references.map(inlinePart),
  ];
  const generationConfig: Record<string, unknown> = {
    responseModalities: options.includeText === true ? ['TEXT', 'IMAGE'] : ['IMAGE'],
    imageConfig: {
      aspectRatio: size.aspectRatio,
      ...(spec.imageSize ? { imageSize: size.tier } : {}),
    },
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  };
  return {
    path: `/models/${encodeURIComponent(modelId)}:generateContent`,
    body: {
      contents: [{ role: 'user', parts }],
      generationConfig,
      ...(options.safetySettings === undefined ? {} : { safetySettings: options.safetySettings }),
    },
    seed: request.seed,
    strengthInstruction: instruction,
  };
}

function mapImagen(
  modelId: string,
  spec: ImagenModelSpec,
  request: PlannedImageRequest,
  options: GoogleImageOptions,
  size: GoogleImageSize,
  warnings: string[],
): Omit<MappedImageRequest, 'size' | 'warnings'> {
  if (request.image !== undefined) {
    throw ValidationError.field(
      ['image'],
      `Expected no input \`image\` for ${modelId}: Imagen on the Gemini API cannot edit images (capabilities.imageInput is false), got ${request.image.mediaType}`,
      'request',
    );
  }
  const prompt = promptWithNegative(request, options, warnings);
  if (request.seed !== undefined) {
    warnings.push(
      `Imagen on the Gemini API takes no seed; seed ${request.seed} was not sent, so this image cannot be replayed exactly.`,
    );
  }
  if (request.strength !== undefined) {
    warnings.push(
      `\`strength\` needs an input image, which ${modelId} cannot take; it was ignored.`,
    );
  }
  const outputOptions = {
    ...(options.outputMimeType === undefined ? {} : { mimeType: options.outputMimeType }),
    ...(options.outputCompressionQuality === undefined
      ? {}
      : { compressionQuality: options.outputCompressionQuality }),
  };
  if (options.outputCompressionQuality !== undefined && options.outputMimeType !== 'image/jpeg') {
    warnings.push(
      'Option `outputCompressionQuality` applies to JPEG output only (`outputMimeType: "image/jpeg"`); the API ignores it for PNG.',
    );
  }
  const parameters: Record<string, unknown> = {
    // Imagen paints 4 images when sampleCount is left out: always ask for one.
    sampleCount: 1,
    aspectRatio: size.aspectRatio,
    ...(spec.imageSize ? { sampleImageSize: size.tier } : {}),
    includeRaiReason: true,
    ...(options.personGeneration === undefined
      ? {}
      : { personGeneration: options.personGeneration }),
    ...(options.guidanceScale === undefined ? {} : { guidanceScale: options.guidanceScale }),
    ...(options.safetyFilterLevel === undefined
      ? {}
      : { safetySetting: options.safetyFilterLevel }),
    ...(options.includeSafetyAttributes === undefined
      ? {}
      : { includeSafetyAttributes: options.includeSafetyAttributes }),
    ...(Object.keys(outputOptions).length === 0 ? {} : { outputOptions }),
  };
  return {
    path: `/models/${encodeURIComponent(modelId)}:predict`,
    body: { instances: [{ prompt }], parameters },
    seed: undefined,
    strengthInstruction: undefined,
  };
}

/**
 * Maps a Layerloom image request and the model's options to the Gemini API's wire format:
 * `generateContent` (text and inline image parts, `generationConfig.imageConfig`) for the
 * Gemini models, `predict` (`instances`, `parameters`) for Imagen. A size the model does not
 * paint is snapped with core's `snapSize` (the planner's rule) and named in the warnings, as
 * is every option or field the model cannot honour.
 *
 * @param modelId - the model id as sent.
 * @param spec - the model's rules.
 * @param request - the request.
 * @param options - the merged options (defaults, then the request's own).
 * @throws ValidationError when the model cannot take the input image, or too many or too
 *   large input images.
 */
export function mapImageRequest(
  modelId: string,
  spec: GoogleImageModelSpec,
  request: PlannedImageRequest,
  options: GoogleImageOptions,
): MappedImageRequest {
  const warnings: string[] = [];
  if (!spec.known) {
    const rules = spec.family === 'imagen' ? 'Imagen 3' : 'gemini-2.5-flash-image';
    warnings.push(
      `${modelId} is not a model this adapter knows; it was called with the rules of ${rules}.`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    const family = googleImageOptionFamilies[key as keyof GoogleImageOptions];
    if (value !== undefined && family !== 'both' && family !== spec.family) {
      const only = family === 'gemini' ? 'the Gemini image models' : 'Imagen';
      warnings.push(`Option \`${key}\` is only for ${only}; it was not sent to ${modelId}.`);
    }
  }
  const snapped = snapSize({ width: request.width, height: request.height }, spec.sizes);
  const size = spec.sizes.find(
    (candidate) => candidate.width === snapped.width && candidate.height === snapped.height,
  )!;
  if (size.width !== request.width || size.height !== request.height) {
    warnings.push(
      `${modelId} does not paint ${request.width}x${request.height}; painted ${formatSize(size)} (aspect ratio ${size.aspectRatio}, ${size.tier}), the nearest size it supports.`,
    );
  }
  if (request.transparent === true) {
    warnings.push(
      `${modelId} cannot paint a transparent background (capabilities.transparency is false); the image is opaque.`,
    );
  }
  if (request.mask !== undefined) {
    warnings.push(
      `${modelId} takes no inpainting mask (capabilities.mask is false); the mask was not sent.`,
    );
  }
  const mapped =
    spec.family === 'gemini'
      ? mapGemini(modelId, spec, request, options, size, warnings)
      : mapImagen(modelId, spec, request, options, size, warnings);
  return { ...mapped, size, warnings };
}
