import type { SizedImage } from '../types/encoded-image.js';
import type { Provider } from '../types/provider.js';
import type { RenderPlan } from '../types/render-plan.js';
import type {
  LayerRecord,
  RenderResult,
  RenderTimings,
  SkippedStep,
} from '../types/render-result.js';
import { readImageSize } from '../util/read-image-size.js';
import { sha256 } from '../util/sha256.js';
import { buildManifest, type ManifestStepInput } from './build-manifest.js';
import { layerRecordOf, type PaintedStep } from './painted-step.js';

/** What {@link assembleResult} puts together. */
export interface ResultInput {
  /** The render's plan. */
  readonly plan: RenderPlan;
  /** The configured providers (ids and fingerprints for the manifest). */
  readonly providers: Readonly<Record<string, Provider>>;
  /** Painted layers by id, chain intermediates included. */
  readonly layers: ReadonlyMap<string, PaintedStep>;
  /** The painted style pass, when there was one and it was not skipped. */
  readonly style: PaintedStep | undefined;
  /** Steps left out after failing. */
  readonly skipped: readonly SkippedStep[];
  /** The composite. */
  readonly composite: SizedImage;
  /** sha256 of the composite, when the runner knows it already. */
  readonly compositeSha256?: string;
  /** Phase timings but the total. */
  readonly timings: Omit<RenderTimings, 'totalMs'>;
  /** When the render started (clock time, planning included). */
  readonly startedAt: number;
  /** When it finished. */
  readonly finishedAt: number;
}

/**
 * The last stage: the final picture (the style pass's, sized from its header, else the
 * composite), per-layer records in composition order, the manifest, timings and the total
 * cost of the calls whose cost is known.
 *
 * @param input - plan, painted steps, composite, times.
 * @returns the render's result.
 */
export function assembleResult(input: ResultInput): RenderResult {
  const { plan, style } = input;
  const steps = new Map(plan.steps.map((step) => [step.id, step]));
  let image = input.composite;
  const styleStep = steps.get('style');
  if (style !== undefined && styleStep?.kind === 'style') {
    const candidate =
      styleStep.candidates.find((item) => item.alias === style.record.provider) ??
      styleStep.candidates[0]!;
    const size = readImageSize(style.record.image.bytes) ?? {
      width: candidate.request.width,
      height: candidate.request.height,
    };
    image = { bytes: style.record.image.bytes, mediaType: style.record.image.mediaType, ...size };
  }
  const layers: LayerRecord[] = [];
  for (const layer of plan.composition.layers) {
    const painted = input.layers.get(layer.id);
    const step = steps.get(layer.id);
    if (painted !== undefined && step !== undefined) layers.push(layerRecordOf(step, painted));
  }
  const manifestSteps: ManifestStepInput[] = [];
  for (const step of plan.steps) {
    const painted = step.kind === 'style' ? style : input.layers.get(step.id);
    if (painted === undefined) continue;
    manifestSteps.push({
      record: painted.record,
      kind: step.kind,
      ...(painted.inputSha256 === undefined ? {} : { inputSha256: painted.inputSha256 }),
      ...(step.kind === 'layer' ? { matte: painted.matte } : {}),
    });
  }
  const compositeSha256 = input.compositeSha256 ?? sha256(input.composite.bytes);
  const costUsd = manifestSteps.reduce((sum, step) => sum + (step.record.costUsd ?? 0), 0);
  return {
    image,
    layers,
    ...(style === undefined ? {} : { style: style.record }),
    skipped: input.skipped,
    manifest: buildManifest({
      plan,
      steps: manifestSteps,
      skipped: input.skipped,
      providers: input.providers,
      compositeSha256,
      outputSha256: style === undefined ? compositeSha256 : sha256(image.bytes),
      createdAt: new Date(input.finishedAt).toISOString(),
    }),
    timings: { ...input.timings, totalMs: input.finishedAt - input.startedAt },
    costUsd,
    ...(plan.packs === undefined ? {} : { packs: plan.packs }),
    ...(plan.packUsage === undefined ? {} : { packUsage: plan.packUsage }),
  };
}
