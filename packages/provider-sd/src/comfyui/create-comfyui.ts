import { randomInt, randomUUID } from 'node:crypto';
import {
  AbortError,
  createFingerprint,
  describeLeadingBytes,
  expected,
  type ImageRequest,
  type ImageResult,
  type Provider,
  ProviderError,
  parseWithSchema,
  ValidationError,
  type ValidationIssue,
} from '@layerloom/core';
import {
  basicAuthorization,
  createHttpClient,
  readServerAddress,
  serializeJsonBody,
} from '@layerloom/core/http';
import { z } from 'zod';
import { detectImageMediaType } from '../shared/detect-image-media-type.js';
import {
  baseUrlSchema,
  headersSchema,
  millisecondsSchema,
  nonEmptyStringSchema,
} from '../shared/settings-schemas.js';
import { type SnappedSize, snapServerSize } from '../shared/snap-server-size.js';
import { applyWorkflowValues } from './apply-workflow-values.js';
import { cancelComfyUIPrompt } from './cancel-comfyui-prompt.js';
import { chooseOutputImage } from './choose-output-image.js';
import {
  type ComfyUIImageDefaults,
  comfyUIImageDefaultsSchema,
  comfyUIInputOverridesSchema,
} from './comfyui-image-defaults.js';
import {
  type ComfyUINodeMapping,
  type ComfyUIValueName,
  comfyUINodeMappingSchema,
  type ResolvedNodeMapping,
  resolveNodeMapping,
} from './comfyui-node-mapping.js';
import {
  type ComfyUIInputValue,
  type ComfyUIWorkflow,
  comfyUIWorkflowSchema,
  isUserInterfaceWorkflow,
} from './comfyui-workflow.js';
import { describeComfyUIError, describeComfyUINodeErrors } from './describe-comfyui-error.js';
import { inferNodeMapping } from './infer-node-mapping.js';
import { type ComfyUISocket, openComfyUISocket } from './open-comfyui-socket.js';
import { sdxlImageToImageNodes, sdxlImageToImageWorkflow } from './sdxl-image-to-image-workflow.js';
import { sdxlTextToImageNodes, sdxlTextToImageWorkflow } from './sdxl-text-to-image-workflow.js';
import { uploadComfyUIImage } from './upload-comfyui-image.js';
import { waitForComfyUIPrompt } from './wait-for-comfyui-prompt.js';

/** Settings of {@link createComfyUI}. */
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
}

/** What {@link createComfyUI} returns. */
export interface ComfyUIAdapter {
  /**
   * A provider with the adapter's workflows and these defaults.
   *
   * @param defaults - steps, CFG, sampler, raw node inputs… for every call.
   * @throws ValidationError when `defaults` are malformed.
   */
  image(defaults?: ComfyUIImageDefaults): Provider;
  /**
   * A provider that loads a given checkpoint (into the input `nodes.checkpoint` names).
   *
   * @param checkpoint - a checkpoint file name as ComfyUI lists it, e.g.
   *   `sd_xl_base_1.0.safetensors`. `undefined` keeps the workflow's own.
   * @param defaults - steps, CFG, sampler, raw node inputs… for every call.
   * @throws ValidationError when the workflows have no checkpoint input or `defaults` are
   *   malformed.
   */
  image(checkpoint: string | undefined, defaults?: ComfyUIImageDefaults): Provider;
  /** Closes the keep-alive connections. Providers built by `image()` stop working. */
  close(): Promise<void>;
}

/** A workflow with its checked mapping. */
interface Route {
  readonly workflow: ComfyUIWorkflow;
  readonly mapping: ResolvedNodeMapping;
  readonly field: 'nodes' | 'imageNodes';
}

const settingsSchema = z.strictObject(
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
  },
  expected('an object of ComfyUI settings'),
);

const subject = 'ComfyUI settings';
const optionsSchema = z.looseObject({ inputs: comfyUIInputOverridesSchema.optional() });
const checkpointSchema = nonEmptyStringSchema.optional();

