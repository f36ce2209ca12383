import { randomUUID } from 'node:crypto';
import {
  AbortError,
  createFingerprint,
  type ImageRequest,
  type ImageResult,
  type Provider,
  ProviderError,
  parseWithSchema,
  ValidationError,
} from '@layerloom/core';
import {
  basicAuthorization,
  convertMask,
  createHttpClient,
  readServerAddress,
} from '@layerloom/core/http';
import { nonEmptyStringSchema } from '../shared/settings-schemas.js';
import { applyComfyUIBinding } from './apply-comfyui-binding.js';
import { buildComfyUIPrompt } from './build-comfyui-prompt.js';
import { cancelComfyUIPrompt } from './cancel-comfyui-prompt.js';
import { comfyUIMaskConvention } from './choose-comfyui-output-node.js';
import { type ComfyUIImageDefaults, comfyUIImageDefaultsSchema } from './comfyui-image-defaults.js';
import {
  type ComfyUISettings,
  comfyUISettingsSchema,
  comfyUISettingsSubject,
} from './comfyui-settings.js';
import { describeComfyUIError } from './describe-comfyui-error.js';
import { countComfyUISamplers } from './infer-node-mapping.js';
import { type ComfyUISocket, openComfyUISocket } from './open-comfyui-socket.js';
import { planComfyUIRequest } from './plan-comfyui-request.js';
import { readComfyUIOutput } from './read-comfyui-output.js';
import { type ComfyUIRoute, readComfyUIRoutes, readTemplateValue } from './read-comfyui-routes.js';
import { submitComfyUIPrompt } from './submit-comfyui-prompt.js';
import { uploadComfyUIImage } from './upload-comfyui-image.js';
import { waitForComfyUIPrompt } from './wait-for-comfyui-prompt.js';

export type { ComfyUISettings } from './comfyui-settings.js';

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

const checkpointSchema = nonEmptyStringSchema.optional();

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
  const parsed = parseWithSchema(comfyUISettingsSchema, settings, comfyUISettingsSubject);
  const routes = readComfyUIRoutes(parsed);
  const address = readServerAddress(parsed.baseURL);
  const id = parsed.id ?? 'comfyui';
  const timeoutMs = parsed.timeoutMs ?? 600_000;
  const historyIntervalMs = parsed.historyIntervalMs ?? 1000;
  const socketTimeoutMs = parsed.socketTimeoutMs ?? 10_000;
  const cancelTimeoutMs = parsed.cancelTimeoutMs ?? 5000;
  const outputVia = parsed.output ?? 'workflow';
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
  const used = [routes.text, routes.image].filter(
    (route): route is ComfyUIRoute => route !== undefined,
  );
  /** Whether a route's result comes over the WebSocket (a `SaveImageWebsocket` output). */
  const streamsOutput = (route: ComfyUIRoute) =>
    route.mapping.output !== undefined &&
    (outputVia === 'websocket' ||
      route.workflow[route.mapping.output]?.class_type === 'SaveImageWebsocket');
  if (outputVia !== 'workflow') {
    const missing = used.filter((route) => route.mapping.output === undefined);
    if (missing.length > 0) {
      throw new ValidationError(
        missing.map((route) => ({
          path: [route.field, 'output'],
          message: `\`output: "${outputVia}"\` swaps the workflow's output node, but \`${route.field}\` names none and none was found (one SaveImage, PreviewImage or SaveImageWebsocket)`,
        })),
        { subject: comfyUISettingsSubject },
      );
    }
  }

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
          { subject: comfyUISettingsSubject },
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
      const bound = applyComfyUIBinding(request.binding, routes);
      const plan = planComfyUIRequest(request, { routes: bound.routes, minSize, maxSize });
      const { route, usesImage, size, seed } = plan;
      const targets = route.mapping.targets;
      const warnings = [...plan.warnings, ...bound.warnings];

      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      const run = AbortSignal.any([request.signal, deadline.signal]);
      let socket: ComfyUISocket | undefined;
      let promptId: string | undefined;
      const clientId = randomUUID();
      // Chosen here, not by the server: a POST /prompt that times out can still be cancelled.
      const chosenPromptId = randomUUID();
      try {
        const imageName = usesImage
          ? await uploadComfyUIImage(http, request.image!, { provider: id, signal: run })
          : undefined;
        let maskName: string | undefined;
        if (request.mask !== undefined) {
          if (usesImage && targets.mask !== undefined) {
            // Layerloom's mask (white = repaint) in the convention of the node that loads it.
            const converted = convertMask(
              request.mask,
              comfyUIMaskConvention(route.workflow, targets.mask[0]!.node),
            );
            maskName = await uploadComfyUIImage(http, converted, { provider: id, signal: run });
          } else {
            warnings.push('This ComfyUI workflow takes no mask; `mask` was not sent.');
          }
        }
        if (request.strength !== undefined && !usesImage) {
          warnings.push('`strength` applies to an input image only; it was not sent.');
        }
        const prompt = buildComfyUIPrompt({
          route,
          request,
          values: {
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
            ...bound.values,
          },
          overrides: [defaults.inputs, bound.inputs, plan.inputs],
          loras: bound.loras,
          clientId,
          promptId: chosenPromptId,
          outputVia,
        });
        warnings.push(...prompt.warnings);

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

        if (streamsOutput(route) && socket === undefined) {
          throw new ProviderError(
            `${what} cannot return its image: \`output: "websocket"\` needs ComfyUI's WebSocket, which was unavailable`,
            { provider: id, retryable: true, code: 'provider_connection_error' },
          );
        }
        let submitted: Awaited<ReturnType<typeof submitComfyUIPrompt>>;
        try {
          submitted = await submitComfyUIPrompt(http, prompt.body, {
            provider: id,
            timeoutMs: Math.min(timeoutMs, 60_000),
          });
        } catch (error) {
          // No answer (a timeout, a dropped connection): the prompt may be queued all the same.
          if (error instanceof ProviderError && error.status === undefined) {
            await cancelComfyUIPrompt(http, chosenPromptId, cancelTimeoutMs);
          }
          throw error;
        }
        promptId = submitted.promptId;
        warnings.push(...submitted.warnings);
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
          samplerCount: countComfyUISamplers(route.workflow),
          websocketOutputNode: streamsOutput(route) ? route.mapping.output : undefined,
        });
        if (outcome.socketProblem !== undefined && socket !== undefined) {
          warnings.push(
            `ComfyUI's WebSocket dropped before the prompt finished (${outcome.socketProblem}); the result was read from /history.`,
          );
        }
        const streamed = outcome.websocketImages.at(-1);
        const output =
          streamed === undefined
            ? await readComfyUIOutput(http, {
                provider: id,
                promptId,
                outputs: outcome.outputs,
                outputNode: route.mapping.output,
                signal: run,
              })
            : { image: streamed, file: { via: 'websocket', node: route.mapping.output } };
        return {
          image: output.image,
          ...(seed === undefined ? {} : { seed }),
          requestId: promptId,
          warnings,
          providerMetadata: {
            promptId,
            ...(submitted.queueNumber === undefined ? {} : { queueNumber: submitted.queueNumber }),
            workflow: route.field === 'nodes' ? 'text-to-image' : 'image-to-image',
            output: { ...output.file },
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
      modelId: checkpoint ?? readTemplateValue(primary, 'checkpoint') ?? 'workflow',
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
