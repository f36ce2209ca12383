import type { ImageRequest, ResolvedLora } from '@layerloom/core';
import { serializeJsonBody } from '@layerloom/core/http';
import { applyWorkflowValues } from './apply-workflow-values.js';
import { type ComfyUIOutputVia, chooseComfyUIOutputNode } from './choose-comfyui-output-node.js';
import type { ComfyUIInputOverrides } from './comfyui-image-defaults.js';
import type { ComfyUIValueName } from './comfyui-node-mapping.js';
import type { ComfyUIInputValue } from './comfyui-workflow.js';
import { insertComfyUILoras } from './insert-comfyui-loras.js';
import type { ComfyUIRoute } from './read-comfyui-routes.js';

const valueLabels: Readonly<Record<ComfyUIValueName, string>> = {
  prompt: '`prompt`',
  negativePrompt: 'the negative prompt',
  seed: '`seed`',
  width: 'the width',
  height: 'the height',
  steps: '`steps`',
  cfgScale: '`cfgScale`',
  sampler: '`sampler`',
  scheduler: '`scheduler`',
  denoise: '`strength` (denoise)',
  image: 'the input image',
  mask: '`mask`',
  checkpoint: 'the checkpoint',
};

/** Inputs of {@link buildComfyUIPrompt}. */
export interface ComfyUIPromptInput {
  /** The route the request goes to. */
  readonly route: ComfyUIRoute;
  /** The request, for the size it asked for (warnings). */
  readonly request: ImageRequest;
  /** The values to place, by name; `undefined` ones keep the template's. */
  readonly values: Readonly<Partial<Record<ComfyUIValueName, ComfyUIInputValue | undefined>>>;
  /** Raw input values by node id, applied last in order (defaults, then request options). */
  readonly overrides: readonly (ComfyUIInputOverrides | undefined)[];
  /** LoRAs to chain in after the workflow's model and CLIP loaders (a binding's). */
  readonly loras?: readonly ResolvedLora[];
  /** The `client_id` whose WebSocket receives the prompt's progress. */
  readonly clientId: string;
  /**
   * The `prompt_id` chosen by the caller (a lowercase UUID), so that a prompt whose
   * `POST /prompt` timed out can still be found and cancelled.
   */
  readonly promptId: string;
  /** How the result should leave the server. @default 'workflow' */
  readonly outputVia?: ComfyUIOutputVia;
}

/** What {@link buildComfyUIPrompt} produces. */
export interface ComfyUIPrompt {
  /** The `POST /prompt` body, `{ prompt, client_id, prompt_id }`, serialised. */
  readonly body: ReturnType<typeof serializeJsonBody>;
  /** Notes for the result: values the workflow has no input for, unknown override nodes. */
  readonly warnings: readonly string[];
}

/**
 * Builds the `POST /prompt` body for one call: the route's template with the values and raw
 * overrides placed (`applyWorkflowValues`) and the LoRAs chained in (`insertComfyUILoras`),
 * and a warning for each value the workflow cannot take (a fixed size is one warning), each
 * override naming a node it does not have, and LoRAs with no loader to follow.
 *
 * @param input - route, request, values, overrides and client id.
 * @throws ValidationError when the overrides hold a value JSON cannot (blaming `options`).
 */
export function buildComfyUIPrompt(input: ComfyUIPromptInput): ComfyUIPrompt {
  const { route, request } = input;
  const warnings: string[] = [];
  const applied = applyWorkflowValues(route.workflow, route.mapping, input.values, input.overrides);
  const unplaced = applied.unplaced.filter(
    (name) => name !== 'height' || !applied.unplaced.includes('width'),
  );
  for (const name of unplaced) {
    warnings.push(
      name === 'width' || name === 'height'
        ? `This ComfyUI workflow has a fixed size; ${request.width}x${request.height} was not sent.`
        : `This ComfyUI workflow has no input for ${valueLabels[name]}; it was not sent.`,
    );
  }
  for (const node of applied.unknownNodes) {
    warnings.push(
      `This ComfyUI workflow has no node ${JSON.stringify(node)}; its \`inputs\` were ignored.`,
    );
  }
  const withLoras = insertComfyUILoras(applied.graph, input.loras);
  if (withLoras.warning !== undefined) warnings.push(withLoras.warning);
  const graph = chooseComfyUIOutputNode(
    withLoras.graph,
    route.mapping.output,
    input.outputVia ?? 'workflow',
  );
  const body = serializeJsonBody(
    { prompt: graph, client_id: input.clientId, prompt_id: input.promptId },
    'options',
    'ComfyUI request',
  );
  return { body, warnings };
}
