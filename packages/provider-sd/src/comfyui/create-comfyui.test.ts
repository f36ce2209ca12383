import {
  AbortError,
  type ImageProgress,
  type ImageRequest,
  ProviderError,
  ValidationError,
} from '@layerloom/core';
import {
  createImageRequest,
  createTestCleanup,
  createTestServer,
  rejectionOf,
  thrownBy,
} from '@layerloom/core/testing';
import { delay, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFakeComfyUI,
  type FakeComfyUI,
  type FakeComfyUIRun,
} from '../../test/fake-comfyui-server.js';
import { solidPng } from '../../test/png-fixtures.js';
import type { ComfyUIInputValue } from './comfyui-workflow.js';
import { createComfyUI } from './create-comfyui.js';
import { sdxlImageToImageWorkflow } from './sdxl-image-to-image-workflow.js';
import { sdxlTextToImageWorkflow } from './sdxl-text-to-image-workflow.js';

const cleanup = createTestCleanup();
afterEach(() => cleanup.run());

async function fake(options: Parameters<typeof createFakeComfyUI>[0] = {}): Promise<FakeComfyUI> {
  return cleanup.track(await createFakeComfyUI(options));
}

function adapter(settings: Parameters<typeof createComfyUI>[0]) {
  return cleanup.track(createComfyUI({ historyIntervalMs: 20, ...settings }));
}

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a lighthouse at dusk', width: 832, height: 1216, ...fields });

