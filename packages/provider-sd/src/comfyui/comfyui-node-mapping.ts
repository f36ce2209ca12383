import { expected, type ValidationIssue } from '@layerloom/core';
import { z } from 'zod';
import type { ComfyUIWorkflow } from './comfyui-workflow.js';

/** One node input: `{ node: '3', input: 'seed' }`, or the short form `'3.seed'`. */
export type ComfyUIInputTarget = { readonly node: string; readonly input: string } | string;

/** One input, or several that all get the same value (e.g. SDXL's `text_g` and `text_l`). */
export type ComfyUIInputTargets = ComfyUIInputTarget | readonly ComfyUIInputTarget[];

/**
 * Which node input of a workflow takes each value of a request. Every node id and input name
 * is checked against the workflow when the adapter is created.
 */
export interface ComfyUINodeMapping {
  /** The prompt, e.g. a `CLIPTextEncode`'s `text`. */
  readonly prompt: ComfyUIInputTargets;
  /** The negative prompt. */
  readonly negativePrompt?: ComfyUIInputTargets;
  /** The seed, e.g. `KSampler.seed` or `KSamplerAdvanced.noise_seed`. */
  readonly seed?: ComfyUIInputTargets;
  /** The width, e.g. `EmptyLatentImage.width` (or `ImageScale.width` in an img2img graph). */
  readonly width?: ComfyUIInputTargets;
  /** The height. */
  readonly height?: ComfyUIInputTargets;
  /** Sampling steps (from the provider's defaults). */
  readonly steps?: ComfyUIInputTargets;
  /** CFG scale (from the provider's defaults), e.g. `KSampler.cfg`. */
  readonly cfgScale?: ComfyUIInputTargets;
  /** Sampler name (from the provider's defaults), e.g. `KSampler.sampler_name`. */
  readonly sampler?: ComfyUIInputTargets;
  /** Scheduler (from the provider's defaults), e.g. `KSampler.scheduler`. */
  readonly scheduler?: ComfyUIInputTargets;
  /** Denoise, set from the request's `strength` in image-to-image, e.g. `KSampler.denoise`. */
  readonly denoise?: ComfyUIInputTargets;
  /** The input image's uploaded file name, e.g. `LoadImage.image`. */
  readonly image?: ComfyUIInputTargets;
  /** The inpainting mask's uploaded file name, e.g. `LoadImageMask.image`. */
  readonly mask?: ComfyUIInputTargets;
  /** The checkpoint chosen with `.image(checkpoint)`, e.g. `CheckpointLoaderSimple.ckpt_name`. */
  readonly checkpoint?: ComfyUIInputTargets;
  /**
   * Id of the node whose images are the result (a `SaveImage`).
   * @default the workflow's only `SaveImage`, else the first output with images
   */
  readonly output?: string;
}

/** The values a {@link ComfyUINodeMapping} places. */
export type ComfyUIValueName = Exclude<keyof ComfyUINodeMapping, 'output'>;

/** A node input after the short forms were expanded. */
export interface ComfyUIResolvedTarget {
  /** Node id. */
  readonly node: string;
  /** Input name. */
  readonly input: string;
}

/** A {@link ComfyUINodeMapping} checked against its workflow, every target expanded. */
export interface ResolvedNodeMapping {
  /** Targets by value name; a name is absent when the workflow does not take that value. */
  readonly targets: Readonly<Partial<Record<ComfyUIValueName, readonly ComfyUIResolvedTarget[]>>>;
  /** The output node id, when one was named. */
  readonly output?: string;
}

/** The value names, in the order messages list them. */
export const comfyUIValueNames: readonly ComfyUIValueName[] = [
  'prompt',
  'negativePrompt',
  'seed',
  'width',
  'height',
  'steps',
  'cfgScale',
  'sampler',
  'scheduler',
  'denoise',
  'image',
  'mask',
  'checkpoint',
];

