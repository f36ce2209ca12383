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

const samplerTypes = new Set([
  'KSampler',
  'KSamplerAdvanced',
  'SamplerCustom',
  'SamplerCustomAdvanced',
]);

/** Nodes a `conditioning` passes through between a text encoder and a sampler or guider. */
const conditioningPassThrough = new Set([
  'FluxGuidance',
  'ConditioningSetTimestepRange',
  'ConditioningSetAreaStrength',
  'ConditioningSetArea',
  'ConditioningSetAreaPercentage',
]);

/** Nodes whose `value` holds a prompt typed into a node of its own. */
const primitiveStringTypes = new Set(['PrimitiveString', 'PrimitiveStringMultiline']);

/** Text inputs of the text encoders: CLIPTextEncode, SDXL's, SD3's and Flux's. */
const textInputNames = ['text', 'text_g', 'text_l', 'clip_l', 'clip_g', 't5xxl'];

/** Output nodes, by preference: a file in `output`, a temporary file, the WebSocket. */
const outputTypes = ['SaveImage', 'PreviewImage', 'SaveImageWebsocket'];

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

/**
 * How many sampler nodes a workflow has (KSampler, KSamplerAdvanced, SamplerCustom,
 * SamplerCustomAdvanced), for progress that runs once across all of them.
 *
 * @param workflow - a workflow in API format.
 */
export function countComfyUISamplers(workflow: ComfyUIWorkflow): number {
  return only(workflow, samplerTypes).length;
}

/**
 * The text inputs that take a prompt, from a conditioning link: through pass-through
 * conditioning nodes (FluxGuidance, ConditioningSetTimestepRange…) to the text encoder, and
 * from there to a primitive string node when the text is typed into one. A
 * `ConditioningZeroOut` (an empty negative) takes no prompt.
 */
function textTargets(workflow: ComfyUIWorkflow, start: Entry | undefined): string[] | undefined {
  let entry = start;
  for (let hop = 0; entry !== undefined && hop < 8; hop++) {
    if (!conditioningPassThrough.has(entry[1].class_type)) break;
    entry = linked(workflow, entry[1], 'conditioning');
  }
  if (entry === undefined) return undefined;
  const [id, node] = entry;
  const targets = new Set<string>();
  for (const name of textInputNames) {
    if (!Object.hasOwn(node.inputs, name)) continue;
    const value = node.inputs[name];
    if (!isComfyUILink(value)) {
      if (typeof value === 'string') targets.add(`${id}.${name}`);
      continue;
    }
    const source = linked(workflow, node, name);
    if (
      source !== undefined &&
      primitiveStringTypes.has(source[1].class_type) &&
      Object.hasOwn(source[1].inputs, 'value')
    ) {
      targets.add(`${source[0]}.value`);
    }
  }
  return targets.size === 0 ? undefined : [...targets];
}

function literalInput(entry: Entry, name: string): string | undefined {
  const [id, node] = entry;
  return Object.hasOwn(node.inputs, name) && !isComfyUILink(node.inputs[name])
    ? `${id}.${name}`
    : undefined;
}

/** Where a sampler takes its conditioning and settings, whatever its kind. */
interface SamplerParts {
  readonly positive: Entry | undefined;
  readonly negative: Entry | undefined;
  /** Nodes that may hold the seed, steps, cfg, sampler, scheduler and denoise inputs. */
  readonly settings: readonly Entry[];
}

function samplerParts(workflow: ComfyUIWorkflow, sampler: Entry): SamplerParts {
  const [, node] = sampler;
  const sub = (input: string) => linked(workflow, node, input);
  const others = [sub('sampler'), sub('sigmas')].filter((entry) => entry !== undefined);
  if (node.class_type === 'SamplerCustomAdvanced') {
    // Flux and SD3.5 graphs: seed in RandomNoise, conditioning (and cfg) in a guider.
    const guider = sub('guider');
    const guiderNode = guider?.[1];
    const positive =
      guiderNode === undefined
        ? undefined
        : (linked(workflow, guiderNode, 'positive') ??
          linked(workflow, guiderNode, 'conditioning'));
    const negative =
      guiderNode === undefined ? undefined : linked(workflow, guiderNode, 'negative');
    return {
      positive,
      negative,
      settings: [sub('noise'), guider, ...others].filter((entry) => entry !== undefined),
    };
  }
  return {
    positive: sub('positive'),
    negative: sub('negative'),
    settings: [sampler, ...others],
  };
}

