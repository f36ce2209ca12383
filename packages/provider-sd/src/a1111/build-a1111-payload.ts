import type { ImageRequest } from '@layerloom/core';
import { convertMask, encodeBase64 } from '@layerloom/core/http';
import { snapServerSize } from '../shared/snap-server-size.js';
import {
  type A1111ImageDefaults,
  inpaintingFillValues,
  resizeModeValues,
} from './a1111-image-defaults.js';

/** The A1111 endpoint a request goes to. */
export type A1111Endpoint = 'txt2img' | 'img2img';

/** What {@link buildA1111Payload} produces. */
export interface A1111Payload {
  /** `txt2img`, or `img2img` when the request has an input image. */
  readonly endpoint: A1111Endpoint;
  /** The JSON body. */
  readonly body: Record<string, unknown>;
  /** The task id sent as `force_task_id`, to follow and interrupt this call only. */
  readonly taskId: string;
  /** Notes for the result: snapped sizes, fields that were not sent. */
  readonly warnings: readonly string[];
}

/** Inputs of {@link buildA1111Payload}. */
export interface A1111PayloadInput {
  /** The request. */
  readonly request: ImageRequest;
  /** Checkpoint for `override_settings.sd_model_checkpoint`, when one was chosen. */
  readonly checkpoint: string | undefined;
  /** The provider's defaults (validated). */
  readonly defaults: A1111ImageDefaults;
  /** The task id to send as `force_task_id` (unless `options` name one). */
  readonly taskId: string;
}

/** Keys of `options` merged key by key instead of replaced. */
const mergedKeys = ['override_settings', 'alwayson_scripts'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Merges option objects: later wins, except `override_settings` and `alwayson_scripts`. */
function mergeOptions(
  ...layers: (Readonly<Record<string, unknown>> | undefined)[]
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) {
      const previous = merged[key];
      merged[key] =
        (mergedKeys as readonly string[]).includes(key) && isRecord(previous) && isRecord(value)
          ? { ...previous, ...value }
          : value;
    }
  }
  return merged;
}

/**
 * Builds the JSON body of `POST /sdapi/v1/txt2img` or `/img2img` from a Layerloom request.
 *
 * Request fields go first, then the provider's `defaults.options`, then the request's `options`
 * (both raw A1111 fields), so options can override anything; `override_settings` and
 * `alwayson_scripts` are merged key by key. Always sent: `force_task_id` (the call's own task,
 * so that progress and interrupts concern it alone) and `override_settings_restore_afterwards`
 * (`defaults.restoreSettings`, true unless turned off: a shared server keeps its settings).
 * A mask is converted from Layerloom's convention to A1111's (an opaque grey image, white =
 * repaint), so `inpainting_mask_invert` stays 0 unless `invertMask` asks for the inverse.
 *
 * @param input - the request, the checkpoint and the provider's defaults.
 */
export function buildA1111Payload(input: A1111PayloadInput): A1111Payload {
  const { request, checkpoint, defaults } = input;
  const warnings: string[] = [];
  const size = snapServerSize(
    request,
    { min: defaults.minSize ?? 64, max: defaults.maxSize ?? 2048, multipleOf: 8 },
    'AUTOMATIC1111',
  );
  if (size.warning !== undefined) warnings.push(size.warning);

  const body: Record<string, unknown> = {
    prompt: request.prompt,
    negative_prompt: request.negativePrompt ?? defaults.negativePrompt ?? '',
    seed: request.seed ?? -1,
    width: size.width,
    height: size.height,
    batch_size: 1,
    n_iter: 1,
    ...(defaults.steps === undefined ? {} : { steps: defaults.steps }),
    ...(defaults.cfgScale === undefined ? {} : { cfg_scale: defaults.cfgScale }),
    ...(defaults.sampler === undefined ? {} : { sampler_name: defaults.sampler }),
    ...(defaults.scheduler === undefined ? {} : { scheduler: defaults.scheduler }),
    send_images: true,
    save_images: false,
    override_settings_restore_afterwards: defaults.restoreSettings ?? true,
  };

  const generated: Record<string, unknown> = {};
  if (checkpoint !== undefined) {
    generated.override_settings = { sd_model_checkpoint: checkpoint };
  }
  if (request.transparent === true) {
    if (defaults.layerDiffuse === undefined) {
      warnings.push(
        'AUTOMATIC1111 has no native transparency without a LayerDiffuse script; `transparent` was not sent.',
      );
    } else {
      generated.alwayson_scripts = {
        [defaults.layerDiffuse.script ?? 'LayerDiffuse']: { args: [...defaults.layerDiffuse.args] },
      };
    }
  }

  let endpoint: A1111Endpoint = 'txt2img';
  if (request.image === undefined) {
    if (request.mask !== undefined)
      warnings.push('A mask needs an input image; `mask` was not sent.');
    if (request.strength !== undefined)
      warnings.push('`strength` applies to an input image only; it was not sent.');
  } else {
    endpoint = 'img2img';
    body.init_images = [encodeBase64(request.image.bytes)];
    body.denoising_strength = request.strength ?? defaults.strength ?? 0.75;
    if (defaults.resizeMode !== undefined) {
      body.resize_mode = resizeModeValues[defaults.resizeMode];
    }
    if (request.mask !== undefined) {
      body.mask = encodeBase64(convertMask(request.mask, 'white-repaints').bytes);
      body.mask_blur = defaults.maskBlur ?? 4;
      body.inpainting_fill = inpaintingFillValues[defaults.inpaintingFill ?? 'original'];
      body.inpaint_full_res = defaults.inpaintOnlyMasked ?? false;
      body.inpainting_mask_invert = defaults.invertMask === true ? 1 : 0;
    }
  }

  const options = mergeOptions(generated, defaults.options, request.options);
  const taskId = typeof options.force_task_id === 'string' ? options.force_task_id : input.taskId;
  return {
    endpoint,
    body: { ...body, ...options, force_task_id: taskId },
    taskId,
    warnings,
  };
}
