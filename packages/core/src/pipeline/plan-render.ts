import { computeCacheKey } from '../cache/cache-key.js';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import { defaultChromaKey } from '../notation/index.js';
import type { WorldPack } from '../packs/world-pack.js';
import { maxImageSide } from '../schema/composition-schema.js';
import type { Composition } from '../types/composition.js';
import type { ImageSize } from '../types/encoded-image.js';
import type { Layer, Matte, Placement } from '../types/layer.js';
import type { PlannedImageRequest, Provider } from '../types/provider.js';
import type { PlannedCandidate, PlannedStep, RenderPlan } from '../types/render-plan.js';
import type { StyleStep } from '../types/style-step.js';
import { closestName } from '../util/closest-name.js';
import { formatSize, snapSize } from '../util/snap-size.js';
import { chromaKeyPromptSuffix } from './chroma-key-prompt.js';
import { expandAutoMattes, paintedSuffix } from './expand-auto-mattes.js';
import { expandWorldPacks, type StepPacks } from './expand-world-packs.js';
import { packRequestFields } from './pack-request-fields.js';

/** What the planner needs besides the composition. */
export interface PlanContext {
  /** The configured providers, by alias. */
  readonly providers: Readonly<Record<string, Provider>>;
  /**
   * The composition's world packs by alias (from `resolveCompositionPacks`); required when
   * `composition.packs` is set.
   */
  readonly packs?: ReadonlyMap<string, WorldPack>;
}

/** Id of the pseudo-step the style pass depends on. */
export const compositeStepId = 'composite';

const aliasesOf = (provider: string | readonly string[]): readonly string[] =>
  typeof provider === 'string' ? [provider] : provider;

const describeProvider = (alias: string, provider: Provider) =>
  `"${alias}" (${provider.id}/${provider.modelId})`;

function estimate(provider: Provider, request: PlannedImageRequest): number | undefined {
  if (provider.estimateCostUsd === undefined) return undefined;
  try {
    const value = provider.estimateCostUsd(request);
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  } catch {
    // A price table that throws is a missing price, not a failed plan.
    return undefined;
  }
}

function unknownAliasIssue(
  path: (string | number)[],
  alias: string,
  configured: readonly string[],
): ValidationIssue {
  const nearest = closestName(alias, configured);
  const list = configured.map((name) => `"${name}"`).join(', ');
  return {
    path,
    message:
      configured.length === 0
        ? `\`${formatField(path)}\`: unknown provider alias "${alias}"; no provider is configured`
        : `\`${formatField(path)}\`: unknown provider alias "${alias}"; the nearest configured alias is "${nearest}" (configured: ${list})`,
  };
}

function formatField(path: readonly (string | number)[]): string {
  let text = '';
  for (const key of path)
    text += typeof key === 'number' ? `[${key}]` : text === '' ? key : `.${key}`;
  return text;
}

/** The box a layer is placed in, rounded to whole pixels. */
function boxSize(placement: Placement | undefined, composition: Composition): ImageSize {
  const side = (value: number) => Math.min(maxImageSide, Math.max(1, Math.round(value)));
  return {
    width: side(placement?.width ?? composition.width),
    height: side(placement?.height ?? composition.height),
  };
}

interface LayerFacts {
  readonly layer: Layer;
  readonly index: number;
  readonly placement: Placement | undefined;
  readonly target: ImageSize;
  readonly cutOut: boolean;
  readonly composited: boolean;
}

/** Placement, target size and cut-out status of every layer, following `from` chains. */
function layerFacts(composition: Composition): Map<string, LayerFacts> {
  const layers = composition.layers;
  const byId = new Map(layers.map((layer, index) => [layer.id, { layer, index }]));
  const intermediates = new Set(
    layers.flatMap((layer) => (layer.from === undefined ? [] : [layer.from])),
  );
  let bottom = layers.length - 1;
  while (bottom > 0 && intermediates.has(layers[bottom]!.id)) bottom--;
  const bottomChain = new Set<string>();
  for (let layer: Layer | undefined = layers[bottom]; layer !== undefined; ) {
    bottomChain.add(layer.id);
    layer = layer.from === undefined ? undefined : byId.get(layer.from)?.layer;
  }
  const facts = new Map<string, LayerFacts>();
  const visit = (layer: Layer, index: number): LayerFacts => {
    const known = facts.get(layer.id);
    if (known !== undefined) return known;
    const input = layer.from === undefined ? undefined : byId.get(layer.from);
    const inputFacts = input === undefined ? undefined : visit(input.layer, input.index);
    const placement = layer.placement ?? inputFacts?.placement;
    const fact: LayerFacts = {
      layer,
      index,
      placement,
      target: layer.size ?? inputFacts?.target ?? boxSize(placement, composition),
      cutOut: layer.matte === undefined ? !bottomChain.has(layer.id) : layer.matte !== 'none',
      composited: !intermediates.has(layer.id),
    };
    facts.set(layer.id, fact);
    return fact;
  };
  layers.forEach((layer, index) => {
    visit(layer, index);
  });
  return facts;
}

