import {
  type EncodedImage,
  formatSize,
  type PlannedImageRequest,
  snapSize,
  ValidationError,
} from '@layerloom/core';
import {
  controlEndpoints,
  editEndpoints,
  generateEndpoint,
  type StabilityEndpoint,
} from './stability-endpoints.js';
import type { StabilityImageOptions } from './stability-image-options.js';
import {
  aspectRatioOfSize,
  type StabilityAspectRatio,
  type StabilityModelSpec,
  sizesOfModel,
} from './stability-models.js';

/** A request in Stability's terms: endpoint, form fields, files and warnings. */
export interface MappedStabilityRequest {
  /** The endpoint called. */
  readonly endpoint: StabilityEndpoint;
  /** What the call does: `generate`, `image-to-image`, an edit operation or `control/<name>`. */
  readonly operation: string;
  /** The text fields, with Stability's names, as sent (multipart fields are strings). */
  readonly fields: Readonly<Record<string, string>>;
  /** The input image, sent as the `image` part. */
  readonly image: EncodedImage | undefined;
  /** The mask, sent as the `mask` part. */
  readonly mask: EncodedImage | undefined;
  /** The aspect ratio sent, where the endpoint takes one. */
  readonly aspectRatio: StabilityAspectRatio | undefined;
  /** What could not be honoured, and other notes. */
  readonly warnings: readonly string[];
}

/** Largest seed Stability takes; 0 means "random". */
export const maxStabilitySeed = 4_294_967_294;

/** `strength` sent to image-to-image when the request has none (the API requires one). */
export const defaultImageToImageStrength = 0.5;

const maxPromptLength = 10_000;

/** What the mapping needs to know about the provider. */
export interface MappingTarget {
  /** The model id, for messages. */
  readonly modelId: string;
  /** The generate model's rules, or `undefined` for the remove-background provider. */
  readonly spec: StabilityModelSpec | undefined;
}

/**
 * The seed to send for a requested seed: itself from 1 to 4294967294; larger seeds are
 * reduced modulo 4294967295, and 0 (which Stability reads as "random") becomes 4294967294, so
 * that every requested seed is a fixed seed and the image can be replayed.
 *
 * @param seed - the requested seed (a non-negative integer).
 * @param warnings - where a changed seed is noted.
 */
export function wireSeed(seed: number, warnings: string[]): number {
  let wire = seed % (maxStabilitySeed + 1);
  if (wire === 0) wire = maxStabilitySeed;
  if (wire !== seed) {
    warnings.push(
      `Stability takes seeds from 1 to ${maxStabilitySeed} (0 means random); seed ${seed} was sent as ${wire}.`,
    );
  }
  return wire;
}

function chooseEndpoint(
  target: MappingTarget,
  request: PlannedImageRequest,
  options: StabilityImageOptions,
): { endpoint: StabilityEndpoint; operation: string } {
  const { spec, modelId } = target;
  if (spec === undefined) {
    if (
      (options.operation !== undefined && options.operation !== 'remove-background') ||
      options.control !== undefined
    ) {
      throw ValidationError.field(
        ['options', options.control === undefined ? 'operation' : 'control'],
        'Expected no other `operation` or `control` for the remove-background provider, got one',
        'request',
      );
    }
    return { endpoint: editEndpoints['remove-background'], operation: 'remove-background' };
  }
  if (options.operation !== undefined && options.control !== undefined) {
    throw ValidationError.field(
      ['options', 'control'],
      `Expected either \`operation\` or \`control\`, got both (${options.operation} and ${options.control})`,
      'request',
    );
  }
  if (options.operation !== undefined) {
    return { endpoint: editEndpoints[options.operation], operation: options.operation };
  }
  if (options.control !== undefined) {
    return { endpoint: controlEndpoints[options.control], operation: `control/${options.control}` };
  }
  const generate = generateEndpoint(spec.endpoint, spec.canonicalId);
  if (request.image === undefined) return { endpoint: generate, operation: 'generate' };
  if (request.mask !== undefined) return { endpoint: editEndpoints.inpaint, operation: 'inpaint' };
  if (!spec.imageToImage) {
    throw ValidationError.field(
      ['image'],
      `Expected no input \`image\` for ${modelId}, which cannot paint over an image (use stable-image-ultra or an sd3.5 model, or choose \`options.operation\` or \`options.control\`), got ${request.image.mediaType}`,
      'request',
    );
  }
  return { endpoint: generate, operation: 'image-to-image' };
}