describe('createComfyUI: text to image', () => {
  it('injects the request into the template, follows the socket and fetches the output', async () => {
    const server = await fake();
    const events: ImageProgress[] = [];
    const provider = adapter({ baseURL: server.url }).image('juggernautXL.safetensors', {
      steps: 25,
      cfgScale: 5.5,
      sampler: 'euler',
      scheduler: 'normal',
    });
    const result = await provider.generate(
      request({ negativePrompt: 'fog', seed: 7, onProgress: (progress) => events.push(progress) }),
    );

    expect(server.calls()).toEqual(['POST /prompt', 'GET /view']);
    const submitted = server.server.requests[0]!.json<{
      prompt: typeof sdxlTextToImageWorkflow;
      client_id: string;
    }>();
    expect(server.socketClients).toEqual([submitted.client_id]);
    const graph = submitted.prompt;
    expect(graph['6']!.inputs.text).toBe('a lighthouse at dusk');
    expect(graph['7']!.inputs.text).toBe('fog');
    expect(graph['5']!.inputs).toEqual({ width: 832, height: 1216, batch_size: 1 });
    expect(graph['4']!.inputs.ckpt_name).toBe('juggernautXL.safetensors');
    expect(graph['3']!.inputs).toEqual({
      ...sdxlTextToImageWorkflow['3']!.inputs,
      seed: 7,
      steps: 25,
      cfg: 5.5,
      sampler_name: 'euler',
      scheduler: 'normal',
    });
    // The template itself is untouched.
    expect(sdxlTextToImageWorkflow['6']!.inputs.text).toBe('');

    expect(server.server.requests[1]!.url.search).toBe(
      '?filename=layerloom_00001_.png&subfolder=&type=output',
    );
    expect(result.image).toEqual({ bytes: server.output, mediaType: 'image/png' });
    expect(result.seed).toBe(7);
    expect(result.requestId).toBe(server.runs[0]!.promptId);
    expect(result.warnings).toEqual([]);
    expect(result.providerMetadata).toMatchObject({
      promptId: server.runs[0]!.promptId,
      queueNumber: 0,
      workflow: 'text-to-image',
      output: { filename: 'layerloom_00001_.png', subfolder: '', type: 'output' },
      via: 'socket',
    });

    const preview = { bytes: server.preview, mediaType: 'image/png' };
    expect(events).toEqual([
      { fraction: 1 / 3 },
      { fraction: 1 / 3, preview },
      { fraction: 2 / 3 },
      { fraction: 2 / 3, preview },
      { fraction: 1 },
      { fraction: 1, preview },
    ]);
    expect(provider).toMatchObject({
      id: 'comfyui',
      modelId: 'juggernautXL.safetensors',
      capabilities: {
        transparency: false,
        imageInput: true,
        mask: false,
        seed: true,
        maxImagesPerCall: 1,
        sizes: { min: 64, max: 4096, multipleOf: 8 },
      },
    });
  });

  it('picks a random seed when none is given and reports it', async () => {
    const server = await fake();
    const provider = adapter({ baseURL: server.url }).image();
    expect(provider.modelId).toBe('sd_xl_base_1.0.safetensors');
    const result = await provider.generate(request({ width: 1001, height: 1003 }));
    const graph = server.server.requests[0]!.json<{ prompt: typeof sdxlTextToImageWorkflow }>()
      .prompt;
    expect(graph['3']!.inputs.seed).toBe(result.seed);
    expect(Number.isSafeInteger(result.seed)).toBe(true);
    expect(graph['5']!.inputs).toMatchObject({ width: 1000, height: 1000 });
    expect(result.warnings).toEqual([
      'ComfyUI needs sides that are multiples of 8 from 64 to 4096: 1001x1003 was sent as 1000x1000.',
    ]);
  });

  it('applies raw node inputs from the defaults and the request options, last', async () => {
    const server = await fake();
    const result = await adapter({ baseURL: server.url })
      .image({ steps: 20, inputs: { '3': { steps: 12, cfg: 3 } } })
      .generate(
        request({ options: { inputs: { '3': { cfg: 4 }, '99': { x: 1 } }, quality: 'hd' } }),
      );
    const graph = server.server.requests[0]!.json<{ prompt: typeof sdxlTextToImageWorkflow }>()
      .prompt;
    expect(graph['3']!.inputs).toMatchObject({ steps: 12, cfg: 4 });
    expect(result.warnings).toEqual([
      'ComfyUI options take only `inputs`; `quality` was ignored.',
      'This ComfyUI workflow has no node "99"; its `inputs` were ignored.',
    ]);
  });

  it('understands preview frames with metadata and ignores other prompts', async () => {
    const other = solidPng([1, 1, 1, 255]);
    const mine = solidPng([2, 2, 2, 255]);
    const server = await fake({
      run: (run) => {
        const prompt_id = run.promptId;
        run.state = 'running';
        run.send('progress', { value: 5, max: 10, prompt_id: 'someone-else', node: '3' });
        run.sendPreviewWithMetadata(other, {
          prompt_id: 'someone-else',
          node_id: '3',
          image_type: 'image/png',
        });
        run.sendPreviewWithMetadata(mine, { prompt_id, node_id: '3', image_type: 'image/png' });
        run.sendPreview(new Uint8Array([1, 2, 3]), 2);
        const ref = { filename: 'out.png', subfolder: 'day1', type: 'output' };
        run.saveFile(ref, mine);
        run.send('executed', { node: '9', output: { images: [ref] }, prompt_id });
        run.completeHistory({ '9': { images: [ref] } });
        run.send('executing', { node: null, prompt_id });
      },
    });
    const events: ImageProgress[] = [];
    const result = await adapter({ baseURL: server.url })
      .image()
      .generate(request({ onProgress: (progress) => events.push(progress) }));
    expect(events).toEqual([{ preview: { bytes: mine, mediaType: 'image/png' } }]);
    expect(result.image.bytes).toEqual(mine);
    expect(server.server.requests.at(-1)!.url.search).toBe(
      '?filename=out.png&subfolder=day1&type=output',
    );
  });
});

