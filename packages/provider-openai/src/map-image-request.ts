import { type PlannedImageRequest, ValidationError } from '@layerloom/core';
import type { OpenAIImageModelSpec } from './openai-image-models.js';
import type { OpenAIImageOptions } from './openai-image-options.js';
import { type InputImage, selectInputImages } from './select-input-images.js';
import { snapImageSize } from './snap-image-size.js';

/** A request in OpenAI's terms: endpoint, wire fields (without files) and warnings. */
export interface MappedImageRequest {
  /** `/images/generations`, or `/images/edits` when the request has an input image. */
  readonly endpoint: '/images/generations' | '/images/edits';
  /** The body fields, with OpenAI's names (files are added by the caller for edits). */
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  /** Whether the response is streamed (`stream: true`). */
  readonly stream: boolean;
  /** Partial images asked for when streamed. */
  readonly partialImages: number;
  /** The size sent. */
  readonly width: number;
  /** The size sent. */
  readonly height: number;
  /** The size sent, `WxH` (with `size: "auto"`: the request's snapped size, for the estimate). */
  readonly size: string;
  /** The quality sent, or the API's default when none was sent (for the price). */
  readonly quality: string;
  /** The input images of an edit (`image` first, then reference images); empty otherwise. */
  readonly inputImages: readonly InputImage[];
  /** What could not be honoured, and other notes. */
  readonly warnings: readonly string[];
}

/** Strength below this keeps the input closely (`input_fidelity: high`). */
export const highFidelityBelowStrength = 0.5;

const quote = (value: unknown) => JSON.stringify(value);

function translateQuality(
  family: OpenAIImageModelSpec['family'],
  quality: NonNullable<OpenAIImageOptions['quality']>,
): string | undefined {
  if (family === 'gpt-image') {
    if (quality === 'hd') return 'high';
    if (quality === 'standard') return 'medium';
    return quality;
  }
  if (family === 'dall-e-3') {
    if (quality === 'high') return 'hd';
    if (quality === 'low' || quality === 'medium') return 'standard';
    if (quality === 'auto') return undefined;
    return quality;
  }
  return quality === 'standard' ? 'standard' : undefined;
}

/**
 * Maps a Layerloom image request and the model's options to OpenAI's wire fields. Whatever the
 * model cannot honour is left out and named in `warnings`; a size the model does not paint is
 * snapped (see {@link snapImageSize}).
 *
 * @param modelId - the model id as sent.
 * @param spec - the model's rules.
 * @param request - the request (its `image` decides between generations and edits).
 * @param options - the merged options (defaults, then the request's own).
 * @throws ValidationError when the model cannot take the input image at all, or the prompt is
 *   longer than the model accepts.
 */