/**
 * Maps a Layerloom image request and the merged options to a Stability call: which endpoint
 * (generate, image-to-image, an edit, a control service), its form fields and files. Whatever
 * the endpoint cannot honour is left out and named in `warnings`; a size the generate models
 * do not paint is snapped to the nearest aspect ratio (core's `snapSize` over the model's
 * sizes), with a warning.
 *
 * @param target - model id and rules.
 * @param request - the request.
 * @param options - the merged options (defaults, then the request's own).
 * @throws ValidationError when the request cannot be served (an edit without an input image, a
 *   search-and-replace without `searchPrompt`, a prompt over 10 000 characters…).
 */
export function mapImageRequest(
  target: MappingTarget,
  request: PlannedImageRequest,
  options: StabilityImageOptions,
): MappedStabilityRequest {
  const { spec, modelId } = target;
  const { endpoint, operation } = chooseEndpoint(target, request, options);
  const takes = (field: string) => endpoint.fields.has(field);
  const warnings: string[] = [];
  const fields: Record<string, string> = {};
  const notTaken = (what: string) =>
    warnings.push(`${what} is not taken by ${endpoint.path}; it was not sent.`);

  if (spec !== undefined && !spec.known) {
    warnings.push(
      `${modelId} is not a model this adapter knows; it was sent to ${endpoint.path} as \`model\`.`,
    );
  }
  if (endpoint.needsImage && request.image === undefined) {
    throw ValidationError.field(
      ['image'],
      `Expected an input \`image\` for ${operation} (a layer with \`from\`), got none`,
      'request',
    );
  }

  for (const [field, value] of [
    ['prompt', request.prompt],
    ['negative_prompt', request.negativePrompt],
  ] as const) {
    if (value !== undefined && value.length > maxPromptLength) {
      throw ValidationError.field(
        [field === 'prompt' ? 'prompt' : 'negativePrompt'],
        `Expected \`${field === 'prompt' ? 'prompt' : 'negativePrompt'}\` to be at most ${maxPromptLength} characters, got ${value.length} characters`,
        'request',
      );
    }
  }
  if (takes('prompt')) fields.prompt = request.prompt;
  const negative = request.negativePrompt?.trim();
  if (negative !== undefined && negative !== '') {
    if (takes('negative_prompt')) fields.negative_prompt = negative;
    else notTaken('`negativePrompt`');
  }

  if (takes('model') && spec?.sd3Model !== undefined) fields.model = spec.sd3Model;
  if (operation === 'image-to-image' && takes('mode')) fields.mode = 'image-to-image';

  let aspectRatio: StabilityAspectRatio | undefined;
  if (takes('aspect_ratio') && operation !== 'image-to-image') {
    const megapixels = spec !== undefined && operation === 'generate' ? spec.megapixels : 1;
    const wanted = { width: request.width, height: request.height };
    const snapped = snapSize(wanted, sizesOfModel(megapixels));
    aspectRatio = aspectRatioOfSize(snapped, megapixels);
    if (aspectRatio !== undefined) fields.aspect_ratio = aspectRatio;
    // The service picks the pixels for a ratio: a size of the model's own, or one within 2 % of
    // the ratio sent, is no snap worth a warning.
    const exact = snapped.width === wanted.width && snapped.height === wanted.height;
    const [across, down] = (aspectRatio ?? '1:1').split(':').map(Number);
    const off = Math.abs(Math.log(((wanted.width / wanted.height) * down!) / across!));
    if (!exact && off > 0.02) {
      warnings.push(
        `Stability paints aspect ratios, not sizes: ${formatSize(wanted)} was painted as ${aspectRatio} (about ${formatSize(snapped)}), the nearest it takes.`,
      );
    }
  }

  if (request.seed !== undefined) {
    if (takes('seed')) fields.seed = String(wireSeed(request.seed, warnings));
    else notTaken(`Seed ${request.seed}`);
  }

  if (options.outputFormat !== undefined) {
    if (endpoint.outputFormats.includes(options.outputFormat)) {
      fields.output_format = options.outputFormat;
    } else {
      warnings.push(
        `${endpoint.path} cannot return ${options.outputFormat}; sent \`output_format: "png"\`.`,
      );
      fields.output_format = 'png';
    }
  }
  if (options.stylePreset !== undefined) {
    if (takes('style_preset')) fields.style_preset = options.stylePreset;
    else notTaken('Option `stylePreset`');
  }
  if (options.cfgScale !== undefined) {
    if (takes('cfg_scale')) fields.cfg_scale = String(options.cfgScale);
    else notTaken('Option `cfgScale`');
  }

  mapStrength(endpoint, operation, request, options, fields, warnings);

  if (options.searchPrompt !== undefined) {
    if (takes('search_prompt')) fields.search_prompt = options.searchPrompt;
    else notTaken('Option `searchPrompt`');
  } else if (takes('search_prompt')) {
    throw ValidationError.field(
      ['options', 'searchPrompt'],
      'Expected `searchPrompt` (what to replace, e.g. "dog") for search-and-replace, got nothing',
      'request',
    );
  }
  if (options.growMask !== undefined) {
    if (takes('grow_mask') && endpoint.maxGrowMask !== undefined) {
      if (options.growMask > endpoint.maxGrowMask) {
        throw ValidationError.field(
          ['options', 'growMask'],
          `Expected \`growMask\` to be at most ${endpoint.maxGrowMask} for ${operation}, got ${options.growMask}`,
          'request',
        );
      }
      fields.grow_mask = String(options.growMask);
    } else notTaken('Option `growMask`');
  }
  if (takes('left')) {
    const sides = options.outpaint ?? {};
    const given = (['left', 'right', 'up', 'down'] as const).filter(
      (side) => (sides[side] ?? 0) > 0,
    );
    if (given.length === 0) {
      throw ValidationError.field(
        ['options', 'outpaint'],
        'Expected `outpaint` to give at least one of left, right, up, down above 0 pixels for outpaint, got none',
        'request',
      );
    }
    for (const side of given) fields[side] = String(sides[side]);
  } else if (options.outpaint !== undefined) notTaken('Option `outpaint`');
  if (options.creativity !== undefined) {
    if (takes('creativity')) fields.creativity = String(options.creativity);
    else notTaken('Option `creativity`');
  }

  let mask: EncodedImage | undefined;
  if (request.mask !== undefined) {
    if (takes('mask') && request.image !== undefined) mask = request.mask;
    else notTaken('The `mask`');
  }
  if (request.transparent === true && operation !== 'remove-background') {
    warnings.push(
      `${endpoint.path} cannot paint a transparent background (capabilities.transparency is false); the image is opaque.`,
    );
  }

  return {
    endpoint,
    operation,
    fields,
    image: takes('image') ? request.image : undefined,
    mask,
    aspectRatio,
    warnings,
  };
}

