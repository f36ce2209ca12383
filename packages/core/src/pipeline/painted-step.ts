import type { Matte } from '../types/layer.js';
import type { PlannedStep } from '../types/render-plan.js';
import type { LayerRecord, StepRecord } from '../types/render-result.js';

/**
 * A step that was painted (by a provider call or from the cache): what every later stage reads
 * of it — compositing, the style pass, the result and its manifest. A runner that paints steps
 * elsewhere (a queue worker) stores these fields and hands them back to the later stages.
 */
export interface PaintedStep {
  /** The step's record, image included. */
  readonly record: StepRecord;
  /** The matte the compositor applies to the image (that of the candidate that painted it). */
  readonly matte: Matte;
  /** sha256 of the input image, for chained steps and the style pass. */
  readonly inputSha256?: string;
  /** The provider's own warnings (kept with the image in the cache). */
  readonly resultWarnings: readonly string[];
}

/**
 * The record of a painted layer, as `layer:done` events and `RenderResult.layers` give it.
 *
 * @param step - the layer's planned step.
 * @param painted - how it was painted.
 */
export function layerRecordOf(step: PlannedStep, painted: PaintedStep): LayerRecord {
  return { ...painted.record, composited: step.composited, matte: painted.matte };
}

/**
 * The warnings of a step that belong to the step itself rather than to its first candidate
 * (a plan step's `warnings` are these followed by the first candidate's).
 *
 * @param step - a planned step.
 */
export function stepWarningsOf(step: PlannedStep): readonly string[] {
  const first = step.candidates[0]!;
  return step.warnings.slice(0, step.warnings.length - first.warnings.length);
}
