import { readFileSync } from 'node:fs';
import { decodePng, encodePng, type ImageProgress, type ImageRequest } from '@layerloom/core';
import { createImageRequest, createTestCleanup, rejectionOf } from '@layerloom/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeComfyUI, type FakeComfyUI, graphRun } from '../../test/fake-comfyui-server.js';
import { solidPng } from '../../test/png-fixtures.js';
import type { ComfyUIWorkflow } from './comfyui-workflow.js';
import { createComfyUI } from './create-comfyui.js';
import { inferNodeMapping } from './infer-node-mapping.js';
import { comfyUIClientFeatureFlags } from './open-comfyui-socket.js';

const graph = (name: string): ComfyUIWorkflow =>
  JSON.parse(readFileSync(new URL(`../../test/graphs/${name}.json`, import.meta.url), 'utf8'));

const cleanup = createTestCleanup();
afterEach(() => cleanup.run());

async function fake(options: Parameters<typeof createFakeComfyUI>[0] = {}): Promise<FakeComfyUI> {
  let server: FakeComfyUI;
  const created = await createFakeComfyUI({
    run: (run) => graphRun(run, { output: server.output, preview: server.preview }),
    ...options,
  });
  server = created;
  return cleanup.track(created);
}
const adapter = (settings: Parameters<typeof createComfyUI>[0]) =>
  cleanup.track(createComfyUI({ historyIntervalMs: 20, ...settings }));
const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a red kite', width: 1024, height: 1024, seed: 99, ...fields });
type Submitted = {
  prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  client_id: string;
  prompt_id: string;
};
const submitted = (server: FakeComfyUI) =>
  server.server.requests.find((entry) => entry.path === '/prompt')!.json<Submitted>();

describe('inferNodeMapping: modern graphs (committed test graphs)', () => {
  it('Flux: SamplerCustomAdvanced, RandomNoise, BasicGuider through FluxGuidance, UNETLoader', () => {
    expect(inferNodeMapping(graph('flux-dev-custom-advanced')).mapping).toEqual({
      prompt: '4.text',
      seed: '9.noise_seed',
      steps: '8.steps',
      sampler: '7.sampler_name',
      scheduler: '8.scheduler',
      denoise: '8.denoise',
      width: '10.width',
      height: '10.height',
      checkpoint: '1.unet_name',
      output: '13',
    });
  });

  it('SD3.5: CFGGuider, a prompt from a PrimitiveStringMultiline, a negative through ConditioningSetTimestepRange', () => {
    expect(inferNodeMapping(graph('sd35-cfg-guider-primitive')).mapping).toEqual({
      prompt: '20.value',
      negativePrompt: '3.text',
      seed: '8.noise_seed',
      steps: '7.steps',
      cfgScale: '5.cfg',
      sampler: '6.sampler_name',
      scheduler: '7.scheduler',
      denoise: '7.denoise',
      width: '9.width',
      height: '9.height',
      checkpoint: '1.ckpt_name',
      output: '12',
    });
  });

  it('SD3: CLIPTextEncodeSD3 fed by one PrimitiveString, a zeroed negative, SaveImageWebsocket', () => {
    const mapping = inferNodeMapping(graph('sd3-ksampler-encoder-sd3')).mapping;
    expect(mapping).toMatchObject({
      prompt: '30.value',
      seed: '6.seed',
      cfgScale: '6.cfg',
      width: '5.width',
      output: '8',
    });
    expect(mapping).not.toHaveProperty('negativePrompt');
  });
});