/** `strength` → `strength` (image-to-image), `control_strength` or `fidelity` (control). */
function mapStrength(
  endpoint: StabilityEndpoint,
  operation: string,
  request: PlannedImageRequest,
  options: StabilityImageOptions,
  fields: Record<string, string>,
  warnings: string[],
): void {
  const { strength } = request;
  const kept = strength === undefined ? undefined : Math.round((1 - strength) * 1000) / 1000;
  let used = false;
  if (operation === 'image-to-image') {
    used = true;
    if (strength === undefined) {
      warnings.push(
        `Image-to-image needs a strength and the request has none; sent ${defaultImageToImageStrength}.`,
      );
    }
    fields.strength = String(strength ?? defaultImageToImageStrength);
  }
  for (const [option, field] of [
    ['controlStrength', 'control_strength'],
    ['fidelity', 'fidelity'],
  ] as const) {
    if (!endpoint.fields.has(field)) {
      if (options[option] !== undefined) {
        warnings.push(`Option \`${option}\` is not taken by ${endpoint.path}; it was not sent.`);
      }
      continue;
    }
    used = true;
    const value = options[option] ?? kept;
    if (value !== undefined) fields[field] = String(value);
  }
  if (!used && strength !== undefined) {
    warnings.push(
      `${endpoint.path} has no strength; strength ${strength} was not applied${request.image === undefined ? ' (there is no input image)' : ''}.`,
    );
  }
}
