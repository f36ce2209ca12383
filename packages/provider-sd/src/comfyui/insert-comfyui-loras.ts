import type { ResolvedLora } from '@layerloom/core';
import type { ComfyUIInputValue, ComfyUILink, ComfyUIWorkflow } from './comfyui-workflow.js';

/** What {@link insertComfyUILoras} produced. */
export interface InsertedLoras {
  /** The graph with the LoRA chain in it (the same object when there were no LoRAs). */
  readonly graph: ComfyUIWorkflow;
  /** Why the LoRAs could not be placed, when they could not (the graph is then unchanged). */
  readonly warning?: string;
}

/** Nodes whose outputs are a model and a CLIP, by output index, as ComfyUI defines them. */
const modelOutputs: Readonly<Record<string, number>> = {
  CheckpointLoaderSimple: 0,
  CheckpointLoader: 0,
  UNETLoader: 0,
};
const clipOutputs: Readonly<Record<string, number>> = {
  CheckpointLoaderSimple: 1,
  CheckpointLoader: 1,
  CLIPLoader: 0,
  DualCLIPLoader: 0,
  TripleCLIPLoader: 0,
};

/** The one node of the graph whose type is a key of `outputs`, as a link to that output. */
function onlySource(
  graph: ComfyUIWorkflow,
  outputs: Readonly<Record<string, number>>,
): ComfyUILink | 'none' | 'several' {
  const found = Object.entries(graph).filter(([, node]) => Object.hasOwn(outputs, node.class_type));
  if (found.length === 0) return 'none';
  if (found.length > 1) return 'several';
  const [id, node] = found[0]!;
  return [id, outputs[node.class_type]!];
}

const isLinkTo = (value: ComfyUIInputValue, link: ComfyUILink) =>
  Array.isArray(value) && value.length === 2 && value[0] === link[0] && value[1] === link[1];

/**
 * Puts a binding's LoRAs into a ComfyUI graph as ComfyUI applies them: a chain of `LoraLoader`
 * nodes (one per LoRA, in order, `strength_model` and `strength_clip` both its weight) fed by
 * the workflow's model and CLIP loaders, every node that read the loaders' model or CLIP then
 * reading the chain's instead (the VAE is left as it was). The loaders are the graph's one
 * `CheckpointLoaderSimple` (model and CLIP), or its one `UNETLoader` and one CLIP loader
 * (`CLIPLoader`, `DualCLIPLoader`, `TripleCLIPLoader`); a graph with none, or with more than
 * one, is left unchanged, with a warning. New nodes take the numeric ids after the graph's
 * highest.
 *
 * @param graph - the graph to send (a copy made for this call; modified and returned).
 * @param loras - the binding's LoRAs; each `name` is a file name as ComfyUI lists it under
 *   `models/loras` (e.g. `fur.safetensors`).
 * @returns the graph, and a warning when the LoRAs were not placed.
 */
export function insertComfyUILoras(
  graph: ComfyUIWorkflow,
  loras: readonly ResolvedLora[] | undefined,
): InsertedLoras {
  if (loras === undefined || loras.length === 0) return { graph };
  const model = onlySource(graph, modelOutputs);
  const clip = onlySource(graph, clipOutputs);
  if (typeof model === 'string' || typeof clip === 'string') {
    const [found, kind] = typeof model === 'string' ? [model, 'model'] : [clip, 'CLIP'];
    const has = found === 'none' ? `no ${kind} loader` : `more than one ${kind} loader`;
    return {
      graph,
      warning: `The binding's \`loras\` were not sent: they go after the workflow's one model and CLIP loader (CheckpointLoaderSimple, or UNETLoader and a CLIP loader), and this workflow has ${has}.`,
    };
  }
  const nodes = graph as Record<
    string,
    { class_type: string; inputs: Record<string, ComfyUIInputValue> }
  >;
  let nextId =
    Math.max(0, ...Object.keys(graph).map((id) => (/^\d+$/.test(id) ? Number(id) : 0))) + 1;
  let modelLink: ComfyUILink = model;
  let clipLink: ComfyUILink = clip;
  const added = new Set<string>();
  for (const lora of loras) {
    const id = String(nextId++);
    nodes[id] = {
      class_type: 'LoraLoader',
      inputs: {
        model: modelLink,
        clip: clipLink,
        lora_name: lora.name,
        strength_model: lora.weight,
        strength_clip: lora.weight,
      },
    };
    added.add(id);
    modelLink = [id, 0];
    clipLink = [id, 1];
  }
  for (const [id, node] of Object.entries(nodes)) {
    if (added.has(id)) continue;
    for (const [input, value] of Object.entries(node.inputs)) {
      if (isLinkTo(value, model)) node.inputs[input] = modelLink;
      else if (isLinkTo(value, clip)) node.inputs[input] = clipLink;
    }
  }
  return { graph };
}
