import type { Layer, Matte } from '../types/layer.js';
import type { Provider } from '../types/provider.js';
import type { RenderPlan } from '../types/render-plan.js';
import type {
  ManifestComposition,
  ManifestLayer,
  ManifestStep,
  RenderManifest,
  SkippedStep,
  StepRecord,
} from '../types/render-result.js';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256 } from '../util/sha256.js';

/** A painted step as the manifest needs it. */
export interface ManifestStepInput {
  /** The step's record. */
  readonly record: StepRecord;
  /** `layer` or `style`. */
  readonly kind: 'layer' | 'style';
  /** sha256 of the input image, for chained steps and the style pass. */
  readonly inputSha256?: string;
  /** The matte that made a layer's alpha (layer steps). */
  readonly matte?: Matte;
}

/** What {@link buildManifest} reads. */
export interface ManifestInput {
  /** The render's plan. */
  readonly plan: RenderPlan;
  /** Painted steps, in execution order. */
  readonly steps: readonly ManifestStepInput[];
  /** Steps left out after failing. */
  readonly skipped: readonly SkippedStep[];
  /** The configured providers. */
  readonly providers: Readonly<Record<string, Provider>>;
  /** sha256 of the composite. */
  readonly compositeSha256: string;
  /** sha256 of the final image. */
  readonly outputSha256: string;
  /** ISO 8601 time the render finished. */
  readonly createdAt: string;
}

function manifestLayer(layer: Layer, seed: number | undefined): ManifestLayer {
  const { mask, ...rest } = layer;
  return {
    ...rest,
    ...(seed === undefined ? {} : { seed }),
    ...(mask === undefined
      ? {}
      : mask.type === 'image'
        ? {
            mask: {
              ...mask,
              image: {
                sha256: sha256(mask.image.bytes),
                mediaType: mask.image.mediaType,
                byteLength: mask.image.bytes.length,
              },
            },
          }
        : { mask }),
  };
}

/** The same data with object keys sorted (when it has a canonical JSON form). */
function sortedKeys<T>(value: T): T {
  const text = canonicalJson(value);
  return text === undefined ? value : (JSON.parse(text) as T);
}

/**
 * Builds the manifest of a render: the canonical composition with the seeds really used filled
 * in and image masks named by their hash, world packs locked to the version and content hash
 * used (so a replay refuses other pack data) and listed with every entity and style used, each alias resolved to provider and model ids, every
 * painted step with its cache key, input/output hashes and cost, and the render's cost. Never
 * image bytes, never secrets
 * (providers contribute only their ids and fingerprint).
 *
 * @param input - plan, painted steps, skipped steps, hashes and time.
 * @returns a JSON-safe {@link RenderManifest}.
 */
export function buildManifest(input: ManifestInput): RenderManifest {
  const { plan } = input;
  const seeds = new Map<string, number | undefined>();
  let styleSeed: number | undefined;
  for (const step of input.steps) {
    if (step.kind === 'style') styleSeed = step.record.seed;
    else seeds.set(step.record.id, step.record.seed);
  }
  const source = plan.source ?? plan.composition;
  const style = source.style;
  const locked = plan.packs;
  const composition: ManifestComposition = sortedKeys({
    ...source,
    ...(locked === undefined
      ? {}
      : {
          packs: locked.map((pack) => ({
            alias: pack.alias,
            source: pack.source,
            version: pack.version,
            contentHash: pack.contentHash,
          })),
        }),
    layers: source.layers.map((layer) => manifestLayer(layer, seeds.get(layer.id) ?? layer.seed)),
    ...(style === undefined
      ? {}
      : {
          style: {
            ...style,
            ...((styleSeed ?? style.seed) === undefined ? {} : { seed: styleSeed ?? style.seed }),
          },
        }),
  });
  const providers: Record<string, { id: string; modelId: string; fingerprint?: string }> = {};
  for (const step of input.steps) {
    const alias = step.record.provider;
    const provider = input.providers[alias];
    if (provider === undefined) continue;
    providers[alias] = {
      id: provider.id,
      modelId: provider.modelId,
      ...(provider.fingerprint === undefined ? {} : { fingerprint: provider.fingerprint }),
    };
  }
  const steps: ManifestStep[] = input.steps.map(({ record, kind, inputSha256, matte }) => ({
    id: record.id,
    kind,
    provider: record.provider,
    providerId: record.providerId,
    modelId: record.modelId,
    ...(record.seed === undefined ? {} : { seed: record.seed }),
    ...(record.cacheKey === undefined ? {} : { cacheKey: record.cacheKey }),
    cached: record.cached,
    ...(inputSha256 === undefined ? {} : { inputSha256 }),
    outputSha256: sha256(record.image.bytes),
    ...(record.costUsd === undefined ? {} : { costUsd: record.costUsd }),
    ...(matte === undefined ? {} : { matte }),
  }));
  return {
    version: 1,
    composition,
    providers,
    steps,
    skipped: input.skipped.map((step) => step.id),
    compositeSha256: input.compositeSha256,
    outputSha256: input.outputSha256,
    costUsd: input.steps.reduce((sum, { record }) => sum + (record.costUsd ?? 0), 0),
    createdAt: input.createdAt,
    ...(plan.packs === undefined ? {} : { packs: sortedKeys(plan.packs) }),
    ...(plan.packUsage === undefined ? {} : { packUsage: sortedKeys(plan.packUsage) }),
  };
}