describe('createComfyUI: image to image', () => {
  it('uploads the input image, uses the name the server gave it, and maps strength to denoise', async () => {
    const server = await fake({ renameUploads: true });
    const input = solidPng([5, 6, 7, 255]);
    const result = await adapter({ baseURL: server.url })
      .image()
      .generate(
        request({ image: { bytes: input, mediaType: 'image/png' }, strength: 0.4, seed: 3 }),
      );

    expect(server.calls()).toEqual(['POST /upload/image', 'POST /prompt', 'GET /view']);
    const form = await server.server.requests[0]!.formData();
    const file = form.get('image') as File;
    expect(file.name).toMatch(/^layerloom-[0-9a-f]{24}\.png$/);
    expect(file.type).toBe('image/png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(input);
    expect(form.get('type')).toBe('input');
    expect(form.get('overwrite')).toBe('true');

    const graph = server.server.requests[1]!.json<{ prompt: typeof sdxlImageToImageWorkflow }>()
      .prompt;
    expect(graph['10']!.inputs.image).toBe(file.name.replace('.png', ' (1).png'));
    expect(graph['3']!.inputs).toMatchObject({ denoise: 0.4, seed: 3 });
    expect(graph['12']!.inputs).toMatchObject({ width: 832, height: 1216 });
    expect(result.providerMetadata).toMatchObject({ workflow: 'image-to-image' });
  });

  it('keeps the template denoise without strength, and warns about a mask it cannot use', async () => {
    const server = await fake();
    const result = await adapter({ baseURL: server.url })
      .image()
      .generate(
        request({
          image: { bytes: solidPng([5, 6, 7, 255]), mediaType: 'image/png' },
          mask: { bytes: solidPng([255, 255, 255, 255]), mediaType: 'image/png' },
        }),
      );
    const graph = server.server.requests[1]!.json<{ prompt: typeof sdxlImageToImageWorkflow }>()
      .prompt;
    expect(graph['3']!.inputs.denoise).toBe(0.75);
    expect(result.warnings).toEqual(['This ComfyUI workflow takes no mask; `mask` was not sent.']);
    expect(server.uploads.size).toBe(1);
  });
});

describe('createComfyUI: failures', () => {
  it('maps node_errors on submit to a ProviderError naming the nodes', async () => {
    const server = await fake({
      rejectPrompt: () =>
        HttpResponse.json(
          {
            error: {
              type: 'prompt_outputs_failed_validation',
              message: 'Prompt outputs failed validation',
              details: '',
              extra_info: {},
            },
            node_errors: {
              '4': {
                errors: [
                  {
                    type: 'value_not_in_list',
                    message: 'Value not in list',
                    details:
                      "ckpt_name: 'missing.safetensors' not in ['sd_xl_base_1.0.safetensors']",
                    extra_info: { input_name: 'ckpt_name' },
                  },
                ],
                dependent_outputs: ['9'],
                class_type: 'CheckpointLoaderSimple',
              },
            },
          },
          { status: 400 },
        ),
    });
    const error = await rejectionOf(
      adapter({ baseURL: server.url }).image('missing.safetensors').generate(request()),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      status: 400,
      retryable: false,
      providerCode: 'prompt_outputs_failed_validation',
    });
    expect((error as Error).message).toBe(
      "comfyui POST /prompt failed with HTTP 400: Prompt outputs failed validation; node 4 (CheckpointLoaderSimple) `ckpt_name`: Value not in list: ckpt_name: 'missing.safetensors' not in ['sd_xl_base_1.0.safetensors'] [value_not_in_list]",
    );
  });

  it('turns execution_error into a ProviderError with the node and exception', async () => {
    const server = await fake({
      run: (run) => {
        run.state = 'running';
        const data = {
          prompt_id: run.promptId,
          node_id: '3',
          node_type: 'KSampler',
          executed: ['4', '5'],
          exception_message: 'Expected all tensors to be on the same device',
          exception_type: 'RuntimeError',
          traceback: ['...'],
          current_inputs: {},
          current_outputs: {},
        };
        run.send('execution_error', data);
        run.failHistory([['execution_error', data]]);
      },
    });
    const error = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      retryable: false,
      providerCode: 'RuntimeError',
      requestId: server.runs[0]!.promptId,
    });
    expect((error as Error).message).toBe(
      `ComfyUI prompt ${server.runs[0]!.promptId} failed in node 3 (KSampler): RuntimeError: Expected all tensors to be on the same device`,
    );
  });

  it('reads an out-of-memory failure from the history as retryable', async () => {
    const server = await fake({
      refuseSocket: true,
      run: (run) => {
        run.failHistory([
          ['execution_start', { prompt_id: run.promptId }],
          [
            'execution_error',
            {
              prompt_id: run.promptId,
              node_id: '8',
              node_type: 'VAEDecode',
              exception_type: 'torch.OutOfMemoryError',
              exception_message: 'Allocation on device',
            },
          ],
        ]);
      },
    });
    const error = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect(error).toMatchObject({ retryable: true, providerCode: 'torch.OutOfMemoryError' });
  });

  it('reports a prompt interrupted by someone else as retryable', async () => {
    const server = await fake({
      run: (run) => {
        run.state = 'running';
        run.send('execution_interrupted', {
          prompt_id: run.promptId,
          node_id: '3',
          node_type: 'KSampler',
          executed: [],
        });
      },
    });
    const error = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect(error).toMatchObject({ retryable: true, providerCode: 'execution_interrupted' });
  });

  it('falls back to /history when the socket drops, then fetches the outputs', async () => {
    let polls = 0;
    const server = await fake({
      run: async (run) => {
        const prompt_id = run.promptId;
        run.state = 'running';
        run.send('progress', { value: 1, max: 4, prompt_id, node: '3' });
        await delay(20);
        run.dropSocket();
        await delay(60);
        const ref = { filename: 'late.png', subfolder: '', type: 'output' };
        run.saveFile(ref, solidPng([8, 8, 8, 255]));
        run.state = 'done';
        run.completeHistory({ '9': { images: [ref] } });
      },
    });
    const events: ImageProgress[] = [];
    const result = await adapter({ baseURL: server.url })
      .image()
      .generate(request({ onProgress: (progress) => events.push(progress) }));
    polls = server.calls().filter((path) => path.startsWith('GET /history/')).length;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(server.calls().at(-1)).toBe('GET /view');
    expect(server.server.requests.at(-1)!.url.search).toBe(
      '?filename=late.png&subfolder=&type=output',
    );
    expect(result.image.bytes).toEqual(solidPng([8, 8, 8, 255]));
    expect(events).toEqual([{ fraction: 0.25 }]);
    expect(result.providerMetadata).toMatchObject({ via: 'history' });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /WebSocket dropped before the prompt finished .*read from \/history/,
    );
  });

  it('reads a cached output from /history (no executed message)', async () => {
    const server = await fake({
      run: async (run) => {
        const prompt_id = run.promptId;
        run.state = 'running';
        run.send('execution_cached', { nodes: ['3', '4', '5', '6', '7', '8', '9'], prompt_id });
        run.send('executing', { node: null, prompt_id });
        const ref = { filename: 'cached.png', subfolder: '', type: 'output' };
        run.saveFile(ref, solidPng([4, 4, 4, 255]));
        await delay(50);
        run.completeHistory({ '9': { images: [ref] } });
      },
    });
    const result = await adapter({ baseURL: server.url })
      .image()
      .generate(request({ seed: 1 }));
    expect(result.image.bytes).toEqual(solidPng([4, 4, 4, 255]));
    expect(result.providerMetadata).toMatchObject({
      cachedNodes: ['3', '4', '5', '6', '7', '8', '9'],
      via: 'socket',
    });
  });

  it('polls /history when the WebSocket is refused, with a warning', async () => {
    const server = await fake({ refuseSocket: true });
    const result = await adapter({ baseURL: server.url }).image().generate(request());
    expect(result.image.bytes).toEqual(server.output);
    expect(server.calls()).toContain(`GET /history/${server.runs[0]!.promptId}`);
    expect(result.warnings[0]).toMatch(
      /WebSocket was unavailable \(Unexpected server response: 401\)/,
    );
  });

  it('fails when the prompt produced no image', async () => {
    const server = await fake({
      run: (run) => {
        run.completeHistory({});
        run.send('executing', { node: null, prompt_id: run.promptId });
      },
    });
    const error = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect(error).toMatchObject({ code: 'provider_bad_response', retryable: false });
    expect((error as Error).message).toContain(
      'without an output image from node "9" (nodes with images: none)',
    );
  });

  it('gives a retryable connection error naming the URL when the server is down', async () => {
    const closed = await createTestServer();
    const url = closed.url;
    await closed.close();
    const error = await rejectionOf(adapter({ baseURL: url }).image().generate(request()));
    expect(error).toMatchObject({
      code: 'provider_connection_error',
      retryable: true,
      provider: 'comfyui',
    });
    expect((error as Error).message).toContain(`cannot reach ${url}`);
  });
});

