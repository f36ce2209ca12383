import type { ValidationIssue } from '../errors/validation-error.js';
import type { Harmonize } from '../types/layer.js';
import { describeValue } from './format-issues.js';

/** What {@link harmonyReferences} reads of a layer. */
export interface HarmonyLayerInput {
  /** The layer id. */
  readonly id: string;
  /** Its own harmony, if any. */
  readonly harmonize?: Harmonize;
}

/** The harmony every layer really gets, and the order to run it in. */
export interface HarmonyReferences {
  /** By layer index: the layer's own `harmonize`, else the stack's, else `undefined`. */
  readonly effective: readonly (Harmonize | undefined)[];
  /**
   * Layer indices in the order their harmony must run: a reference layer before the layers
   * matched to it (so they match its harmonized colours). Layers without harmony are left out.
   */
  readonly order: readonly number[];
  /** Problems: an unknown or non-composited reference, a layer matched to itself, a cycle. */
  readonly issues: readonly ValidationIssue[];
}

/** What {@link harmonyReferences} needs besides the layers. */
export interface HarmonyReferencesOptions {
  /** The stack's harmony (`Composition.harmonize`). */
  readonly stack?: Harmonize;
  /** Ids that exist but are not composited (chain intermediates): not valid references. */
  readonly intermediates?: ReadonlySet<string>;
  /** Where layer `index`'s fields are, for issue paths. @default ['layers', index] */
  readonly pathOf?: (index: number) => readonly (string | number)[];
}

const quoted = (ids: readonly string[]) => ids.map((id) => `"${id}"`).join(' -> ');

/**
 * Resolves the harmony of a stack of layers: which reference (a layer id or a palette) each
 * layer is matched to — its own `harmonize`, else the stack's (the stack's reference layer
 * itself is left as it is) — in which order, and what is wrong with the references and
 * amounts. Every issue names the layer by id (and the field by its path).
 *
 * @param layers - the composited layers, first on top.
 * @param options - the stack's harmony, non-composited ids, paths.
 * @returns effective harmony per layer, run order and issues.
 */
export function harmonyReferences(
  layers: readonly HarmonyLayerInput[],
  options: HarmonyReferencesOptions = {},
): HarmonyReferences {
  const pathOf = options.pathOf ?? ((index: number) => ['layers', index]);
  const index = new Map<string, number>();
  layers.forEach((layer, position) => {
    if (!index.has(layer.id)) index.set(layer.id, position);
  });
  const issues: ValidationIssue[] = [];
  const stack = options.stack;
  const stackTo = stack !== undefined && typeof stack.to === 'string' ? stack.to : undefined;
  const checkTarget = (to: string, path: readonly (string | number)[], who: string): boolean => {
    if (index.has(to)) return true;
    const known = [...index.keys()].map((id) => `"${id}"`).join(', ');
    issues.push({
      path: [...path, 'to'],
      message: options.intermediates?.has(to)
        ? `${who} is matched to "${to}", a chain input that is not composited; expected one of ${known}`
        : `${who} is matched to "${to}", but no layer has that id; expected one of ${known}`,
    });
    return false;
  };
  const checkAmount = (harmony: Harmonize, path: readonly (string | number)[], who: string) => {
    const amount = harmony.amount;
    if (amount === undefined || (amount >= 0 && amount <= 1)) return true;
    issues.push({
      path: [...path, 'amount'],
      message: `${who} has a harmony amount of ${describeValue(amount)}; expected a number from 0 to 1`,
    });
    return false;
  };
  const stackValid =
    stack === undefined ||
    ((stackTo === undefined || checkTarget(stackTo, ['harmonize'], 'the stack')) &&
      checkAmount(stack, ['harmonize'], 'the stack'));
  const effective = layers.map((layer, position) => {
    if (layer.harmonize !== undefined) {
      const to = layer.harmonize.to;
      const who = `layer "${layer.id}"`;
      const path = [...pathOf(position), 'harmonize'];
      if (!checkAmount(layer.harmonize, path, who)) return undefined;
      if (typeof to !== 'string') return layer.harmonize;
      if (to === layer.id) {
        issues.push({
          path: [...path, 'to'],
          message: `${who} is matched to itself; expected another layer or a palette`,
        });
        return undefined;
      }
      return checkTarget(to, path, who) ? layer.harmonize : undefined;
    }
    if (stack === undefined || !stackValid || layer.id === stackTo) return undefined;
    return stack;
  });
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (position: number, trail: string[]): void => {
    const seen = state.get(position);
    if (seen === 'done') return;
    const layer = layers[position]!;
    if (seen === 'visiting') {
      const start = trail.indexOf(layer.id);
      issues.push({
        path: [...pathOf(position), 'harmonize', 'to'],
        message: `layer "${layer.id}" is in the harmony cycle ${quoted([...trail.slice(start), layer.id])}; expected references that end at a layer without harmony or at a palette`,
      });
      return;
    }
    const harmony = effective[position];
    state.set(position, 'visiting');
    if (harmony !== undefined && typeof harmony.to === 'string') {
      visit(index.get(harmony.to)!, [...trail, layer.id]);
    }
    state.set(position, 'done');
    if (harmony !== undefined) order.push(position);
  };
  for (let position = 0; position < layers.length; position++) visit(position, []);
  return { effective, order, issues };
}