describe('createComfyUI against the services’ own protocol', () => {
  it('paints a Flux graph: prompt_id chosen by the caller, feature_flags first, tagged previews', async () => {
    const server = await fake();
    const events: ImageProgress[] = [];
    const result = await adapter({
      baseURL: server.url,
      workflow: graph('flux-dev-custom-advanced'),
    })
      .image()
      .generate(request({ onProgress: (progress) => events.push(progress) }));
    const body = submitted(server);
    expect(body.prompt_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(result.requestId).toBe(body.prompt_id);
    expect(server.runs[0]!.promptId).toBe(body.prompt_id);
    expect(body.prompt['4']!.inputs.text).toBe('a red kite');
    expect(body.prompt['9']!.inputs.noise_seed).toBe(99);
    expect(server.clientMessages.get(body.client_id)?.[0]).toEqual(comfyUIClientFeatureFlags);
    expect(server.runs[0]!.supportsPreviewMetadata()).toBe(true);
    expect(events.filter((event) => event.preview !== undefined)).toHaveLength(4);
    expect(result.image.bytes).toEqual(server.output);
  });

  it('reports progress that runs once across two samplers instead of resetting (progress_state)', async () => {
    const server = await fake();
    const events: ImageProgress[] = [];
    await adapter({
      baseURL: server.url,
      workflow: graph('sdxl-base-refiner'),
      nodes: {
        prompt: '2.text',
        negativePrompt: '3.text',
        seed: ['5.noise_seed', '6.noise_seed'],
        width: '4.width',
        height: '4.height',
        output: '8',
      },
    })
      .image()
      .generate(request({ onProgress: (progress) => events.push(progress) }));
    const fractions = events.flatMap((event) =>
      event.fraction === undefined ? [] : [event.fraction],
    );
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions).toContain(0.5);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.filter((fraction) => fraction < 0.5).length).toBeGreaterThan(0);
  });

  it('keeps legacy `progress` from resetting at the second sampler on servers without progress_state', async () => {
    const server = await fake({
      run: async (run) => {
        run.state = 'running';
        const prompt_id = run.promptId;
        for (const node of ['5', '6']) {
          run.send('executing', { node, prompt_id });
          for (let value = 1; value <= 2; value++)
            run.send('progress', { value, max: 2, prompt_id, node });
        }
        const ref = { filename: 'x.png', subfolder: '', type: 'output' };
        run.saveFile(ref, server.output);
        run.send('executed', { node: '8', output: { images: [ref] }, prompt_id });
        run.state = 'done';
        run.completeHistory({ '8': { images: [ref] } });
        run.send('executing', { node: null, prompt_id });
      },
    });
    const events: ImageProgress[] = [];
    await adapter({
      baseURL: server.url,
      workflow: graph('sdxl-base-refiner'),
      nodes: { prompt: '2.text', seed: '5.noise_seed', output: '8' },
    })
      .image()
      .generate(request({ onProgress: (progress) => events.push(progress) }));
    expect(events.map((event) => event.fraction)).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('returns a SaveImageWebsocket result from the socket, never touching the server disk', async () => {
    const server = await fake();
    const result = await adapter({
      baseURL: server.url,
      workflow: graph('flux-dev-custom-advanced'),
      output: 'websocket',
    })
      .image()
      .generate(request());
    expect(submitted(server).prompt['13']).toEqual({
      class_type: 'SaveImageWebsocket',
      inputs: { images: ['12', 0] },
    });
    expect(server.calls()).toEqual(['POST /prompt']);
    expect(result.image).toEqual({ bytes: server.output, mediaType: 'image/png' });
    expect(result.providerMetadata).toMatchObject({ output: { via: 'websocket', node: '13' } });
    // A workflow that ends in SaveImageWebsocket itself works the same way.
    const native = await adapter({
      baseURL: server.url,
      workflow: graph('sd3-ksampler-encoder-sd3'),
    })
      .image()
      .generate(request());
    expect(native.image.bytes).toEqual(server.output);
  });

  it('swaps the output for a PreviewImage (a temp file) with `output: "preview"`', async () => {
    const server = await fake();
    await adapter({
      baseURL: server.url,
      workflow: graph('flux-dev-custom-advanced'),
      output: 'preview',
    })
      .image()
      .generate(request());
    expect(submitted(server).prompt['13']!.class_type).toBe('PreviewImage');
    const view = server.server.requests.find((entry) => entry.url.pathname === '/view')!;
    expect(view.url.searchParams.get('type')).toBe('temp');
  });

  it('cancels by its own prompt_id when POST /prompt timed out after the prompt was queued', async () => {
    const server = await fake({
      holdPromptAnswerMs: 3000,
      run: async (run) => {
        run.state = 'running';
        await run.interrupted;
        run.state = 'done';
      },
    });
    const error = await rejectionOf(
      adapter({ baseURL: server.url, workflow: graph('flux-dev-custom-advanced'), timeoutMs: 300 })
        .image()
        .generate(request()),
    );
    expect(error).toMatchObject({ retryable: true });
    const chosen = submitted(server).prompt_id;
    expect(server.controlCalls).toContainEqual({ path: '/interrupt', body: { prompt_id: chosen } });
  });

  it('deletes its still-pending prompt from the queue by its own id when POST /prompt timed out', async () => {
    const server = await fake({ holdPromptAnswerMs: 3000, run: () => {} });
    await rejectionOf(
      adapter({ baseURL: server.url, workflow: graph('flux-dev-custom-advanced'), timeoutMs: 300 })
        .image()
        .generate(request()),
    );
    const chosen = submitted(server).prompt_id;
    expect(server.controlCalls).toContainEqual({ path: '/queue', body: { delete: [chosen] } });
    expect(server.controlCalls.some((call) => call.path === '/interrupt')).toBe(false);
    expect(server.runs[0]!.state).toBe('done');
  });
});

describe('ComfyUI mask: converted for the LoadImageMask channel', () => {
  const inpaint = (channel: string): ComfyUIWorkflow => ({
    '1': { class_type: 'LoadImage', inputs: { image: 'in.png' } },
    '2': { class_type: 'VAEEncode', inputs: { pixels: ['1', 0], vae: ['8', 2] } },
    '3': { class_type: 'SetLatentNoiseMask', inputs: { samples: ['2', 0], mask: ['4', 0] } },
    '4': { class_type: 'LoadImageMask', inputs: { image: 'mask.png', channel } },
    '5': {
      class_type: 'KSampler',
      inputs: {
        seed: 1,
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['3', 0],
        denoise: 1,
      },
    },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'x', clip: ['8', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['8', 1] } },
    '8': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'a.safetensors' } },
    '9': { class_type: 'VAEDecode', inputs: { samples: ['5', 0], vae: ['8', 2] } },
    '10': { class_type: 'SaveImage', inputs: { images: ['9', 0] } },
  });
  // 2x1 in Layerloom's convention: opaque white (repaint), opaque black (keep).
  const mask = encodePng({
    width: 2,
    height: 1,
    data: new Uint8Array([255, 255, 255, 255, 0, 0, 0, 255]),
  });

  it.each([
    ['alpha', [0, 0, 0, 0, 0, 0, 0, 255]],
    ['red', [255, 255, 255, 255, 0, 0, 0, 255]],
  ])(
    'channel %s receives the mask ComfyUI reads as repaint-the-left-pixel',
    async (channel, pixels) => {
      const server = await fake();
      await adapter({ baseURL: server.url, workflow: inpaint(channel) })
        .image()
        .generate(
          request({
            image: { bytes: solidPng([5, 5, 5, 255], 2), mediaType: 'image/png' },
            mask: { bytes: mask, mediaType: 'image/png' },
          }),
        );
      const maskName = submitted(server).prompt['4']!.inputs.image as string;
      const uploaded = server.uploads.get(maskName)!;
      expect([...decodePng(uploaded).data]).toEqual(pixels);
    },
  );
});