describe('createComfyUI: abort and timeout', () => {
  const hang = (run: FakeComfyUIRun) => {
    run.state = 'running';
    run.send('progress', { value: 1, max: 30, prompt_id: run.promptId, node: '3' });
    void run.interrupted.then(() => {
      run.state = 'done';
      run.send('execution_interrupted', {
        prompt_id: run.promptId,
        node_id: '3',
        node_type: 'KSampler',
        executed: [],
      });
    });
  };

  it('interrupts the running prompt, then settles with an AbortError', async () => {
    const server = await fake({ run: hang });
    const controller = new AbortController();
    const pending = adapter({ baseURL: server.url })
      .image()
      .generate(request({ signal: controller.signal }));
    await delay(60);
    controller.abort();
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(AbortError);
    expect(server.controlCalls).toEqual([
      { path: '/interrupt', body: { prompt_id: server.runs[0]!.promptId } },
    ]);
    expect(server.calls().slice(-2)).toEqual(['GET /queue', 'POST /interrupt']);
  });

  it('deletes a prompt that is still pending', async () => {
    const server = await fake({ run: () => {} });
    const controller = new AbortController();
    const pending = adapter({ baseURL: server.url })
      .image()
      .generate(request({ signal: controller.signal }));
    await delay(60);
    controller.abort();
    expect(await rejectionOf(pending)).toBeInstanceOf(AbortError);
    expect(server.controlCalls).toEqual([
      { path: '/queue', body: { delete: [server.runs[0]!.promptId] } },
    ]);
    expect(server.runs[0]!.state).toBe('done');
  });

  it('sends nothing for an already aborted signal', async () => {
    const server = await fake();
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(
      adapter({ baseURL: server.url })
        .image()
        .generate(request({ signal: controller.signal })),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(server.server.requests).toEqual([]);
    expect(server.socketClients).toEqual([]);
  });

  it('times out, cancelling the prompt, with a retryable ProviderError', async () => {
    const server = await fake({ run: hang });
    const error = await rejectionOf(
      adapter({ baseURL: server.url, timeoutMs: 150 }).image().generate(request()),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'provider_timeout',
      retryable: true,
      requestId: server.runs[0]!.promptId,
    });
    expect(server.controlCalls.map((call) => call.path)).toEqual(['/interrupt']);
  });
});

