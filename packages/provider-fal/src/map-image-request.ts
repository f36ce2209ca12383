import {
  formatSize,
  type ImageSize,
  type PlannedImageRequest,
  snapSize,
  ValidationError,
} from '@layerloom/core';
import { encodeBase64 } from '@layerloom/core/http';
import type { FalEndpointSpec, FalImageModelSpec, FalInputField } from './fal-image-models.js';
import type { FalImageOptions, FalImageSizePreset } from './fal-image-options.js';

/** A request in fal's terms: the endpoint, its JSON input, the size billed, and warnings. */
export interface MappedFalRequest {
  /** The endpoint called (the model id in the URL path). */
  readonly endpoint: string;
  /** The JSON input, with fal's field names. */
  readonly input: Readonly<Record<string, unknown>>;
  /** `queue` or `sync`. */
  readonly mode: 'queue' | 'sync';
  /** The size asked for (for the price when the answer does not say). */
  readonly size: ImageSize;
  /** The `style` sent, if any (Recraft prices by style). */
  readonly style: string | undefined;
  /** What could not be honoured, and other notes. */
  readonly warnings: readonly string[];
}

/** The sizes of fal's presets. */
export const falImageSizePresets: Readonly<Record<FalImageSizePreset, ImageSize>> = {
  square_hd: { width: 1024, height: 1024 },
  square: { width: 512, height: 512 },
  portrait_4_3: { width: 768, height: 1024 },
  portrait_16_9: { width: 576, height: 1024 },
  landscape_4_3: { width: 1024, height: 768 },
  landscape_16_9: { width: 1024, height: 576 },
};

/** Options that map one to one onto a wire field. */
const directOptions: readonly [keyof FalImageOptions, FalInputField][] = [
  ['numInferenceSteps', 'num_inference_steps'],
  ['guidanceScale', 'guidance_scale'],
  ['loras', 'loras'],
  ['outputFormat', 'output_format'],
  ['enableSafetyChecker', 'enable_safety_checker'],
  ['acceleration', 'acceleration'],
  ['syncMode', 'sync_mode'],
  ['style', 'style'],
  ['styleId', 'style_id'],
  ['colors', 'colors'],
];

const quote = (value: unknown) => JSON.stringify(value);

/** A `data:` URI of an image, the way fal takes input images in JSON. */
export const dataUri = (image: { bytes: Uint8Array; mediaType: string }) =>
  `data:${image.mediaType};base64,${encodeBase64(image.bytes)}`;

function chooseEndpoint(
  modelId: string,
  spec: FalImageModelSpec,
  request: PlannedImageRequest,
  warnings: string[],
): FalEndpointSpec {
  if (request.image === undefined) {
    if (request.mask !== undefined)
      warnings.push('A `mask` needs an input image; it was not sent.');
    if (spec.text !== undefined) return spec.text;
    throw ValidationError.field(
      ['image'],
      `Expected an input \`image\` for ${modelId}, which paints over an image, got none`,
      'request',
    );
  }
  if (request.mask !== undefined && spec.mask !== undefined) return spec.mask;
  if (spec.image !== undefined) {
    if (request.mask !== undefined) {
      warnings.push(`${modelId} has no inpainting endpoint; the \`mask\` was not sent.`);
    }
    return spec.image;
  }
  if (spec.mask !== undefined) {
    throw ValidationError.field(
      ['mask'],
      `Expected a \`mask\` with the input image for ${modelId}, an inpainting endpoint, got none`,
      'request',
    );
  }
  throw ValidationError.field(
    ['image'],
    `Expected no input \`image\` for ${modelId}, which takes none (capabilities.imageInput is false; give its image field with the option \`input\`), got ${request.image.mediaType}`,
    'request',
  );
}

