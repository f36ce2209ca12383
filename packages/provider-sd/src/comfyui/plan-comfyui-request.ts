import { randomInt } from 'node:crypto';
import { type ImageRequest, parseWithSchema, ValidationError } from '@layerloom/core';
import { z } from 'zod';
import { type SnappedSize, snapServerSize } from '../shared/snap-server-size.js';
import {
  type ComfyUIInputOverrides,
  comfyUIInputOverridesSchema,
} from './comfyui-image-defaults.js';
import type { ComfyUIRoute, ComfyUIRoutes } from './read-comfyui-routes.js';

const optionsSchema = z.looseObject({ inputs: comfyUIInputOverridesSchema.optional() });

/** What the provider's settings give {@link planComfyUIRequest}. */
export interface ComfyUIRequestContext {
  /** The adapter's workflows. */
  readonly routes: ComfyUIRoutes;
  /** Smallest side the workflows accept. */
  readonly minSize: number;
  /** Largest side the workflows accept. */
  readonly maxSize: number;
}

/** How one request is sent: see {@link planComfyUIRequest}. */
export interface ComfyUIRequestPlan {
  /** The workflow it goes to. */
  readonly route: ComfyUIRoute;
  /** Whether the input image is uploaded and placed (the route takes one). */
  readonly usesImage: boolean;
  /** The size placed in the workflow (snapped to the range when the workflow takes a size). */
  readonly size: SnappedSize;
  /** The seed placed: the request's, or a random one when the workflow takes a seed. */
  readonly seed: number | undefined;
  /** Raw input values by node id from the request's `options.inputs`. */
  readonly inputs: ComfyUIInputOverrides | undefined;
  /** Notes for the result: what the workflow cannot take, options that were ignored. */
  readonly warnings: readonly string[];
}

/**
 * Decides how a request is sent before anything is: the route (image-to-image when there is an
 * input image and a workflow for it), the request's `options` (only `inputs` is read), the size
 * (snapped to the range when the workflow takes one) and the seed.
 *
 * @param request - the request.
 * @param context - the adapter's routes and size range.
 * @throws ValidationError for malformed `options`, or a request without an input image for an
 *   image-to-image-only adapter.
 */
export function planComfyUIRequest(
  request: ImageRequest,
  context: ComfyUIRequestContext,
): ComfyUIRequestPlan {
  const { routes } = context;
  const warnings: string[] = [];
  let route = request.image === undefined ? routes.text : routes.image;
  if (route === undefined && request.image !== undefined) {
    route = routes.text;
    warnings.push('This ComfyUI workflow takes no input image; `image` was not sent.');
  }
  if (route === undefined) {
    throw ValidationError.field(
      ['image'],
      'Expected an input image: this ComfyUI workflow is image-to-image only, got nothing',
      'ComfyUI request',
    );
  }
  const options = parseWithSchema(optionsSchema, request.options ?? {}, 'ComfyUI request options');
  const ignored = Object.keys(options).filter((key) => key !== 'inputs');
  if (ignored.length > 0) {
    warnings.push(
      `ComfyUI options take only \`inputs\`; ${ignored.map((key) => `\`${key}\``).join(', ')} ${ignored.length === 1 ? 'was' : 'were'} ignored.`,
    );
  }
  const targets = route.mapping.targets;
  const size: SnappedSize =
    targets.width !== undefined || targets.height !== undefined
      ? snapServerSize(
          request,
          { min: context.minSize, max: context.maxSize, multipleOf: 8 },
          'ComfyUI',
        )
      : { width: request.width, height: request.height };
  if (size.warning !== undefined) warnings.push(size.warning);
  const seed = request.seed ?? (targets.seed === undefined ? undefined : randomInt(0, 2 ** 32));
  const usesImage = route === routes.image && request.image !== undefined;
  return { route, usesImage, size, seed, inputs: options.inputs, warnings };
}
