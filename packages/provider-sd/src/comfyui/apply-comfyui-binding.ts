import type { ResolvedBinding, ResolvedLora } from '@layerloom/core';
import type { ComfyUIInputOverrides } from './comfyui-image-defaults.js';
import { type ComfyUIValueName, resolveNodeMapping } from './comfyui-node-mapping.js';
import {
  type ComfyUIInputValue,
  type ComfyUIWorkflow,
  comfyUIWorkflowSchema,
  freezeWorkflow,
  isUserInterfaceWorkflow,
} from './comfyui-workflow.js';
import { inferNodeMapping } from './infer-node-mapping.js';
import type { ComfyUIRoutes } from './read-comfyui-routes.js';

/** What a world-pack binding adds to one ComfyUI call. */
export interface ComfyUIBindingValues {
  /** Values placed where the node mapping says (checkpoint, steps, CFG, sampler, scheduler). */
  readonly values: Readonly<Partial<Record<ComfyUIValueName, ComfyUIInputValue>>>;
  /** The binding's node overrides, applied after the adapter's defaults and before the request's. */
  readonly inputs: ComfyUIInputOverrides | undefined;
  /** The routes to send the call to: the adapter's, or the pack's workflow in place of one. */
  readonly routes: ComfyUIRoutes;
  /** The binding's LoRAs, for `insertComfyUILoras` to chain into the graph. */
  readonly loras: readonly ResolvedLora[] | undefined;
  /** What the binding asked for and ComfyUI could not be given. */
  readonly warnings: readonly string[];
}

/**
 * The adapter's routes with the pack's workflow template in place of the text-to-image route
 * (or of the image-to-image one, when the template loads an image). The template's node
 * mapping is inferred as for a `workflow` setting; a template that is not in API format or
 * whose mapping cannot be inferred is not used, with a warning.
 */
function routesWith(
  workflow: Readonly<Record<string, unknown>>,
  routes: ComfyUIRoutes,
  warnings: string[],
): ComfyUIRoutes {
  const parsed = comfyUIWorkflowSchema.safeParse(workflow);
  if (isUserInterfaceWorkflow(workflow) || !parsed.success) {
    warnings.push(
      "The binding's `workflow` is not a ComfyUI workflow in API format; the adapter's template was used.",
    );
    return routes;
  }
  const template = freezeWorkflow(parsed.data as ComfyUIWorkflow);
  const inferred = inferNodeMapping(template);
  const resolved =
    inferred.mapping === undefined
      ? undefined
      : resolveNodeMapping(inferred.mapping, template, 'binding.workflow');
  if (resolved === undefined || resolved.issues.length > 0) {
    warnings.push(
      `The nodes of the binding's \`workflow\` could not be inferred (${inferred.problem ?? resolved?.issues[0]?.message}); the adapter's template was used.`,
    );
    return routes;
  }
  const route = { workflow: template, mapping: resolved.mapping, field: 'nodes' as const };
  return resolved.mapping.targets.image === undefined
    ? { ...routes, text: route }
    : { ...routes, image: route };
}

/**
 * Reads a world-pack binding (`ImageRequest.binding`) for a ComfyUI call: its `workflow`
 * template replaces the adapter's (see {@link routesWith}), its checkpoint, steps, CFG scale,
 * sampler and scheduler go into the template like the adapter's defaults (over them), its
 * `nodeOverrides` are raw node inputs (over the adapter's `inputs`, under the request's
 * `options.inputs`), and its `loras` are handed on for the prompt builder to chain in as
 * `LoraLoader` nodes.
 *
 * @param binding - the request's binding, if any.
 * @param routes - the adapter's routes.
 */
export function applyComfyUIBinding(
  binding: ResolvedBinding | undefined,
  routes: ComfyUIRoutes,
): ComfyUIBindingValues {
  if (binding === undefined) {
    return { values: {}, inputs: undefined, routes, loras: undefined, warnings: [] };
  }
  const values: Partial<Record<ComfyUIValueName, ComfyUIInputValue>> = {};
  if (binding.checkpoint !== undefined) values.checkpoint = binding.checkpoint;
  if (binding.steps !== undefined) values.steps = binding.steps;
  if (binding.cfgScale !== undefined) values.cfgScale = binding.cfgScale;
  if (binding.sampler !== undefined) values.sampler = binding.sampler;
  if (binding.scheduler !== undefined) values.scheduler = binding.scheduler;
  const warnings: string[] = [];
  const bound =
    binding.workflow === undefined ? routes : routesWith(binding.workflow, routes, warnings);
  return { values, inputs: binding.nodeOverrides, routes: bound, loras: binding.loras, warnings };
}
