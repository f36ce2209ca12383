import {
  type EncodedImage,
  formatSize,
  type ImageSize,
  inspectImage,
  type PlannedImageRequest,
  snapSize,
  ValidationError,
} from '@layerloom/core';
import { encodeBase64 } from '@layerloom/core/http';
import { type ReplicateModelSpec, unknownModelSizes } from './replicate-image-models.js';
import type { ReplicateImageOptions, ReplicateInputNames } from './replicate-image-options.js';

/** A request in Replicate's terms: the prediction's `input` and what could not be honoured. */
export interface MappedImageRequest {
  /** The prediction's `input` object. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The size the model is asked to paint, when the adapter sends one. */
  readonly size: ImageSize | undefined;
  /** What could not be honoured, and other notes. */
  readonly warnings: readonly string[];
}

/** Largest sum of input image bytes sent inline as data URIs (what Replicate takes inline). */
export const maxInlineInputBytes = 10_000_000;

const quote = (value: unknown) => JSON.stringify(value);

/** One mapping in progress: its inputs, and the `input` and warnings being built. */
interface Mapping {
  readonly spec: ReplicateModelSpec;
  readonly request: PlannedImageRequest;
  readonly options: ReplicateImageOptions;
  readonly names: ReplicateInputNames;
  readonly input: Record<string, unknown>;
  readonly warnings: string[];
}

/**
 * An image as a `data:` URI, its media type read from the bytes when they are a known format.
 *
 * @param image - the encoded image.
 */
export function toDataUri(image: EncodedImage): string {
  const mediaType = inspectImage(image.bytes)?.mediaType ?? image.mediaType;
  return `data:${mediaType};base64,${encodeBase64(image.bytes)}`;
}

/** The input names of a model: the spec's for known models, `inputNames` for the others. */
function namesOf(spec: ReplicateModelSpec, options: ReplicateImageOptions): ReplicateInputNames {
  if (!spec.known) return { prompt: 'prompt', ...options.inputNames };
  if (options.inputNames !== undefined) {
    throw ValidationError.field(
      ['options', 'inputNames'],
      `Expected no \`inputNames\` for ${spec.model}, whose inputs the adapter maps itself (use \`input\` to send others)`,
      'request',
    );
  }
  return {
    prompt: 'prompt',
    negativePrompt: spec.negativePrompt,
    seed: spec.seed,
    image: spec.image?.input,
    mask: spec.mask?.input,
    strength: spec.image?.strength,
  };
}

function checkRange(
  option: 'numInferenceSteps' | 'guidance',
  value: number,
  range: { readonly min: number; readonly max: number },
  model: string,
): void {
  if (value < range.min || value > range.max) {
    throw ValidationError.field(
      ['options', option],
      `Expected \`options.${option}\` to be from ${range.min} to ${range.max} for ${model}, got ${value}`,
      'request',
    );
  }
}

/**
 * Maps a Layerloom image request and the model's options to a prediction's `input`. Whatever
 * the model cannot honour is left out and named in `warnings`; a size the model does not paint
 * is snapped with core's `snapSize` (the planner's rule) and sent the way the model takes it
 * (`aspect_ratio`, `width`/`height`, or `size`).
 *
 * @param spec - the model's rules.
 * @param request - the request.
 * @param options - the merged options (defaults, then the request's own).
 * @throws ValidationError when the model cannot take the input image, needs a mask with it, an
 *   option is outside the model's range, or the inline images are too large.
 */
export function mapImageRequest(
  spec: ReplicateModelSpec,
  request: PlannedImageRequest,
  options: ReplicateImageOptions,
): MappedImageRequest {
  const warnings: string[] = [];
  const input: Record<string, unknown> = {};
  const names = namesOf(spec, options);
  const model = spec.model;
  const notSent = (what: string, why: string) => notSentWarning(warnings, what, model, why);

  input[names.prompt ?? 'prompt'] = request.prompt;

  const negative = request.negativePrompt?.trim();
  if (negative !== undefined && negative !== '') {
    if (names.negativePrompt === undefined) {
      notSent(`The negative prompt ${quote(negative)}`, 'the model has no negative prompt');
    } else {
      input[names.negativePrompt] = negative;
    }
  }

  const mapping: Mapping = { spec, request, options, names, input, warnings };
  const size = mapSize(mapping);

  if (request.seed !== undefined) {
    if (names.seed === undefined) {
      notSent(`Seed ${request.seed}`, 'the model takes no seed, so the image cannot be replayed');
    } else {
      input[names.seed] = request.seed;
    }
  }

  if (options.numInferenceSteps !== undefined) {
    if (spec.steps === undefined) notSent('Option `numInferenceSteps`', 'it has no steps input');
    else {
      checkRange('numInferenceSteps', options.numInferenceSteps, spec.steps, model);
      input[spec.steps.input] = options.numInferenceSteps;
    }
  }
  if (options.guidance !== undefined) {
    if (spec.guidance === undefined) notSent('Option `guidance`', 'it has no guidance input');
    else {
      checkRange('guidance', options.guidance, spec.guidance, model);
      input[spec.guidance.input] = options.guidance;
    }
  }
  if (options.outputFormat !== undefined) {
    if (spec.outputFormats === undefined) {
      notSent('Option `outputFormat`', 'it has no `output_format` input');
    } else {
      input.output_format = options.outputFormat;
    }
  }
  if (spec.numOutputs !== undefined) input[spec.numOutputs] = 1;

  if (request.transparent === true) {
    warnings.push(
      `${model} cannot paint a transparent background (capabilities.transparency is false); the image is opaque.`,
    );
  }

  mapImageInputs(mapping);

  for (const [key, value] of Object.entries(options.input ?? {})) {
    if (key in input && input[key] !== value) {
      warnings.push(`\`options.input.${key}\` replaced the value the adapter mapped.`);
    }
    input[key] = value;
  }
  return { input, size, warnings };
}

