import { findPackReferences, type PackReference } from '../notation/pack-reference.js';
import { didYouMean, suggestClosest } from '../notation/suggest-closest.js';
import type { WorldPack, WorldPackImage } from '../packs/world-pack.js';
import { WorldPackError } from '../packs/world-pack-error.js';
import type { WorldPackBindings } from '../packs/world-pack-schema.js';
import type { Composition } from '../types/composition.js';
import type { Layer, Placement } from '../types/layer.js';
import type { StyleStep } from '../types/style-step.js';
import type { ResolvedWorldPack, WorldPackUsage } from '../types/world-pack-usage.js';

/** The entity or style a step is about: its first entity reference (or style reference). */
export interface StepSubject {
  readonly pack: WorldPack;
  readonly kind: 'entity' | 'style';
  readonly id: string;
  readonly name: string | undefined;
  readonly bindings: WorldPackBindings | undefined;
  /** The entity's reference images (none for a style). */
  readonly referenceImages: readonly WorldPackImage[];
}

/** What one step took from world packs. */
export interface StepPacks {
  /** Packs its prompt used, each once, in order of first reference. */
  readonly packs: readonly WorldPack[];
  /** Its subject, whose defaults and bindings apply. */
  readonly subject: StepSubject | undefined;
}

/** A composition with its pack references expanded. */
export interface ExpandedComposition {
  /** Prompts expanded, entity and style defaults applied, `packs` left out. */
  readonly composition: Composition;
  /** What each step (layer id or `style`) took from packs; steps without references are absent. */
  readonly steps: ReadonlyMap<string, StepPacks>;
  /** Every pack used, in `use` order. */
  readonly packs: readonly ResolvedWorldPack[];
  /** Every entity and style used, with the steps that named it. */
  readonly usage: readonly WorldPackUsage[];
}

const variablePattern = /\$\$|\$([A-Za-z][A-Za-z0-9_-]*)/g;

/** An entity's or style's prompt with the pack's `variables` expanded (`$$` is `$`). */
function packText(pack: WorldPack, text: string): string {
  const variables = pack.manifest.variables ?? {};
  return text.replace(variablePattern, (whole, name: string | undefined) =>
    name === undefined ? '$' : Object.hasOwn(variables, name) ? variables[name]! : whole,
  );
}

function unknownReference(
  reference: PackReference,
  pack: WorldPack,
  field: string,
  written: string,
): WorldPackError {
  const entities = Object.keys(pack.manifest.entities);
  const styles = Object.keys(pack.manifest.styles ?? {});
  const own = reference.kind === 'entity' ? entities : styles;
  const other = reference.kind === 'entity' ? styles : entities;
  let hint = didYouMean(reference.id, own);
  let suggestion = suggestClosest(reference.id, own);
  if (hint === '' && other.includes(reference.id)) {
    suggestion = reference.id;
    hint =
      reference.kind === 'entity'
        ? ` (\`${reference.id}\` is a style: write \`$${reference.alias}.styles.${reference.id}\`)`
        : ` (\`${reference.id}\` is an entity: write \`$${reference.alias}.${reference.id}\`)`;
  }
  const list = own.length === 0 ? 'none' : own.map((id) => `\`${id}\``).join(', ');
  return new WorldPackError(
    'pack_unknown_reference',
    `\`${field}\`: \`${written}\` names no ${reference.kind} of ${pack.name}@${pack.version}${hint} (its ${reference.kind === 'entity' ? 'entities' : 'styles'}: ${list})`,
    { pack: pack.name, ...(suggestion === undefined ? {} : { suggestion }) },
  );
}

/** A pack placement (fractions of the canvas) in pixels. */
function pixels(placement: Readonly<Record<string, unknown>>, composition: Composition): Placement {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(placement)) {
    if (typeof value !== 'number') result[key] = value;
    else
      result[key] =
        value * (key === 'x' || key === 'width' ? composition.width : composition.height);
  }
  return result as Placement;
}

/**
 * Expands the pack references of a composition's prompts (`$w.knight` → the knight's prompt,
 * with the pack's variables) and applies the subject entity's defaults to its layer, field by
 * field, under the layer's own values: placement (pack fractions turned into pixels), blend,
 * opacity, matte, size; the negative prompt when the layer has none. A style line takes its
 * first style's strength and negative prompt when it sets none.
 *
 * @param composition - a validated composition.
 * @param packs - its packs by alias (from `resolveCompositionPacks`).
 * @returns the expanded composition, what each step used, and the usage list.
 * @throws WorldPackError `pack_alias` for a `use` not resolved, `pack_unknown_reference` for
 *   an id the pack does not have (closest id suggested).
 */
