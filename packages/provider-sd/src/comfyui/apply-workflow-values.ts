import type { ComfyUIInputOverrides } from './comfyui-image-defaults.js';
import type { ComfyUIValueName, ResolvedNodeMapping } from './comfyui-node-mapping.js';
import type { ComfyUIInputValue, ComfyUIWorkflow } from './comfyui-workflow.js';

/** A workflow graph being filled in for one call. */
type MutableGraph = Record<
  string,
  { class_type: string; inputs: Record<string, ComfyUIInputValue>; _meta?: { title?: string } }
>;

/** What {@link applyWorkflowValues} produced. */
export interface AppliedWorkflow {
  /** The graph to send as `prompt`: a copy of the template with the values placed. */
  readonly graph: ComfyUIWorkflow;
  /** Values that were given but that the mapping has no input for. */
  readonly unplaced: readonly ComfyUIValueName[];
  /** Node ids of `overrides` the workflow does not have. */
  readonly unknownNodes: readonly string[];
}

/**
 * Copies a workflow template and places values into it: first each mapped value into every
 * input the mapping names for it, then raw `overrides` (node id → input → value) in order.
 *
 * @param workflow - the template (left untouched).
 * @param mapping - where each value goes.
 * @param values - the values; `undefined` ones keep the template's.
 * @param overrides - raw input values, applied last, later ones winning.
 */
export function applyWorkflowValues(
  workflow: ComfyUIWorkflow,
  mapping: ResolvedNodeMapping,
  values: Readonly<Partial<Record<ComfyUIValueName, ComfyUIInputValue | undefined>>>,
  overrides: readonly (ComfyUIInputOverrides | undefined)[] = [],
): AppliedWorkflow {
  const graph = structuredClone(workflow) as MutableGraph;
  const unplaced: ComfyUIValueName[] = [];
  for (const [name, value] of Object.entries(values) as [ComfyUIValueName, unknown][]) {
    if (value === undefined) continue;
    const targets = mapping.targets[name];
    if (targets === undefined) {
      unplaced.push(name);
      continue;
    }
    for (const { node, input } of targets) {
      graph[node]!.inputs[input] = value as ComfyUIInputValue;
    }
  }
  const unknownNodes: string[] = [];
  for (const layer of overrides) {
    for (const [node, inputs] of Object.entries(layer ?? {})) {
      const target = graph[node];
      if (target === undefined) {
        if (!unknownNodes.includes(node)) unknownNodes.push(node);
        continue;
      }
      Object.assign(target.inputs, inputs);
    }
  }
  return { graph, unplaced, unknownNodes };
}