/** The request and matte of one layer for one provider. */
function layerCandidate(
  fact: LayerFacts,
  alias: string,
  provider: Provider,
  composition: Composition,
  packs: StepPacks | undefined,
): PlannedCandidate {
  const { layer } = fact;
  const capabilities = provider.capabilities;
  const who = describeProvider(alias, provider);
  const warnings: string[] = [];
  const size = snapSize(fact.target, capabilities.sizes);
  if (size.width !== fact.target.width || size.height !== fact.target.height) {
    warnings.push(
      `size ${formatSize(fact.target)} snapped to ${formatSize(size)}, the nearest size ${who} supports`,
    );
  }
  let matte: Matte;
  let prompt = layer.prompt;
  let transparent = false;
  const explicit = layer.matte;
  if (!fact.cutOut) {
    matte = explicit ?? 'none';
  } else if (typeof explicit === 'object') {
    matte = explicit;
    prompt += chromaKeyPromptSuffix(explicit.chromaKey);
  } else if (capabilities.transparency) {
    matte = 'alpha';
    transparent = true;
  } else {
    const refined = explicit === 'auto';
    matte = refined
      ? { chromaKey: defaultChromaKey, refineEdges: true }
      : { chromaKey: defaultChromaKey };
    prompt += chromaKeyPromptSuffix(defaultChromaKey);
    warnings.push(
      `${who} cannot paint transparency; the layer is painted on ${defaultChromaKey} and keyed out${refined ? ' with refined edges' : ''}`,
    );
  }
  const packFields = packRequestFields(packs, provider, who, warnings);
  const seed = layer.seed ?? composition.seed ?? packFields.binding?.seed;
  if (seed !== undefined && !capabilities.seed) {
    warnings.push(
      `${who} takes no seed; seed ${seed} is not sent, so the image cannot be replayed`,
    );
  }
  const request: PlannedImageRequest = {
    prompt,
    width: size.width,
    height: size.height,
    ...(layer.negativePrompt === undefined ? {} : { negativePrompt: layer.negativePrompt }),
    ...(seed === undefined || !capabilities.seed ? {} : { seed }),
    ...(transparent ? { transparent: true } : {}),
    ...(layer.strength === undefined || layer.from === undefined
      ? {}
      : { strength: layer.strength }),
    ...(layer.options === undefined ? {} : { options: layer.options }),
    ...packFields,
  };
  return finishCandidate(alias, provider, request, matte, warnings, layer.from === undefined);
}

function finishCandidate(
  alias: string,
  provider: Provider,
  request: PlannedImageRequest,
  matte: Matte,
  warnings: string[],
  keyKnown: boolean,
): PlannedCandidate {
  const cacheKey = keyKnown
    ? computeCacheKey({
        providerId: provider.id,
        modelId: provider.modelId,
        ...(provider.fingerprint === undefined ? {} : { fingerprint: provider.fingerprint }),
        request,
      })
    : undefined;
  const estimatedCostUsd = estimate(provider, request);
  return {
    alias,
    providerId: provider.id,
    modelId: provider.modelId,
    request,
    matte,
    ...(cacheKey === undefined ? {} : { cacheKey }),
    ...(estimatedCostUsd === undefined ? {} : { estimatedCostUsd }),
    warnings,
  };
}

function styleCandidate(
  style: StyleStep,
  alias: string,
  provider: Provider,
  composition: Composition,
  packs: StepPacks | undefined,
): PlannedCandidate {
  const who = describeProvider(alias, provider);
  const warnings: string[] = [];
  const canvas = { width: composition.width, height: composition.height };
  const size = snapSize(canvas, provider.capabilities.sizes);
  if (size.width !== canvas.width || size.height !== canvas.height) {
    warnings.push(
      `size ${formatSize(canvas)} snapped to ${formatSize(size)}, the nearest size ${who} supports`,
    );
  }
  const packFields = packRequestFields(packs, provider, who, warnings);
  const seed = style.seed ?? composition.seed ?? packFields.binding?.seed;
  if (seed !== undefined && !provider.capabilities.seed) {
    warnings.push(
      `${who} takes no seed; seed ${seed} is not sent, so the image cannot be replayed`,
    );
  }
  const request: PlannedImageRequest = {
    prompt: style.prompt,
    width: size.width,
    height: size.height,
    ...(style.negativePrompt === undefined ? {} : { negativePrompt: style.negativePrompt }),
    ...(seed === undefined || !provider.capabilities.seed ? {} : { seed }),
    ...(style.strength === undefined ? {} : { strength: style.strength }),
    ...(style.options === undefined ? {} : { options: style.options }),
    ...packFields,
  };
  return finishCandidate(alias, provider, request, 'none', warnings, false);
}