/**
 * Maps a Layerloom image request and the model's options to a fal endpoint and its JSON input.
 * A request with an input image goes to the model family's image-to-image endpoint (with a
 * mask, to its inpainting endpoint). Whatever that endpoint does not take is left out and named
 * in `warnings`; a size the model does not paint is snapped with core's `snapSize`.
 *
 * @param modelId - the model id as given to `.image()`.
 * @param spec - the model's rules.
 * @param request - the request.
 * @param options - the merged options (defaults, then the request's own).
 * @throws ValidationError when the model cannot take the request's image (or needs one).
 */
export function mapImageRequest(
  modelId: string,
  spec: FalImageModelSpec,
  request: PlannedImageRequest,
  options: FalImageOptions,
): MappedFalRequest {
  const warnings: string[] = [];
  if (!spec.known) {
    warnings.push(
      `${modelId} is not a model this adapter knows; it was sent fal's common input fields (prompt, image_size, seed…) and \`options.input\`.`,
    );
  }
  const endpoint = chooseEndpoint(modelId, spec, request, warnings);
  const accepts = (field: FalInputField) => endpoint.fields.has(field);
  const input: Record<string, unknown> = { prompt: request.prompt };

  const negative = request.negativePrompt?.trim();
  if (negative !== undefined && negative !== '') {
    if (accepts('negative_prompt')) input.negative_prompt = negative;
    else warnings.push(`${endpoint.id} has no negative prompt; ${quote(negative)} was not sent.`);
  }

  let size: ImageSize = { width: request.width, height: request.height };
  if (accepts('image_size')) {
    if (options.imageSize !== undefined) {
      input.image_size = options.imageSize;
      size = falImageSizePresets[options.imageSize];
    } else {
      const snapped = snapSize(size, spec.sizes);
      if (snapped.width !== size.width || snapped.height !== size.height) {
        warnings.push(
          `${modelId} does not paint ${formatSize(size)}; painted ${formatSize(snapped)}, the nearest size it supports.`,
        );
      }
      size = snapped;
      input.image_size = { width: size.width, height: size.height };
    }
  } else if (options.imageSize !== undefined) {
    warnings.push(
      `${endpoint.id} takes no \`image_size\` (the output follows the input image); option \`imageSize\` was not sent.`,
    );
  }

  if (request.seed !== undefined) {
    if (accepts('seed')) input.seed = request.seed;
    else {
      warnings.push(
        `${endpoint.id} takes no seed; seed ${request.seed} was not sent, so this image cannot be replayed exactly.`,
      );
    }
  }
  // Unknown models get only what was asked for: their defaults are theirs.
  if (spec.known && accepts('num_images')) input.num_images = 1;

  if (request.transparent === true) {
    warnings.push(
      `${modelId} cannot paint a transparent background (capabilities.transparency is false); the image is opaque.`,
    );
  }

  if (request.image !== undefined) {
    input.image_url = dataUri(request.image);
    if (request.strength !== undefined) {
      if (accepts('strength')) input.strength = request.strength;
      else warnings.push(`${endpoint.id} takes no \`strength\`; ${request.strength} was not sent.`);
    }
    if (request.mask !== undefined && accepts('mask_url')) input.mask_url = dataUri(request.mask);
  } else if (request.strength !== undefined) {
    warnings.push(
      `\`strength\` applies to requests with an input image; ${request.strength} was ignored.`,
    );
  }

  for (const [option, field] of directOptions) {
    const value = options[option];
    if (value === undefined) continue;
    if (accepts(field)) input[field] = value;
    else
      warnings.push(
        `Option \`${option}\` (\`${field}\`) is not taken by ${endpoint.id}; it was not sent.`,
      );
  }
  if (spec.known && accepts('output_format') && input.output_format === undefined) {
    input.output_format = 'png';
  }

  Object.assign(input, options.input);
  return {
    endpoint: endpoint.id,
    input,
    mode: options.mode ?? 'queue',
    size,
    style: typeof input.style === 'string' ? input.style : undefined,
    warnings,
  };
}
