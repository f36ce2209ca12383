import {
  type Compositor,
  type Layer,
  type RenderPlan,
  type RenderResult,
  type SizedImage,
  systemClock,
} from '@layerloom/core';
import { compositedLayers, compositeLayers } from '@layerloom/core/pipeline';

/** Whether a composited layer of the plan has colour harmony, a shadow or a light wrap. */
export function hasHarmony(plan: RenderPlan): boolean {
  return compositedLayers(plan).some(
    ({ layer }) =>
      layer.harmonize !== undefined || layer.shadow !== undefined || layer.lightWrap !== undefined,
  );
}

/**
 * The "before" of a harmony before/after: the composite of a render's painted layers with their
 * colour harmony, shadows and light wraps left out — the same images, placements, blends and
 * mattes, through core's compositing stage, with no provider call and no style pass.
 *
 * @param plan - the render's plan.
 * @param result - the render's result (its painted layers).
 * @param compositor - the compositor the render used.
 * @param signal - aborts the composite.
 * @returns the composite, or `undefined` when no layer has harmony.
 */
export async function compositeWithoutHarmony(
  plan: RenderPlan,
  result: RenderResult,
  compositor: Compositor,
  signal: AbortSignal | undefined,
): Promise<SizedImage | undefined> {
  if (!hasHarmony(plan)) return undefined;
  const records = new Map(result.layers.map((record) => [record.id, record]));
  const layers = compositedLayers(plan).map(({ stepId, layer }) => {
    const { harmonize: _harmonize, shadow: _shadow, lightWrap: _lightWrap, ...plain } = layer;
    const record = records.get(stepId);
    return {
      layer: plain as Layer,
      ...(record === undefined ? {} : { painted: { image: record.image, matte: record.matte } }),
    };
  });
  const { image } = await compositeLayers(
    { compositor, clock: systemClock },
    { composition: plan.composition, layers, skipped: result.skipped },
    signal,
  );
  return image;
}