/**
 * Candidates of one step: each alias resolved, those that cannot take a needed input image
 * dropped with a warning. Unknown aliases and steps left without a candidate become issues.
 */
function candidatesOf(
  aliases: readonly string[],
  path: (string | number)[],
  context: PlanContext,
  needsImageInput: string | undefined,
  build: (alias: string, provider: Provider) => PlannedCandidate,
  issues: ValidationIssue[],
  stepWarnings: string[],
): PlannedCandidate[] {
  const configured = Object.keys(context.providers);
  const candidates: PlannedCandidate[] = [];
  const refused: string[] = [];
  aliases.forEach((alias, position) => {
    const provider = Object.hasOwn(context.providers, alias) ? context.providers[alias] : undefined;
    if (provider === undefined) {
      issues.push(
        unknownAliasIssue(aliases.length === 1 ? path : [...path, position], alias, configured),
      );
      return;
    }
    if (needsImageInput !== undefined && !provider.capabilities.imageInput) {
      refused.push(describeProvider(alias, provider));
      return;
    }
    candidates.push(build(alias, provider));
  });
  if (refused.length > 0 && needsImageInput !== undefined) {
    if (candidates.length === 0 && refused.length === aliases.length) {
      issues.push({
        path,
        message: `\`${formatField(path)}\`: ${refused.join(', ')} cannot take an input image, which ${needsImageInput} needs`,
      });
    } else if (candidates.length > 0) {
      stepWarnings.push(
        `${refused.join(', ')} cannot take an input image, which ${needsImageInput} needs; not tried`,
      );
    }
  }
  return candidates;
}

function makeStep(
  base: Pick<PlannedStep, 'id' | 'kind' | 'providers' | 'composited'> &
    Partial<Pick<PlannedStep, 'dependsOn' | 'placement' | 'layerIndex'>>,
  candidates: readonly PlannedCandidate[],
  stepWarnings: readonly string[],
): PlannedStep {
  const first = candidates[0]!;
  return {
    ...base,
    providerId: first.providerId,
    modelId: first.modelId,
    request: first.request,
    matte: first.matte,
    candidates,
    ...(first.cacheKey === undefined ? {} : { cacheKey: first.cacheKey }),
    ...(first.estimatedCostUsd === undefined ? {} : { estimatedCostUsd: first.estimatedCostUsd }),
    warnings: [...stepWarnings, ...first.warnings],
  };
}

/**
 * Checks that every provider alias a composition names is one of `configured`, before any
 * provider is built: a runner that builds only the providers a composition uses (the CLI) still
 * reports an unknown alias against every configured one, as {@link planRender} does.
 *
 * @param composition - a validated composition.
 * @param configured - every configured alias.
 * @throws ValidationError with one issue per unknown alias, naming the nearest configured alias
 *   and listing them all (the same issues {@link planRender} reports).
 */
export function checkProviderAliases(
  composition: Composition,
  configured: readonly string[],
): void {
  const known = new Set(configured);
  const issues: ValidationIssue[] = [];
  const check = (provider: string | readonly string[], path: (string | number)[]) => {
    const aliases = aliasesOf(provider);
    aliases.forEach((alias, position) => {
      if (known.has(alias)) return;
      issues.push(
        unknownAliasIssue(aliases.length === 1 ? path : [...path, position], alias, configured),
      );
    });
  };
  composition.layers.forEach((layer, index) => {
    check(layer.provider, ['layers', index, 'provider']);
  });
  if (composition.style !== undefined) check(composition.style.provider, ['style', 'provider']);
  if (issues.length > 0) throw new ValidationError(issues, { subject: 'composition' });
}

/**
 * Plans a validated composition without calling any provider: resolves each alias (an unknown
 * one is a ValidationError naming the nearest configured alias), adapts each request to its
 * provider's capabilities (size snapped, transparency native or emulated by a chroma key, seed
 * sent only where honoured), orders `from` chains, computes cache keys and the cost estimate.
 *
 * Semantics: every layer except the bottom one (and the chain feeding it) is a cut-out unless
 * its `matte` is `none`; a layer with `from` inherits its input's placement and size and is
 * painted over its image; the input is then not composited; a step without a seed uses the
 * composition's seed. A `matte: 'auto'` layer whose provider cannot paint transparency is cut
 * out by a configured background remover (as a chain `ID-painted` → `ID`; the plan's composition
 * then holds the extra `ID-painted` layer), else keyed out with refined edges.
 *
 * With world packs (`composition.packs`, resolved in `context.packs`), each prompt's pack
 * references are expanded, the subject entity's defaults apply under the layer's own values,
 * its binding for the provider's id and its reference images go into the request (and so into
 * the cache key, with the packs' versions and content hashes), and the plan lists the packs
 * and every entity and style used.
 *
 * `matte: 'auto'` layers are then expanded for a configured background remover (see
 * `expandAutoMattes`); the step that paints such a layer gets the layer's pack data, the
 * remover's cut-out none.
 *
 * @param source - a validated composition.
 * @param context - the configured providers, and the resolved packs.
 * @returns the plan, steps in execution order (bottom layer first, inputs before their users,
 *   style last).
 * @throws ValidationError listing every unknown alias and every step no provider can paint.
 * @throws WorldPackError for a pack not resolved or a reference to an id the pack lacks.
 */