const targetPhrase = '`{ node, input }` or a "<node id>.<input>" string';
const nodeIdSchema = z
  .union([z.string().min(1), z.number().int().min(0)], expected('a node id such as "3"'))
  .transform(String);
const targetSchema = z.union(
  [
    z.string().regex(/^.+\.[^.]+$/),
    z.strictObject({
      node: nodeIdSchema,
      input: z.string(expected('an input name')).min(1, expected('an input name')),
    }),
  ],
  expected(targetPhrase),
);
const targetsSchema = z.union(
  [targetSchema, z.array(targetSchema).min(1, expected(`a non-empty list of ${targetPhrase}`))],
  expected(`${targetPhrase}, or a list of them`),
);

/** Validates the shape of a {@link ComfyUINodeMapping} (not yet against a workflow). */
export const comfyUINodeMappingSchema = z.strictObject(
  {
    ...Object.fromEntries(
      comfyUIValueNames.map((name) => [
        name,
        name === 'prompt' ? targetsSchema : targetsSchema.optional(),
      ]),
    ),
    output: nodeIdSchema.optional(),
  } as Record<ComfyUIValueName, typeof targetsSchema> & {
    output: z.ZodOptional<typeof nodeIdSchema>;
  },
  expected('a node mapping such as `{ prompt: "6.text", seed: "3.seed" }`'),
);

function expandTarget(target: ComfyUIInputTarget): ComfyUIResolvedTarget {
  if (typeof target !== 'string') return { node: String(target.node), input: target.input };
  const dot = target.lastIndexOf('.');
  return { node: target.slice(0, dot), input: target.slice(dot + 1) };
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown}, …` : shown;
}

/**
 * Checks a mapping against its workflow: every node id must exist and have the named input.
 *
 * @param mapping - the mapping (shape already validated).
 * @param workflow - the workflow it points into.
 * @param field - the settings field holding the mapping (`nodes`, `imageNodes`), for messages.
 * @returns the expanded mapping, and the problems found (empty when it fits).
 */
export function resolveNodeMapping(
  mapping: ComfyUINodeMapping,
  workflow: ComfyUIWorkflow,
  field: string,
): { mapping: ResolvedNodeMapping; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const targets: Partial<Record<ComfyUIValueName, ComfyUIResolvedTarget[]>> = {};
  const nodeIds = Object.keys(workflow);
  for (const name of comfyUIValueNames) {
    const value = mapping[name];
    if (value === undefined) continue;
    const list = (Array.isArray(value) ? value : [value]) as ComfyUIInputTarget[];
    const resolved: ComfyUIResolvedTarget[] = [];
    list.forEach((target, index) => {
      const { node, input } = expandTarget(target);
      const path = Array.isArray(value) ? [field, name, index] : [field, name];
      const shown = Array.isArray(value) ? `${field}.${name}[${index}]` : `${field}.${name}`;
      const found = workflow[node];
      if (found === undefined) {
        issues.push({
          path,
          message: `\`${shown}\`: the workflow has no node ${JSON.stringify(node)} (its nodes: ${listNames(nodeIds)})`,
        });
        return;
      }
      if (!Object.hasOwn(found.inputs, input)) {
        issues.push({
          path,
          message: `\`${shown}\`: node ${JSON.stringify(node)} (${found.class_type}) has no input ${JSON.stringify(input)} (its inputs: ${listNames(Object.keys(found.inputs))})`,
        });
        return;
      }
      resolved.push({ node, input });
    });
    if (resolved.length > 0) targets[name] = resolved;
  }
  if (mapping.output !== undefined && workflow[mapping.output] === undefined) {
    issues.push({
      path: [field, 'output'],
      message: `\`${field}.output\`: the workflow has no node ${JSON.stringify(mapping.output)} (its nodes: ${listNames(nodeIds)})`,
    });
  }
  return {
    mapping: { targets, ...(mapping.output === undefined ? {} : { output: mapping.output }) },
    issues,
  };
}