function mapSize(mapping: Mapping): ImageSize | undefined {
  const { spec, request, options, names, input, warnings } = mapping;
  const target = { width: request.width, height: request.height };
  const rule = spec.size;
  const noteSnap = (chosen: ImageSize, how: string) => {
    if (chosen.width !== target.width || chosen.height !== target.height) {
      warnings.push(
        `${spec.model} does not paint ${formatSize(target)}; asked for ${formatSize(chosen)} (${how}).`,
      );
    }
  };
  if (options.aspectRatio !== undefined && rule.kind !== 'aspect-ratio') {
    warnings.push(
      `Option \`aspectRatio\` was not sent to ${spec.model}: it takes no \`aspect_ratio\` from a list.`,
    );
  }
  switch (rule.kind) {
    case 'aspect-ratio': {
      let ratio = options.aspectRatio;
      if (ratio !== undefined && rule.ratios[ratio] === undefined) {
        throw ValidationError.field(
          ['options', 'aspectRatio'],
          `Expected \`options.aspectRatio\` to be one of ${Object.keys(rule.ratios).join(', ')} for ${spec.model}, got ${quote(ratio)}`,
          'request',
        );
      }
      if (ratio === undefined) {
        const chosen = snapSize(target, Object.values(rule.ratios));
        ratio = Object.keys(rule.ratios).find(
          (key) =>
            rule.ratios[key]!.width === chosen.width && rule.ratios[key]!.height === chosen.height,
        )!;
      }
      const chosen = rule.ratios[ratio]!;
      input.aspect_ratio = ratio;
      noteSnap(chosen, `aspect_ratio ${ratio}`);
      return chosen;
    }
    case 'width-height':
    case 'custom-aspect-ratio': {
      const chosen = snapSize(target, rule.range);
      if (rule.kind === 'custom-aspect-ratio') input.aspect_ratio = 'custom';
      input.width = chosen.width;
      input.height = chosen.height;
      noteSnap(chosen, 'width and height snapped to what it accepts');
      return chosen;
    }
    case 'size': {
      const chosen = snapSize(target, rule.sizes);
      input.size = formatSize(chosen);
      noteSnap(chosen, 'the listed size nearest in aspect ratio');
      return chosen;
    }
    case 'none': {
      if (names.width === undefined || names.height === undefined) {
        warnings.push(
          `The size ${formatSize(target)} was not sent to ${spec.model}: name its inputs with \`inputNames.width\` and \`inputNames.height\`; the model paints its own size.`,
        );
        return undefined;
      }
      const chosen = snapSize(target, unknownModelSizes);
      input[names.width] = chosen.width;
      input[names.height] = chosen.height;
      noteSnap(chosen, 'snapped to multiples of 8');
      return chosen;
    }
  }
}

function mapImageInputs(mapping: Mapping): void {
  const { spec, request, options, names, input, warnings } = mapping;
  const strength = options.promptStrength ?? request.strength;
  if (request.image === undefined) {
    if (strength !== undefined) {
      warnings.push(
        `\`strength\` applies to requests with an input image; ${strength} was ignored.`,
      );
    }
    if (request.mask !== undefined)
      warnings.push('A `mask` needs an input image; it was not sent.');
    return;
  }
  if (names.image === undefined) {
    throw ValidationError.field(
      ['image'],
      `Expected no input \`image\` for ${spec.model}, which takes none (capabilities.imageInput is false)${spec.known ? '' : '; name its input with `inputNames.image`'}, got ${request.image.mediaType}`,
      'request',
    );
  }
  if (spec.image?.needsMask === true && request.mask === undefined) {
    throw ValidationError.field(
      ['mask'],
      `Expected a \`mask\` with the input image for ${spec.model}, which only repaints masked areas (inpainting), got none`,
      'request',
    );
  }
  const inline = request.image.bytes.byteLength + (request.mask?.bytes.byteLength ?? 0);
  if (inline > maxInlineInputBytes) {
    throw ValidationError.field(
      ['image'],
      `Expected the input image and mask to hold at most ${maxInlineInputBytes} bytes together (they are sent inline as data URIs), got ${inline}`,
      'request',
    );
  }
  input[names.image] = toDataUri(request.image);
  if (strength !== undefined) {
    if (names.strength === undefined) {
      notSentWarning(
        warnings,
        `Strength ${strength}`,
        spec.model,
        'the model has no strength input',
      );
    } else {
      input[names.strength] = strength;
    }
  }
  if (request.mask !== undefined) {
    if (names.mask === undefined) {
      notSentWarning(warnings, 'The mask', spec.model, 'the model takes no mask');
    } else {
      input[names.mask] = toDataUri(request.mask);
    }
  }
}

function notSentWarning(warnings: string[], what: string, model: string, why: string): void {
  warnings.push(`${what} was not sent to ${model}: ${why}.`);
}
