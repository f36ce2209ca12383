import {
  type BlendMode,
  type EncodedImage,
  isLayerloomError,
  LayerNotationError,
  type RenderEvent,
  type RenderPlan,
  type StepRecord,
  ValidationError,
} from '@layerloom/core';
import type { WireError, WirePlan } from './studio-wire-types.js';

export type { WireError, WirePlan, WireStep } from './studio-wire-types.js';

/** Describes an error for the page, without anything but its code and message. */
export function wireError(error: unknown): WireError {
  if (error instanceof LayerNotationError) {
    return { code: error.code, message: error.message, line: error.line, column: error.column };
  }
  if (isLayerloomError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'aborted', message: 'The render was aborted' };
  }
  return { code: 'internal_error', message: error instanceof Error ? error.message : 'Failed' };
}

/** Whether an error is one the page caused (bad text or input), to answer 400 instead of 500. */
export function isInputError(error: unknown): boolean {
  return error instanceof LayerNotationError || error instanceof ValidationError;
}

/**
 * The plan without request bodies (input images, options) and with the cache state of each
 * step.
 *
 * @param plan - the loom's plan.
 * @param cached - step id → whether its image is in the cache.
 */
export function wirePlan(plan: RenderPlan, cached: ReadonlyMap<string, boolean>): WirePlan {
  return {
    steps: plan.steps.map((step) => ({
      id: step.id,
      kind: step.kind,
      providers: step.providers,
      providerId: step.providerId,
      modelId: step.modelId,
      width: step.request.width,
      height: step.request.height,
      ...(step.estimatedCostUsd === undefined ? {} : { estimatedCostUsd: step.estimatedCostUsd }),
      ...(step.dependsOn === undefined ? {} : { dependsOn: step.dependsOn }),
      composited: step.composited,
      ...(step.layerIndex === undefined ? {} : { layerIndex: step.layerIndex }),
      ...(cached.has(step.id) ? { cached: cached.get(step.id)! } : {}),
      ...layerLook(plan, step.id),
      ...(step.placement === undefined ? {} : { placement: step.placement }),
      warnings: step.warnings,
    })),
    estimatedCostUsd: plan.estimatedCostUsd,
    costComplete: plan.costComplete,
    warnings: plan.warnings,
    width: plan.composition.width,
    height: plan.composition.height,
  };
}

function layerLook(plan: RenderPlan, id: string): { opacity?: number; blend?: BlendMode } {
  const layer = plan.composition.layers.find((candidate) => candidate.id === id);
  if (layer === undefined) return {};
  return { opacity: layer.opacity ?? 1, blend: layer.blend ?? 'normal' };
}

function record({ image: _image, ...rest }: StepRecord): Omit<StepRecord, 'image'> {
  return rest;
}

/** Keeps the images an event carries and returns the URL the page loads each from. */
export type StoreImage = (name: string, image: EncodedImage) => string;

/**
 * A render event in the form sent to the page: JSON-safe, images replaced by URLs (stored with
 * `store`), errors by their code and message.
 *
 * @param event - the SDK's event.
 * @param store - keeps an image and returns its URL.
 */
export function wireEvent(event: RenderEvent, store: StoreImage): Record<string, unknown> {
  switch (event.type) {
    case 'plan':
      return { type: event.type, elapsedMs: event.elapsedMs };
    case 'layer:progress':
    case 'style:progress': {
      const id = event.type === 'style:progress' ? 'style' : event.layerId;
      const { preview, ...rest } = event;
      return {
        ...rest,
        ...(preview === undefined ? {} : { previewUrl: store(`preview-${id}`, preview) }),
      };
    }
    case 'layer:retry':
    case 'style:retry':
    case 'layer:error':
    case 'style:error':
      return { ...event, error: wireError(event.error) };
    case 'layer:done':
      return {
        type: event.type,
        elapsedMs: event.elapsedMs,
        layerId: event.layerId,
        record: record(event.record),
        imageUrl: store(`layer-${event.layerId}`, event.record.image),
      };
    case 'style:done':
      return {
        type: event.type,
        elapsedMs: event.elapsedMs,
        record: record(event.record),
        imageUrl: store('layer-style', event.record.image),
      };
    case 'composite:done':
      return {
        type: event.type,
        elapsedMs: event.elapsedMs,
        ms: event.ms,
        imageUrl: store('composite', event.image),
      };
    case 'done': {
      const { result } = event;
      return {
        type: event.type,
        elapsedMs: event.elapsedMs,
        imageUrl: store('result', result.image),
        width: result.image.width,
        height: result.image.height,
        costUsd: result.costUsd,
        timings: result.timings,
        skipped: result.skipped.map((step) => ({ ...step, error: wireError(step.error) })),
      };
    }
    default:
      return { ...event };
  }
}
