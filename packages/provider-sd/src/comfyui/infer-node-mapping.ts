import type { ComfyUINodeMapping } from './comfyui-node-mapping.js';
import { type ComfyUINode, type ComfyUIWorkflow, isComfyUILink } from './comfyui-workflow.js';

/** What {@link inferNodeMapping} found. */
export type InferredNodeMapping =
  | {
      /** The mapping found. */
      readonly mapping: ComfyUINodeMapping;
      /** Never set when a mapping was found. */
      readonly problem?: undefined;
    }
  | {
      /** Never set when no mapping was found. */
      readonly mapping?: undefined;
      /** Why no mapping was found, e.g. `found 2` samplers. */
      readonly problem: string;
    };

const samplerTypes = new Set(['KSampler', 'KSamplerAdvanced']);

type Entry = readonly [id: string, node: ComfyUINode];

function linked(workflow: ComfyUIWorkflow, node: ComfyUINode, input: string): Entry | undefined {
  const value = node.inputs[input];
  if (!isComfyUILink(value)) return undefined;
  const id = String(value[0]);
  const target = workflow[id];
  return target === undefined ? undefined : [id, target];
}

function only(workflow: ComfyUIWorkflow, types: ReadonlySet<string>): Entry[] {
  return Object.entries(workflow).filter(([, node]) => types.has(node.class_type));
}

/** The text inputs of a text encoder: `text`, or SDXL's `text_g` and `text_l`. */
function textTargets(entry: Entry | undefined): string[] | undefined {
  if (entry === undefined) return undefined;
  const [id, node] = entry;
  const names = ['text', 'text_g', 'text_l'].filter(
    (name) => Object.hasOwn(node.inputs, name) && !isComfyUILink(node.inputs[name]),
  );
  return names.length === 0 ? undefined : names.map((name) => `${id}.${name}`);
}

function literalInput(entry: Entry, name: string): string | undefined {
  const [id, node] = entry;
  return Object.hasOwn(node.inputs, name) ? `${id}.${name}` : undefined;
}

/**
 * Finds the node mapping of a common workflow shape, so `nodes` can be left out: one `KSampler`
 * (or `KSamplerAdvanced`) whose `positive` and `negative` come straight from text encoders, and
 * whose latent comes from an `EmptyLatentImage` (size) or a `VAEEncode` of a `LoadImage`
 * (optionally through an `ImageScale` for the size, or a `SetLatentNoiseMask` fed by a
 * `LoadImageMask`); plus the only `CheckpointLoaderSimple` and the only `SaveImage`.
 *
 * @param workflow - a workflow in API format.
 * @returns the mapping, or the reason it could not be found.
 */
export function inferNodeMapping(workflow: ComfyUIWorkflow): InferredNodeMapping {
  const samplers = only(workflow, samplerTypes);
  if (samplers.length !== 1) {
    return {
      problem: `expected exactly one KSampler or KSamplerAdvanced node, found ${samplers.length}`,
    };
  }
  const sampler = samplers[0]!;
  const [, samplerNode] = sampler;
  const prompt = textTargets(linked(workflow, samplerNode, 'positive'));
  if (prompt === undefined) {
    return {
      problem: "the sampler's `positive` input is not linked to a text encoder with a `text` input",
    };
  }
  const single = (targets: string[]) => (targets.length === 1 ? targets[0] : targets);
  const mapping: Record<string, unknown> = { prompt: single(prompt) };
  const negative = textTargets(linked(workflow, samplerNode, 'negative'));
  if (negative !== undefined) mapping.negativePrompt = single(negative);
  for (const [name, inputs] of [
    ['seed', ['seed', 'noise_seed']],
    ['steps', ['steps']],
    ['cfgScale', ['cfg']],
    ['sampler', ['sampler_name']],
    ['scheduler', ['scheduler']],
    ['denoise', ['denoise']],
  ] as const) {
    const input = inputs.find((candidate) => Object.hasOwn(samplerNode.inputs, candidate));
    if (input !== undefined) mapping[name] = `${sampler[0]}.${input}`;
  }

  let latent = linked(workflow, samplerNode, 'latent_image');
  if (latent?.[1].class_type === 'SetLatentNoiseMask') {
    const mask = linked(workflow, latent[1], 'mask');
    if (mask?.[1].class_type === 'LoadImageMask') mapping.mask = literalInput(mask, 'image');
    latent = linked(workflow, latent[1], 'samples');
  }
  if (latent !== undefined) {
    if (latent[1].class_type === 'VAEEncode') {
      let pixels = linked(workflow, latent[1], 'pixels');
      if (pixels !== undefined && Object.hasOwn(pixels[1].inputs, 'width')) {
        mapping.width = literalInput(pixels, 'width');
        mapping.height = literalInput(pixels, 'height');
        pixels = linked(workflow, pixels[1], 'image');
      }
      if (pixels?.[1].class_type === 'LoadImage') mapping.image = literalInput(pixels, 'image');
    } else if (
      Object.hasOwn(latent[1].inputs, 'width') &&
      Object.hasOwn(latent[1].inputs, 'height')
    ) {
      mapping.width = literalInput(latent, 'width');
      mapping.height = literalInput(latent, 'height');
    }
  }

  const checkpoints = only(workflow, new Set(['CheckpointLoaderSimple']));
  if (checkpoints.length === 1) mapping.checkpoint = literalInput(checkpoints[0]!, 'ckpt_name');
  const outputs = only(workflow, new Set(['SaveImage']));
  if (outputs.length === 1) mapping.output = outputs[0]![0];
  for (const key of Object.keys(mapping)) if (mapping[key] === undefined) delete mapping[key];
  return { mapping: mapping as unknown as ComfyUINodeMapping };
}