describe('createComfyUI: settings and mappings', () => {
  const error = (run: () => unknown) => thrownBy(run, ValidationError);

  it('names a node id the workflow does not have', () => {
    const thrown = error(() =>
      createComfyUI({
        baseURL: 'http://127.0.0.1:8188',
        workflow: sdxlTextToImageWorkflow,
        nodes: { prompt: '6.text', seed: '33.seed' },
      }),
    );
    expect(thrown.issues).toEqual([
      {
        path: ['nodes', 'seed'],
        message: '`nodes.seed`: the workflow has no node "33" (its nodes: 3, 4, 5, 6, 7, 8, 9)',
      },
    ]);
  });

  it('names an input a node does not have, for the object form and lists too', () => {
    const thrown = error(() =>
      createComfyUI({
        baseURL: 'http://127.0.0.1:8188',
        workflow: sdxlTextToImageWorkflow,
        nodes: {
          prompt: [
            { node: '6', input: 'text' },
            { node: '7', input: 'txt' },
          ],
          seed: { node: '3', input: 'noise_seed' },
        },
      }),
    );
    expect(thrown.issues.map((issue) => issue.message)).toEqual([
      '`nodes.prompt[1]`: node "7" (CLIPTextEncode) has no input "txt" (its inputs: text, clip)',
      '`nodes.seed`: node "3" (KSampler) has no input "noise_seed" (its inputs: seed, steps, cfg, sampler_name, scheduler, denoise, model, positive, negative, latent_image)',
    ]);
  });

  it('rejects malformed mappings and workflows, and UI-format workflows with a hint', () => {
    expect(
      error(() => createComfyUI({ baseURL: 'http://h', nodes: { seed: '3.seed' } as never }))
        .message,
    ).toContain('`nodes.prompt`');
    expect(
      error(() => createComfyUI({ baseURL: 'http://h', nodes: { prompt: 'no-dot' } })).message,
    ).toContain('nodes.prompt');
    expect(
      error(() =>
        createComfyUI({ baseURL: 'http://h', workflow: { '1': { inputs: {} } } as never }),
      ).message,
    ).toContain('workflow.1.class_type');
    expect(
      error(() =>
        createComfyUI({ baseURL: 'http://h', workflow: { nodes: [], links: [] } as never }),
      ).message,
    ).toContain('Save (API Format)');
  });

  it('infers the mapping of a custom workflow of the usual shape', async () => {
    const server = await fake();
    const provider = adapter({ baseURL: server.url, workflow: sdxlTextToImageWorkflow }).image();
    expect(provider.capabilities.imageInput).toBe(false);
    await provider.generate(request({ seed: 11 }));
    const graph = server.server.requests[0]!.json<{ prompt: typeof sdxlTextToImageWorkflow }>()
      .prompt;
    expect(graph['3']!.inputs.seed).toBe(11);
    expect(graph['6']!.inputs.text).toBe('a lighthouse at dusk');
  });

  it('says when a mapping cannot be inferred', () => {
    const { '3': _sampler, ...withoutSampler } = sdxlTextToImageWorkflow;
    expect(
      error(() => createComfyUI({ baseURL: 'http://h', workflow: withoutSampler })).message,
    ).toBe(
      'Invalid ComfyUI settings: `nodes` could not be inferred from `workflow` (expected exactly one sampler node (KSampler, KSamplerAdvanced, SamplerCustom or SamplerCustomAdvanced), found 0); pass `nodes`',
    );
  });

  it('serves image requests from a workflow whose mapping names `image`', async () => {
    const server = await fake();
    const provider = adapter({ baseURL: server.url, workflow: sdxlImageToImageWorkflow }).image();
    expect(provider.capabilities.imageInput).toBe(true);
    await provider.generate(
      request({ image: { bytes: solidPng([1, 1, 1, 255]), mediaType: 'image/png' } }),
    );
    expect(server.calls()[0]).toBe('POST /upload/image');
    await expect(provider.generate(request())).rejects.toThrow(/image-to-image only/);
  });

  it('requires a checkpoint input when a checkpoint is chosen', () => {
    const { '4': loader, ...rest } = sdxlTextToImageWorkflow;
    const workflow = {
      ...rest,
      '40': { ...loader!, class_type: 'UNETLoader', inputs: { unet_name: 'flux.safetensors' } },
    };
    const comfy = createComfyUI({
      baseURL: 'http://h',
      workflow,
      nodes: { prompt: '6.text', seed: '3.seed' },
    });
    expect(comfy.image().modelId).toBe('workflow');
    expect(error(() => comfy.image('other.safetensors')).message).toContain('`nodes.checkpoint`');
  });

  it('turns option inputs JSON cannot hold into a ValidationError', async () => {
    const server = await fake();
    const error = await rejectionOf(
      adapter({ baseURL: server.url })
        .image()
        .generate(request({ options: { inputs: { '3': { cfg: 10n } } } })),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(server.runs).toEqual([]);
  });

  it('copies a custom workflow at creation and keeps the shipped ones frozen', async () => {
    const server = await fake();
    const workflow = structuredClone(sdxlTextToImageWorkflow) as Record<
      string,
      { class_type: string; inputs: Record<string, ComfyUIInputValue> }
    >;
    const provider = adapter({ baseURL: server.url, workflow }).image();
    workflow['6']!.inputs.clip = 'changed later';
    await provider.generate(request());
    const graph = server.server.requests[0]!.json<{ prompt: typeof sdxlTextToImageWorkflow }>()
      .prompt;
    expect(graph['6']!.inputs.clip).toEqual(['4', 1]);
    expect(Object.isFrozen(sdxlTextToImageWorkflow['3']!.inputs)).toBe(true);
  });

  it('fingerprints the workflows, mappings and defaults', () => {
    const shipped = createComfyUI({ baseURL: 'http://h' });
    const custom = createComfyUI({ baseURL: 'http://h', workflow: sdxlTextToImageWorkflow });
    expect(shipped.image().fingerprint).toBe(
      createComfyUI({ baseURL: 'http://other' }).image().fingerprint,
    );
    expect(custom.image().fingerprint).not.toBe(shipped.image().fingerprint);
    expect(shipped.image({ steps: 10 }).fingerprint).not.toBe(shipped.image().fingerprint);
    expect(shipped.image({ maxSize: 2048 }).fingerprint).toBe(shipped.image().fingerprint);
  });

  it('validates settings and defaults, naming the field', () => {
    expect(error(() => createComfyUI({ baseURL: 'localhost:8188' })).message).toContain(
      '`baseURL`',
    );
    expect(
      error(() => createComfyUI({ baseURL: 'http://h', historyIntervalMs: 0 })).message,
    ).toContain('historyIntervalMs');
    const comfy = createComfyUI({ baseURL: 'http://h' });
    expect(error(() => comfy.image({ steps: 1.5 })).message).toContain('`steps`');
    expect(error(() => comfy.image({ inputs: { '3': 5 } as never })).message).toContain('inputs.3');
    expect(comfy.image({ maxSize: 2048 }).capabilities.sizes).toEqual({
      min: 64,
      max: 2048,
      multipleOf: 8,
    });
  });
});
