import { isLayerloomError, LayerloomError } from '../errors/layerloom-error.js';
import type { Clock } from '../scheduler/clock.js';
import { harmonyReferences } from '../schema/harmony-references.js';
import type { Composition } from '../types/composition.js';
import type { CompositeLayer, Compositor } from '../types/compositor.js';
import type { EncodedImage, SizedImage } from '../types/encoded-image.js';
import type { Layer, Matte } from '../types/layer.js';
import type { RenderPlan } from '../types/render-plan.js';
import type { SkippedStep } from '../types/render-result.js';

/** A layer that goes to the compositor, as planned. */
export interface CompositedLayer {
  /** The step whose image it is (the layer id). */
  readonly stepId: string;
  /** The layer, with the placement it inherits along `from` filled in. */
  readonly layer: Layer;
}

/**
 * The layers a plan composites, first on top: every painted layer but chain intermediates
 * (a layer that is another's `from` input), each with its inherited placement and its
 * harmony: its own `harmonize`, else the composition's (see {@link harmonyReferences}).
 *
 * @param plan - the render's plan.
 */
export function compositedLayers(plan: RenderPlan): CompositedLayer[] {
  const steps = new Map(plan.steps.map((step) => [step.id, step]));
  const layers: CompositedLayer[] = [];
  for (const layer of plan.composition.layers) {
    const step = steps.get(layer.id);
    if (step === undefined || step.kind !== 'layer' || !step.composited) continue;
    layers.push({
      stepId: layer.id,
      layer: step.placement === undefined ? layer : { ...layer, placement: step.placement },
    });
  }
  const stack = plan.composition.harmonize;
  if (stack === undefined) return layers;
  const { effective } = harmonyReferences(
    layers.map(({ layer }) => layer),
    { stack },
  );
  return layers.map((entry, index) => {
    const harmony = effective[index];
    return harmony === undefined || entry.layer.harmonize !== undefined
      ? entry
      : { ...entry, layer: { ...entry.layer, harmonize: harmony } };
  });
}

/**
 * The layer without a harmony whose reference layer is not in the composite (it was skipped
 * after failing): its colours are then left as painted rather than failing the render.
 */
function withoutMissingReference(layer: Layer, present: ReadonlySet<string>): Layer {
  const to = layer.harmonize?.to;
  if (typeof to !== 'string' || present.has(to)) return layer;
  const { harmonize: _dropped, ...rest } = layer;
  return rest;
}

/** A composited layer with its painted image, or without one when it was skipped. */
export interface CompositeEntry {
  /** The layer (see {@link compositedLayers}). */
  readonly layer: Layer;
  /** Its image and the matte of the candidate that painted it; absent when skipped. */
  readonly painted?: { readonly image: EncodedImage; readonly matte: Matte };
}

/** What {@link compositeLayers} blends. */
export interface CompositeStageInput {
  /** Canvas size, background and output encoding. */
  readonly composition: Pick<Composition, 'width' | 'height' | 'background' | 'output'>;
  /** The composited layers, first on top. */
  readonly layers: readonly CompositeEntry[];
  /** Steps skipped so far (the first one's error explains an empty composite). */
  readonly skipped: readonly SkippedStep[];
}

/** What the compositing stage needs from its runner. */
export interface CompositeContext {
  /** Blends the layers. */
  readonly compositor: Compositor;
  /** Time, for `ms`. */
  readonly clock: Clock;
}

/**
 * The compositing stage: hands the painted layers (each with its painting candidate's matte)
 * to the compositor and checks what comes back. Harmony (colour transfer, shadows, light wrap)
 * runs inside the compositor from the layers' fields, after the layers arrive and before the
 * blend: changing a harmony option changes no request, so it re-composites from the cache
 * without a provider call. A layer matched to a skipped layer keeps its painted colours.
 *
 * @param context - compositor and clock.
 * @param input - canvas, layers and skipped steps.
 * @param signal - aborts the compositor.
 * @returns the composite and how long it took.
 * @throws LayerloomError `no_layers_painted` when every layer was skipped; `compositor_error`
 *   when the compositor throws something that is not a Layerloom error or returns no image;
 *   the signal's reason (or the compositor's error) once aborted.
 */
export async function compositeLayers(
  context: CompositeContext,
  input: CompositeStageInput,
  signal: AbortSignal | undefined,
): Promise<{ readonly image: SizedImage; readonly ms: number }> {
  const layers: CompositeLayer[] = [];
  const present = new Set<string>();
  for (const entry of input.layers) if (entry.painted !== undefined) present.add(entry.layer.id);
  for (const entry of input.layers) {
    if (entry.painted === undefined) continue;
    layers.push({
      layer: { ...withoutMissingReference(entry.layer, present), matte: entry.painted.matte },
      image: entry.painted.image,
    });
  }
  if (layers.length === 0) {
    const first = input.skipped[0]?.error;
    throw new LayerloomError(
      'no_layers_painted',
      `Every layer was skipped after failing; nothing to composite${first === undefined ? '' : ` (first: ${first.message})`}`,
      { cause: first },
    );
  }
  const { composition } = input;
  const began = context.clock.now();
  let image: SizedImage;
  try {
    image = await context.compositor.composite(
      {
        width: composition.width,
        height: composition.height,
        ...(composition.background === undefined ? {} : { background: composition.background }),
        layers,
        ...(composition.output === undefined ? {} : { output: composition.output }),
      },
      signal === undefined ? {} : { signal },
    );
  } catch (error) {
    if (signal?.aborted || isLayerloomError(error)) throw error;
    throw new LayerloomError(
      'compositor_error',
      `The compositor threw ${error instanceof Error ? `an unexpected ${error.name}` : 'a non-error value'}; see \`cause\``,
      { cause: error },
    );
  }
  if (
    typeof image !== 'object' ||
    image === null ||
    !(image.bytes instanceof Uint8Array) ||
    typeof image.mediaType !== 'string'
  ) {
    throw new LayerloomError(
      'compositor_error',
      'The compositor returned no image: expected `{ bytes, mediaType, width, height }`',
    );
  }
  return { image, ms: context.clock.now() - began };
}