function readWorkflow(value: unknown, field: string): ComfyUIWorkflow {
  if (isUserInterfaceWorkflow(value)) {
    throw ValidationError.field(
      [field],
      `Expected \`${field}\` to be a workflow in API format, got one in the UI format (with \`nodes\` and \`links\`); export it with "Save (API Format)"`,
      subject,
    );
  }
  const wrapped = parseWithSchema(
    z.object({ [field]: comfyUIWorkflowSchema }),
    { [field]: value },
    subject,
  );
  return wrapped[field] as ComfyUIWorkflow;
}

function readMapping(
  value: unknown,
  workflow: ComfyUIWorkflow,
  field: 'nodes' | 'imageNodes',
  workflowField: string,
): ComfyUINodeMapping {
  if (value === undefined) {
    const inferred = inferNodeMapping(workflow);
    if (inferred.mapping !== undefined) return inferred.mapping;
    throw ValidationError.field(
      [field],
      `\`${field}\` could not be inferred from \`${workflowField}\` (${inferred.problem}); pass \`${field}\``,
      subject,
    );
  }
  const wrapped = parseWithSchema(
    z.object({ [field]: comfyUINodeMappingSchema }),
    { [field]: value },
    subject,
  );
  return wrapped[field] as ComfyUINodeMapping;
}

function readRoutes(settings: z.output<typeof settingsSchema>): {
  text: Route | undefined;
  image: Route | undefined;
} {
  const issues: ValidationIssue[] = [];
  const custom = settings.workflow !== undefined;
  const textWorkflow = custom
    ? readWorkflow(settings.workflow, 'workflow')
    : sdxlTextToImageWorkflow;
  const textMapping =
    settings.nodes === undefined && !custom
      ? sdxlTextToImageNodes
      : readMapping(settings.nodes, textWorkflow, 'nodes', 'workflow');
  const text = resolveNodeMapping(textMapping, textWorkflow, 'nodes');
  issues.push(...text.issues);

  let image: ReturnType<typeof resolveNodeMapping> | undefined;
  let imageWorkflow: ComfyUIWorkflow | undefined;
  if (settings.imageWorkflow !== undefined) {
    imageWorkflow = readWorkflow(settings.imageWorkflow, 'imageWorkflow');
    const mapping = readMapping(settings.imageNodes, imageWorkflow, 'imageNodes', 'imageWorkflow');
    image = resolveNodeMapping(mapping, imageWorkflow, 'imageNodes');
  } else if (!custom) {
    imageWorkflow = sdxlImageToImageWorkflow;
    const mapping =
      settings.imageNodes === undefined
        ? sdxlImageToImageNodes
        : readMapping(settings.imageNodes, imageWorkflow, 'imageNodes', 'imageWorkflow');
    image = resolveNodeMapping(mapping, imageWorkflow, 'imageNodes');
  } else if (settings.imageNodes !== undefined) {
    issues.push({
      path: ['imageNodes'],
      message: '`imageNodes` maps `imageWorkflow`, which is missing: pass `imageWorkflow` too',
    });
  }
  if (image !== undefined) {
    issues.push(...image.issues);
    if (image.issues.length === 0 && image.mapping.targets.image === undefined) {
      issues.push({
        path: ['imageNodes', 'image'],
        message:
          '`imageNodes.image`: the image workflow needs an input for the uploaded image, got nothing',
      });
    }
  }
  const textTakesImage = text.mapping.targets.image !== undefined;
  if (textTakesImage && settings.imageWorkflow !== undefined) {
    issues.push({
      path: ['nodes', 'image'],
      message:
        '`nodes.image`: `workflow` must be text-to-image when `imageWorkflow` is set, but it takes an input image',
    });
  }
  if (issues.length > 0) throw new ValidationError(issues, { subject });

  const textRoute: Route = { workflow: textWorkflow, mapping: text.mapping, field: 'nodes' };
  if (textTakesImage) return { text: undefined, image: textRoute };
  return {
    text: textRoute,
    image:
      image === undefined || imageWorkflow === undefined
        ? undefined
        : { workflow: imageWorkflow, mapping: image.mapping, field: 'imageNodes' },
  };
}