export function planRender(source: Composition, context: PlanContext): RenderPlan {
  const expansion =
    source.packs === undefined || source.packs.length === 0
      ? undefined
      : expandWorldPacks(source, context.packs ?? new Map());
  const expanded = expansion?.composition ?? source;
  const composition = expandAutoMattes(expanded, context.providers);
  // Auto-matted layers: `ID-painted` (new) paints what the pack describes; `ID` is the cut-out.
  const expandedIds = new Set(expanded.layers.map((layer) => layer.id));
  const paintedFor = new Map(
    composition.layers
      .filter((layer) => !expandedIds.has(layer.id))
      .map((layer) => [layer.id, layer.id.slice(0, -paintedSuffix.length)] as const),
  );
  const cutOut = new Set(paintedFor.values());
  /** The pack data of a layer's step: an auto-matted layer's goes to its painter. */
  const stepPacksOf = (id: string): StepPacks | undefined =>
    cutOut.has(id) ? undefined : expansion?.steps.get(paintedFor.get(id) ?? id);
  const facts = layerFacts(composition);
  const issues: ValidationIssue[] = [];
  const stepsById = new Map<string, PlannedStep>();
  composition.layers.forEach((layer, index) => {
    const fact = facts.get(layer.id)!;
    const stepWarnings: string[] = [];
    if (layer.strength !== undefined && layer.from === undefined) {
      stepWarnings.push('`strength` applies only to a layer with `from`; it is not sent');
    }
    const aliases = aliasesOf(layer.provider);
    const candidates = candidatesOf(
      aliases,
      ['layers', index, 'provider'],
      context,
      layer.from === undefined ? undefined : `\`from: "${layer.from}"\``,
      (alias, provider) =>
        layerCandidate(fact, alias, provider, composition, stepPacksOf(layer.id)),
      issues,
      stepWarnings,
    );
    if (candidates.length === 0) return;
    stepsById.set(
      layer.id,
      makeStep(
        {
          id: layer.id,
          kind: 'layer',
          providers: candidates.map((candidate) => candidate.alias),
          composited: fact.composited,
          layerIndex: index,
          ...(layer.from === undefined ? {} : { dependsOn: layer.from }),
          ...(fact.placement === undefined ? {} : { placement: fact.placement }),
        },
        candidates,
        stepWarnings,
      ),
    );
  });
  let styleStep: PlannedStep | undefined;
  const style = composition.style;
  if (style !== undefined) {
    const stepWarnings: string[] = [];
    const candidates = candidatesOf(
      aliasesOf(style.provider),
      ['style', 'provider'],
      context,
      'the style pass',
      (alias, provider) =>
        styleCandidate(style, alias, provider, composition, expansion?.steps.get('style')),
      issues,
      stepWarnings,
    );
    if (candidates.length > 0) {
      styleStep = makeStep(
        {
          id: 'style',
          kind: 'style',
          providers: candidates.map((candidate) => candidate.alias),
          composited: false,
          dependsOn: compositeStepId,
        },
        candidates,
        stepWarnings,
      );
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, { subject: 'composition' });

  // Bottom layer first; a chained layer right after its input.
  const ordered: PlannedStep[] = [];
  const placed = new Set<string>();
  const place = (layer: Layer) => {
    if (placed.has(layer.id)) return;
    placed.add(layer.id);
    if (layer.from !== undefined) place(facts.get(layer.from)!.layer);
    ordered.push(stepsById.get(layer.id)!);
  };
  for (let index = composition.layers.length - 1; index >= 0; index--)
    place(composition.layers[index]!);
  if (styleStep !== undefined) ordered.push(styleStep);

  let estimatedCostUsd = 0;
  let costComplete = true;
  for (const step of ordered) {
    if (step.estimatedCostUsd === undefined) costComplete = false;
    else estimatedCostUsd += step.estimatedCostUsd;
  }
  return {
    composition,
    ...(expansion === undefined
      ? {}
      : { source, packs: expansion.packs, packUsage: expansion.usage }),
    steps: ordered,
    estimatedCostUsd,
    costComplete,
    warnings: ordered.flatMap((step) => step.warnings.map((warning) => `${step.id}: ${warning}`)),
  };
}