export function expandWorldPacks(
  composition: Composition,
  packs: ReadonlyMap<string, WorldPack>,
): ExpandedComposition {
  const uses = composition.packs ?? [];
  for (const use of uses) {
    if (!packs.has(use.alias)) {
      throw new WorldPackError(
        'pack_alias',
        `Expected the pack \`${use.alias}\` (${use.source}) to be resolved before planning; resolve it with resolveCompositionPacks`,
        { pack: use.source },
      );
    }
  }
  const isAlias = (name: string) => uses.some((use) => use.alias === name);
  const steps = new Map<string, StepPacks>();
  const usage = new Map<
    string,
    { pack: WorldPack; kind: 'entity' | 'style'; id: string; steps: string[] }
  >();

  const expand = (stepId: string, prompt: string, field: string) => {
    const references = findPackReferences(prompt, isAlias);
    if (references.length === 0)
      return { prompt, references, used: [] as WorldPack[], negatives: [] as string[] };
    let text = '';
    let from = 0;
    const used: WorldPack[] = [];
    const negatives: string[] = [];
    for (const reference of references) {
      const pack = packs.get(reference.alias)!;
      const written = prompt.slice(reference.start, reference.end);
      const item =
        reference.kind === 'entity'
          ? Object.hasOwn(pack.manifest.entities, reference.id)
            ? pack.manifest.entities[reference.id]
            : undefined
          : Object.hasOwn(pack.manifest.styles ?? {}, reference.id)
            ? pack.manifest.styles![reference.id]
            : undefined;
      if (item === undefined) throw unknownReference(reference, pack, field, written);
      text += prompt.slice(from, reference.start) + packText(pack, item.prompt);
      from = reference.end;
      if (!used.includes(pack)) used.push(pack);
      if (item.negativePrompt !== undefined) {
        const negative = packText(pack, item.negativePrompt);
        if (!negatives.includes(negative)) negatives.push(negative);
      }
      const key = `${pack.name}\u0000${reference.kind}\u0000${reference.id}`;
      const entry = usage.get(key) ?? { pack, kind: reference.kind, id: reference.id, steps: [] };
      if (!entry.steps.includes(stepId)) entry.steps.push(stepId);
      usage.set(key, entry);
    }
    return { prompt: text + prompt.slice(from), references, used, negatives };
  };

  const subjectOf = (references: readonly PackReference[], prefer: 'entity' | 'style') => {
    const chosen = references.find((reference) => reference.kind === prefer) ?? references[0];
    if (chosen === undefined) return undefined;
    const pack = packs.get(chosen.alias)!;
    if (chosen.kind === 'entity') {
      const entity = pack.manifest.entities[chosen.id]!;
      return {
        subject: {
          pack,
          kind: 'entity' as const,
          id: chosen.id,
          name: entity.name,
          bindings: entity.bindings,
          referenceImages: (entity.referenceImages ?? []).map(
            (image) => pack.images.get(image.path)!,
          ),
        },
        entity,
      };
    }
    const style = pack.manifest.styles![chosen.id]!;
    return {
      subject: {
        pack,
        kind: 'style' as const,
        id: chosen.id,
        name: style.name,
        bindings: style.bindings,
        referenceImages: [],
      },
      style,
    };
  };

  const layers = composition.layers.map((layer, index): Layer => {
    const expanded = expand(layer.id, layer.prompt, `layers[${index}].prompt`);
    if (expanded.references.length === 0) return layer;
    const chosen = subjectOf(expanded.references, 'entity');
    steps.set(layer.id, { packs: expanded.used, subject: chosen?.subject });
    const defaults = chosen?.entity?.defaults;
    const result: Record<string, unknown> = { ...layer, prompt: expanded.prompt };
    if (defaults?.placement !== undefined) {
      result.placement = { ...pixels(defaults.placement, composition), ...layer.placement };
    }
    if (layer.blend === undefined && defaults?.blend !== undefined) result.blend = defaults.blend;
    if (layer.opacity === undefined && defaults?.opacity !== undefined)
      result.opacity = defaults.opacity;
    if (layer.matte === undefined && defaults?.matte !== undefined) result.matte = defaults.matte;
    if (layer.size === undefined && defaults?.size !== undefined) result.size = defaults.size;
    if (layer.negativePrompt === undefined && expanded.negatives.length > 0) {
      result.negativePrompt = expanded.negatives.join(', ');
    }
    return result as unknown as Layer;
  });

  let style: StyleStep | undefined = composition.style;
  if (style !== undefined) {
    const expanded = expand('style', style.prompt, 'style.prompt');
    if (expanded.references.length > 0) {
      const chosen = subjectOf(expanded.references, 'style');
      steps.set('style', { packs: expanded.used, subject: chosen?.subject });
      const strength = chosen?.style?.strength;
      style = {
        ...style,
        prompt: expanded.prompt,
        ...(style.strength === undefined && strength !== undefined ? { strength } : {}),
        ...(style.negativePrompt === undefined && expanded.negatives.length > 0
          ? { negativePrompt: expanded.negatives.join(', ') }
          : {}),
      };
    }
  }
  const { packs: _uses, ...rest } = composition;
  const expandedComposition: Composition = {
    ...rest,
    layers,
    ...(style === undefined ? {} : { style }),
  };
  return {
    composition: expandedComposition,
    steps,
    packs: uses.map((use) => {
      const pack = packs.get(use.alias)!;
      return {
        alias: use.alias,
        source: use.source,
        name: pack.name,
        version: pack.version,
        contentHash: pack.contentHash,
        license: pack.manifest.license,
        attribution: pack.manifest.attribution,
        authors: pack.manifest.authors.map((author) => author.name),
      };
    }),
    usage: [...usage.values()].map((entry) => ({
      pack: entry.pack.name,
      version: entry.pack.version,
      kind: entry.kind,
      id: entry.id,
      steps: entry.steps,
    })),
  };
}