/** The value a template holds at a mapping's first target of `name`, when it is a string. */
function templateValue(route: Route | undefined, name: ComfyUIValueName): string | undefined {
  const target = route?.mapping.targets[name]?.[0];
  if (target === undefined) return undefined;
  const value = route!.workflow[target.node]?.inputs[target.input];
  return typeof value === 'string' ? value : undefined;
}

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

/**
 * Creates an adapter for a ComfyUI server: a workflow template in API format with the prompt,
 * seed, size, input image and checkpoint injected per call, progress and previews over the
 * WebSocket (with `GET /history` as the fallback), outputs fetched with `GET /view`, and the
 * prompt interrupted or removed from the queue on abort.
 *
 * @param settings - base URL, workflows and their node mappings, limits.
 * @returns an object whose `.image(checkpoint?, defaults?)` builds a {@link Provider}.
 * @throws ValidationError when a setting is malformed, or a mapping names a node or input the
 *   workflow does not have (naming both).
 *
 * @example
 * const comfy = createComfyUI({ baseURL: 'http://127.0.0.1:8188' }); // the shipped SDXL graphs
 * const sdxl = comfy.image('sd_xl_base_1.0.safetensors', { steps: 25 });
 */
export function createComfyUI(settings: ComfyUISettings): ComfyUIAdapter {
  const parsed = parseWithSchema(settingsSchema, settings, subject);
  const routes = readRoutes(parsed);
  const address = readServerAddress(parsed.baseURL);
  const id = parsed.id ?? 'comfyui';
  const timeoutMs = parsed.timeoutMs ?? 600_000;
  const historyIntervalMs = parsed.historyIntervalMs ?? 1000;
  const socketTimeoutMs = parsed.socketTimeoutMs ?? 10_000;
  const cancelTimeoutMs = parsed.cancelTimeoutMs ?? 5000;
  const headers: Record<string, string> = {
    ...parsed.headers,
    ...(address.credentials === undefined
      ? {}
      : { authorization: basicAuthorization(address.credentials) }),
  };
  const http = createHttpClient({
    provider: id,
    baseURL: address.baseURL,
    headers,
    secrets: address.credentials === undefined ? [] : [address.credentials.password],
    timeoutMs,
    headersTimeoutMs: Math.min(timeoutMs, 300_000),
    bodyTimeoutMs: Math.min(timeoutMs, 300_000),
    describeError: describeComfyUIError,
  });
  const socketUrl = (clientId: string) => {
    const url = http.url('/ws', { clientId });
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url;
  };
  const used = [routes.text, routes.image].filter((route): route is Route => route !== undefined);

  function image(
    first?: string | ComfyUIImageDefaults,
    second: ComfyUIImageDefaults = {},
  ): Provider {
    const checkpoint = parseWithSchema(
      checkpointSchema,
      typeof first === 'string' || first === undefined ? first : undefined,
      'ComfyUI checkpoint',
    );
    const defaults = parseWithSchema(
      comfyUIImageDefaultsSchema,
      typeof first === 'object' && first !== null ? first : second,
      'ComfyUI defaults',
    );
    if (checkpoint !== undefined) {
      const missing = used.filter((route) => route.mapping.targets.checkpoint === undefined);
      if (missing.length > 0) {
        throw new ValidationError(
          missing.map((route) => ({
            path: [route.field, 'checkpoint'],
            message: `\`${route.field}.checkpoint\`: a checkpoint was chosen (${JSON.stringify(checkpoint)}) but the workflow has no checkpoint input mapped`,
          })),
          { subject },
        );
      }
    }
    const minSize = defaults.minSize ?? 64;
    const maxSize = defaults.maxSize ?? 4096;
    if (minSize > maxSize) {
      throw ValidationError.field(
        ['maxSize'],
        `Expected \`maxSize\` to be at least \`minSize\` (${minSize}), got \`${maxSize}\` (number)`,
        'ComfyUI defaults',
      );
    }
    const primary = routes.text ?? routes.image;

    async function generate(request: ImageRequest): Promise<ImageResult> {
      const what = `The ${id} prompt`;
      if (request.signal.aborted) throw AbortError.fromSignal(request.signal, what);
      const warnings: string[] = [];
      let route = request.image === undefined ? routes.text : routes.image;
      if (route === undefined && request.image !== undefined) {
        route = routes.text;
        warnings.push('This ComfyUI workflow takes no input image; `image` was not sent.');
      }
      if (route === undefined) {
        throw ValidationError.field(
          ['image'],
          'Expected an input image: this ComfyUI workflow is image-to-image only, got nothing',
          'ComfyUI request',
        );
      }
      const options = parseWithSchema(
        optionsSchema,
        request.options ?? {},
        'ComfyUI request options',
      );
      const ignored = Object.keys(options).filter((key) => key !== 'inputs');
      if (ignored.length > 0) {
        warnings.push(
          `ComfyUI options take only \`inputs\`; ${ignored.map((key) => `\`${key}\``).join(', ')} ${ignored.length === 1 ? 'was' : 'were'} ignored.`,
        );
      }
      const targets = route.mapping.targets;
      const size: SnappedSize =
        targets.width !== undefined || targets.height !== undefined
          ? snapServerSize(request, { min: minSize, max: maxSize, multipleOf: 8 }, 'ComfyUI')
          : { width: request.width, height: request.height };
      if (size.warning !== undefined) warnings.push(size.warning);
      const seed = request.seed ?? (targets.seed === undefined ? undefined : randomInt(0, 2 ** 32));
      const usesImage = route === routes.image && request.image !== undefined;

      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      const run = AbortSignal.any([request.signal, deadline.signal]);
      let socket: ComfyUISocket | undefined;
      let promptId: string | undefined;
      try {
        const imageName = usesImage
          ? await uploadComfyUIImage(http, request.image!, { provider: id, signal: run })
          : undefined;
        let maskName: string | undefined;
        if (request.mask !== undefined) {
          if (usesImage && targets.mask !== undefined) {
            maskName = await uploadComfyUIImage(http, request.mask, { provider: id, signal: run });
          } else {
            warnings.push('This ComfyUI workflow takes no mask; `mask` was not sent.');
          }
        }
        if (request.strength !== undefined && !usesImage) {
          warnings.push('`strength` applies to an input image only; it was not sent.');
        }
        const values: Partial<Record<ComfyUIValueName, ComfyUIInputValue | undefined>> = {
          prompt: request.prompt,
          negativePrompt: request.negativePrompt ?? defaults.negativePrompt,
          seed,
          width: size.width,
          height: size.height,
          steps: defaults.steps,
          cfgScale: defaults.cfgScale,
          sampler: defaults.sampler,
          scheduler: defaults.scheduler,
          denoise: usesImage ? (request.strength ?? defaults.strength) : undefined,
          image: imageName,
          mask: maskName,
          checkpoint,
        };
        const applied = applyWorkflowValues(route.workflow, route.mapping, values, [
          defaults.inputs,
          options.inputs,
        ]);
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

        const clientId = randomUUID();
        const promptBody = serializeJsonBody(
          { prompt: applied.graph, client_id: clientId },
          'options',
          'ComfyUI request',
        );
        try {
          socket = await openComfyUISocket({
            url: socketUrl(clientId),
            headers,
            handshakeTimeoutMs: socketTimeoutMs,
            signal: run,
          });
        } catch (error) {
          if (run.aborted) throw error;
          warnings.push(
            `ComfyUI's WebSocket was unavailable (${http.redact(error instanceof Error ? error.message : String(error))}); the result was polled from /history, without progress.`,
          );
        }

        // Not tied to the abort signal: once sent, the prompt must be known to be cancelled.
        const submitted = await http.request({
          method: 'POST',
          path: '/prompt',
          body: promptBody,
          timeoutMs: Math.min(timeoutMs, 60_000),
        });
        const answer = submitted.json<{
          prompt_id?: unknown;
          number?: unknown;
          node_errors?: unknown;
        } | null>();
        if (typeof answer?.prompt_id !== 'string' || answer.prompt_id === '') {
          throw new ProviderError('ComfyUI POST /prompt answered without a `prompt_id`', {
            provider: id,
            status: submitted.status,
            retryable: false,
            code: 'provider_bad_response',
          });
        }
        promptId = answer.prompt_id;
        for (const line of describeComfyUINodeErrors(answer.node_errors)) {
          warnings.push(`ComfyUI skipped an output that failed validation: ${line}`);
        }
        run.throwIfAborted();

        const outcome = await waitForComfyUIPrompt({
          http,
          provider: id,
          promptId,
          socket,
          outputNode: route.mapping.output,
          historyIntervalMs,
          signal: run,
          onProgress: request.onProgress,
        });
        if (outcome.socketProblem !== undefined && socket !== undefined) {
          warnings.push(
            `ComfyUI's WebSocket dropped before the prompt finished (${outcome.socketProblem}); the result was read from /history.`,
          );
        }
        const chosen = chooseOutputImage(outcome.outputs, route.mapping.output);
        if (chosen === undefined) {
          const nodes = [...outcome.outputs.keys()];
          throw new ProviderError(
            `ComfyUI prompt ${promptId} finished without an output image${route.mapping.output === undefined ? '' : ` from node ${JSON.stringify(route.mapping.output)}`} (nodes with images: ${nodes.length === 0 ? 'none' : nodes.join(', ')})`,
            { provider: id, retryable: false, requestId: promptId, code: 'provider_bad_response' },
          );
        }
        const viewed = await http.request({
          path: '/view',
          query: { filename: chosen.filename, subfolder: chosen.subfolder, type: chosen.type },
          signal: run,
        });
        const mediaType = detectImageMediaType(viewed.body);
        if (mediaType === undefined) {
          throw new ProviderError(
            `ComfyUI GET /view returned a file that is not PNG, JPEG or WebP (${describeLeadingBytes(viewed.body)})`,
            {
              provider: id,
              status: viewed.status,
              retryable: false,
              requestId: promptId,
              code: 'provider_bad_response',
            },
          );
        }
        return {
          image: { bytes: viewed.body, mediaType },
          ...(seed === undefined ? {} : { seed }),
          requestId: promptId,
          warnings,
          providerMetadata: {
            promptId,
            ...(typeof answer.number === 'number' ? { queueNumber: answer.number } : {}),
            workflow: route.field === 'nodes' ? 'text-to-image' : 'image-to-image',
            output: { ...chosen },
            cachedNodes: [...outcome.cachedNodes],
            via: outcome.via,
          },
        };
      } catch (error) {
        if (!run.aborted) throw error;
        if (promptId !== undefined) await cancelComfyUIPrompt(http, promptId, cancelTimeoutMs);
        if (request.signal.aborted) throw AbortError.fromSignal(request.signal, what);
        throw new ProviderError(`${what} did not finish within ${timeoutMs} ms`, {
          provider: id,
          retryable: true,
          code: 'provider_timeout',
          ...(promptId === undefined ? {} : { requestId: promptId }),
        });
      } finally {
        clearTimeout(timer);
        socket?.close();
      }
    }

    const { minSize: _minSize, maxSize: _maxSize, ...painting } = defaults;
    const fingerprint = createFingerprint(
      {
        defaults: painting,
        workflows: used.map((route) => ({ workflow: route.workflow, mapping: route.mapping })),
      },
      'ComfyUI defaults',
    );
    return {
      id,
      modelId: checkpoint ?? templateValue(primary, 'checkpoint') ?? 'workflow',
      fingerprint,
      capabilities: {
        transparency: parsed.transparency ?? false,
        imageInput: routes.image !== undefined,
        mask: routes.image?.mapping.targets.mask !== undefined,
        seed: used.every((route) => route.mapping.targets.seed !== undefined),
        maxImagesPerCall: 1,
        sizes: { min: minSize, max: maxSize, multipleOf: 8 },
      },
      estimateCostUsd: () => 0,
      generate,
    };
  }

  return {
    image: image as ComfyUIAdapter['image'],
    close: () => http.close(),
  };
}