export function mapImageRequest(
  modelId: string,
  spec: OpenAIImageModelSpec,
  request: PlannedImageRequest,
  options: OpenAIImageOptions,
): MappedImageRequest {
  const warnings: string[] = [];
  const fields: Record<string, string | number | boolean> = { model: modelId };
  if (request.image !== undefined && !spec.edits) {
    throw ValidationError.field(
      ['image'],
      `Expected no input \`image\` for ${modelId}, which cannot edit images (capabilities.imageInput is false), got ${request.image.mediaType}`,
      'request',
    );
  }
  const selected = selectInputImages(modelId, spec, request);
  warnings.push(...selected.warnings);
  // Reference images alone make an edit too: OpenAI takes input images only on /images/edits.
  const edit = selected.images.length > 0;
  const unsupported = (option: string, where: string) =>
    warnings.push(`Option \`${option}\` is ${where}; it was not sent to ${modelId}.`);

  if (!spec.known) {
    warnings.push(
      `${modelId} is not a model this adapter knows; it was called with the rules of the GPT image models.`,
    );
  }

  let prompt = request.prompt;
  const negative = request.negativePrompt?.trim();
  if (negative !== undefined && negative !== '') {
    if (options.negativePrompt === 'append') {
      prompt = `${prompt}\n\nAvoid: ${negative}.`;
      warnings.push(
        'OpenAI has no negative prompt; it was appended to the prompt as "Avoid: …" (option `negativePrompt: \'append\'`).',
      );
    } else {
      warnings.push(
        `OpenAI has no negative prompt; ${quote(negative)} was not sent (option \`negativePrompt: 'append'\` adds it to the prompt).`,
      );
    }
  }
  if (prompt.length > spec.maxPromptLength) {
    throw ValidationError.field(
      ['prompt'],
      `Expected \`prompt\` to be at most ${spec.maxPromptLength} characters for ${modelId}, got ${prompt.length} characters`,
      'request',
    );
  }
  fields.prompt = prompt;
  fields.n = 1;

  if (request.seed !== undefined) {
    warnings.push(
      `OpenAI takes no seed; seed ${request.seed} was not sent, so this image cannot be replayed exactly.`,
    );
  }

  const snapped = snapImageSize(spec, request.width, request.height);
  const autoSize = options.size === 'auto' && spec.autoSize;
  if (options.size === 'auto' && !spec.autoSize) {
    warnings.push(
      `${modelId} has no \`size: "auto"\`; sent ${snapped.size} (option \`size\` is only for GPT image models).`,
    );
  }
  if (snapped.snapped && !autoSize) {
    warnings.push(
      `${modelId} does not paint ${request.width}x${request.height}; painted ${snapped.size}, the nearest supported aspect ratio.`,
    );
  }
  fields.size = autoSize ? 'auto' : snapped.size;

  let quality = spec.defaultQuality;
  if (options.quality !== undefined) {
    const translated = translateQuality(spec.family, options.quality);
    if (translated === undefined) {
      warnings.push(
        `${modelId} does not take quality ${quote(options.quality)}; it was not sent (the API default ${quote(spec.defaultQuality)} applies).`,
      );
    } else {
      if (translated !== options.quality) {
        warnings.push(
          `${modelId} does not take quality ${quote(options.quality)}; sent ${quote(translated)}.`,
        );
      }
      fields.quality = translated;
      quality = translated;
    }
  }

  let background = options.background;
  if (spec.transparency) {
    if (request.transparent === true) {
      if (background !== undefined && background !== 'transparent') {
        warnings.push(
          `Option \`background: ${quote(background)}\` was overridden: this request is a cut-out, so \`background: "transparent"\` was sent.`,
        );
      }
      background = 'transparent';
    }
    if (background !== undefined) fields.background = background;
  } else {
    if (request.transparent === true) {
      warnings.push(
        `${modelId} cannot paint a transparent background (capabilities.transparency is false); the image is opaque.`,
      );
    }
    if (options.background !== undefined) unsupported('background', 'only for GPT image models');
  }

  if (spec.outputFormat) {
    let format = options.outputFormat;
    if (background === 'transparent' && format === 'jpeg') {
      warnings.push(
        'Option `outputFormat: "jpeg"` cannot carry transparency; sent `output_format: "png"`.',
      );
      format = 'png';
    }
    if (format !== undefined) fields.output_format = format;
    if (options.outputCompression !== undefined) {
      if ((format ?? 'png') === 'png') {
        unsupported('outputCompression', 'only for jpeg and webp output');
      } else {
        fields.output_compression = options.outputCompression;
      }
    }
  } else {
    if (options.outputFormat !== undefined)
      unsupported('outputFormat', 'only for GPT image models');
    if (options.outputCompression !== undefined) {
      unsupported('outputCompression', 'only for GPT image models');
    }
  }

  if (options.moderation !== undefined) {
    if (!spec.moderation) unsupported('moderation', 'only for GPT image models');
    else if (edit) unsupported('moderation', 'only for generations, not edits');
    else fields.moderation = options.moderation;
  }

  if (options.style !== undefined) {
    if (spec.style) fields.style = options.style;
    else unsupported('style', 'only for dall-e-3');
  }

  if (spec.responseFormat) {
    fields.response_format = options.responseFormat ?? 'b64_json';
  } else if (options.responseFormat === 'url') {
    unsupported('responseFormat', 'only for DALL·E (GPT image models always answer inline)');
  }

  if (options.user !== undefined) fields.user = options.user;

  const hasImage = request.image !== undefined;
  if (!hasImage) {
    if (request.strength !== undefined) {
      warnings.push(
        `\`strength\` applies to requests with an input image; ${request.strength} was ignored.`,
      );
    }
    if (request.mask !== undefined) {
      warnings.push('A `mask` needs an input image; it was not sent.');
    }
  }
  if (!edit) {
    if (options.inputFidelity !== undefined) unsupported('inputFidelity', 'only for edits');
  } else if (spec.inputFidelity) {
    const fidelity =
      options.inputFidelity ??
      (request.strength === undefined || !hasImage
        ? undefined
        : request.strength < highFidelityBelowStrength
          ? 'high'
          : 'low');
    if (fidelity !== undefined) fields.input_fidelity = fidelity;
  } else {
    if (request.strength !== undefined && hasImage) {
      warnings.push(
        `${modelId} has no \`input_fidelity\`; strength ${request.strength} was not applied.`,
      );
    }
    if (options.inputFidelity !== undefined) {
      unsupported('inputFidelity', 'only for gpt-image-1, gpt-image-1.5 and gpt-image-2');
    }
  }

  const partialImages = options.partialImages ?? 0;
  let stream = false;
  if (partialImages > 0) {
    if (spec.streaming) {
      stream = true;
      fields.stream = true;
      fields.partial_images = partialImages;
    } else {
      unsupported('partialImages', 'only for GPT image models (streaming)');
    }
  }

  return {
    endpoint: edit ? '/images/edits' : '/images/generations',
    fields,
    stream,
    partialImages: stream ? partialImages : 0,
    width: snapped.width,
    height: snapped.height,
    size: snapped.size,
    quality,
    inputImages: selected.images,
    warnings,
  };
}