/**
 * Finds the node mapping of a common workflow shape, so `nodes` can be left out. The sampler
 * is the only `KSampler`, `KSamplerAdvanced`, `SamplerCustom` or `SamplerCustomAdvanced`; the
 * last takes its seed from a `RandomNoise`, its conditioning and cfg from a `CFGGuider` or
 * `BasicGuider`, its sampler from a `KSamplerSelect` and its steps, scheduler and denoise from
 * a `BasicScheduler` (Flux, SD3.5). Prompts come from text encoders (CLIPTextEncode, SDXL's,
 * `CLIPTextEncodeSD3`, `CLIPTextEncodeFlux`), through conditioning nodes such as `FluxGuidance`
 * or `ConditioningSetTimestepRange`, or from the `PrimitiveString(Multiline)` node a text input
 * is linked to. The size comes from the latent node (`EmptyLatentImage`, `EmptySD3LatentImage`…)
 * or a `VAEEncode` of a `LoadImage` (optionally through an `ImageScale`, or a
 * `SetLatentNoiseMask` fed by a `LoadImageMask`); plus the only `CheckpointLoaderSimple` (or
 * `UNETLoader`) and the only `SaveImage` (else `PreviewImage`, else `SaveImageWebsocket`).
 *
 * @param workflow - a workflow in API format.
 * @returns the mapping, or the reason it could not be found.
 */
export function inferNodeMapping(workflow: ComfyUIWorkflow): InferredNodeMapping {
  const samplers = only(workflow, samplerTypes);
  if (samplers.length !== 1) {
    return {
      problem: `expected exactly one sampler node (KSampler, KSamplerAdvanced, SamplerCustom or SamplerCustomAdvanced), found ${samplers.length}`,
    };
  }
  const sampler = samplers[0]!;
  const [, samplerNode] = sampler;
  const parts = samplerParts(workflow, sampler);
  const prompt = textTargets(workflow, parts.positive);
  if (prompt === undefined) {
    return {
      problem:
        "the sampler's positive conditioning does not lead to a text encoder with a text input (or a primitive string node)",
    };
  }
  const single = (targets: string[]) => (targets.length === 1 ? targets[0] : targets);
  const mapping: Record<string, unknown> = { prompt: single(prompt) };
  const negative = textTargets(workflow, parts.negative);
  if (negative !== undefined) mapping.negativePrompt = single(negative);
  for (const [name, inputs] of [
    ['seed', ['seed', 'noise_seed']],
    ['steps', ['steps']],
    ['cfgScale', ['cfg']],
    ['sampler', ['sampler_name']],
    ['scheduler', ['scheduler']],
    ['denoise', ['denoise']],
  ] as const) {
    for (const entry of parts.settings) {
      const input = inputs.find((candidate) => literalInput(entry, candidate) !== undefined);
      if (input !== undefined) {
        mapping[name] = `${entry[0]}.${input}`;
        break;
      }
    }
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
  const unets = only(workflow, new Set(['UNETLoader']));
  if (checkpoints.length === 1) mapping.checkpoint = literalInput(checkpoints[0]!, 'ckpt_name');
  else if (checkpoints.length === 0 && unets.length === 1)
    mapping.checkpoint = literalInput(unets[0]!, 'unet_name');
  for (const type of outputTypes) {
    const outputs = only(workflow, new Set([type]));
    if (outputs.length === 0) continue;
    if (outputs.length === 1) mapping.output = outputs[0]![0];
    break;
  }
  for (const key of Object.keys(mapping)) if (mapping[key] === undefined) delete mapping[key];
  return { mapping: mapping as unknown as ComfyUINodeMapping };
}
