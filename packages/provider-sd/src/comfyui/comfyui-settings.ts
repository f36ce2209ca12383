import { expected } from '@layerloom/core';
import { z } from 'zod';
import {
  baseUrlSchema,
  headersSchema,
  millisecondsSchema,
  nonEmptyStringSchema,
} from '../shared/settings-schemas.js';
import type { ComfyUIOutputVia } from './choose-comfyui-output-node.js';
import type { ComfyUINodeMapping } from './comfyui-node-mapping.js';
import type { ComfyUIWorkflow } from './comfyui-workflow.js';

/** Settings of `createComfyUI`. */
export interface ComfyUISettings {
  /** Where ComfyUI listens, e.g. `http://127.0.0.1:8188` (a path prefix such as `/api` is kept). */
  readonly baseURL: string;
  /**
   * The text-to-image workflow template, in API format.
   * @default sdxlTextToImageWorkflow
   */
  readonly workflow?: ComfyUIWorkflow;
  /**
   * Where `workflow` takes the prompt, seed, size… Checked against the workflow at creation.
   * @default sdxlTextToImageNodes with the default workflow; otherwise inferred from a
   *   workflow of the usual shape (one KSampler fed by text encoders), see `inferNodeMapping`
   */
  readonly nodes?: ComfyUINodeMapping;
  /**
   * The image-to-image workflow, used for requests with an input image; its mapping must name
   * `image`. A `workflow` whose own mapping names `image` serves image requests itself.
   * @default sdxlImageToImageWorkflow when `workflow` is omitted; otherwise none
   */
  readonly imageWorkflow?: ComfyUIWorkflow;
  /**
   * Where `imageWorkflow` takes each value.
   * @default sdxlImageToImageNodes with the default; otherwise inferred from `imageWorkflow`
   */
  readonly imageNodes?: ComfyUINodeMapping;
  /** Extra headers for every request and the WebSocket (e.g. a reverse proxy's auth). @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Provider id in results, errors and the manifest. @default 'comfyui' */
  readonly id?: string;
  /**
   * Whether the workflows paint real cut-outs with an alpha channel (e.g. LayerDiffuse nodes).
   * @default false (layers get a chroma-key matte from the pipeline)
   */
  readonly transparency?: boolean;
  /** Limit for one call, from upload to downloaded image, in milliseconds. @default 600_000 */
  readonly timeoutMs?: number;
  /** Pause between `GET /history/{id}` polls when the WebSocket is unavailable. @default 1000 */
  readonly historyIntervalMs?: number;
  /** Limit for the WebSocket handshake, in milliseconds. @default 10_000 */
  readonly socketTimeoutMs?: number;
  /** Limit for each request that stops a prompt on abort, in milliseconds. @default 5000 */
  readonly cancelTimeoutMs?: number;
  /**
   * How the result leaves the server. `workflow` keeps the workflow's output node (a
   * `SaveImage` writes into ComfyUI's `output` folder). `preview` swaps it for a
   * `PreviewImage` (a temporary file, fetched with `GET /view?type=temp`). `websocket` swaps
   * it for a `SaveImageWebsocket`, whose image arrives over the WebSocket and is never written
   * to the server's disk (it needs the WebSocket). Needs a mapped or inferred output node.
   * @default 'workflow'
   */
  readonly output?: ComfyUIOutputVia;
}

/**
 * Validates {@link ComfyUISettings}. Workflows and node mappings pass as they are: they are
 * checked against each other by `readComfyUIRoutes`, which names the field at fault.
 */
export const comfyUISettingsSchema = z.strictObject(
  {
    baseURL: baseUrlSchema,
    workflow: z.unknown().optional(),
    nodes: z.unknown().optional(),
    imageWorkflow: z.unknown().optional(),
    imageNodes: z.unknown().optional(),
    headers: headersSchema.optional(),
    id: nonEmptyStringSchema.optional(),
    transparency: z.boolean(expected('a boolean')).optional(),
    timeoutMs: millisecondsSchema(1, 86_400_000).optional(),
    historyIntervalMs: millisecondsSchema(10, 60_000).optional(),
    socketTimeoutMs: millisecondsSchema(1, 120_000).optional(),
    cancelTimeoutMs: millisecondsSchema(1, 60_000).optional(),
    output: z
      .enum(['workflow', 'preview', 'websocket'], expected('"workflow", "preview" or "websocket"'))
      .optional(),
  },
  expected('an object of ComfyUI settings'),
);

/** {@link ComfyUISettings} once {@link comfyUISettingsSchema} has checked them. */
export type ParsedComfyUISettings = z.output<typeof comfyUISettingsSchema>;

/** What ComfyUI settings errors are about. */
export const comfyUISettingsSubject = 'ComfyUI settings';
