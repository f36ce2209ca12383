import { createLoom, type ImageRequest, ProviderError, ValidationError } from '@layerloom/core';
import {
  createImageRequest,
  createRecordingCompositor,
  rejectionOf,
} from '@layerloom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createReplicate } from './create-replicate.js';
import {
  createFakeReplicate,
  type FakeReplicate,
  fakeImageDownload,
  pixelArtVersion,
  sdxlVersion,
  testApiKey,
} from './fixtures/fake-replicate-server.js';
import { testPng } from './fixtures/test-images.js';
import type { ReplicateProviderSettings } from './replicate-provider-settings.js';

let fake: FakeReplicate;
beforeAll(async () => {
  fake = await createFakeReplicate();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const replicate = (settings: ReplicateProviderSettings = {}) =>
  createReplicate({
    apiKey: testApiKey,
    baseURL: fake.baseURL,
    imageDownload: fakeImageDownload,
    pollIntervalMs: 5,
    ...settings,
  });

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a red fox', ...fields });

const png = { bytes: testPng(8, 8), mediaType: 'image/png' };

describe('Replicate image providers', () => {
  it('runs an official model in sync mode: one create call, the file downloaded', async () => {
    const result = await replicate()
      .image('black-forest-labs/flux-schnell', { numInferenceSteps: 4 })
      .generate(request({ width: 1344, height: 768, seed: 11 }));
    expect(fake.server.requestLines()).toEqual([
      'POST /v1/models/black-forest-labs/flux-schnell/predictions',
      expect.stringMatching(/^GET \/xezq\/fake\w+\/out-0\.png$/),
    ]);
    const create = fake.lastCreate();
    expect(create.headers).toMatchObject({
      authorization: `Bearer ${testApiKey}`,
      prefer: 'wait=60',
      'cancel-after': '900s',
      'content-type': 'application/json',
    });
    expect(create.json()).toEqual({
      input: {
        prompt: 'a red fox',
        aspect_ratio: '16:9',
        seed: 11,
        num_inference_steps: 4,
        num_outputs: 1,
      },
    });
    expect(result).toMatchObject({
      image: { mediaType: 'image/png' },
      seed: 4242,
      costUsd: 0.003,
      warnings: [],
      requestId: expect.stringMatching(/^fake/),
      providerMetadata: {
        model: 'black-forest-labs/flux-schnell',
        status: 'succeeded',
        requestedSize: '1344x768',
        width: 32,
        height: 18,
        outputFiles: 1,
        polls: 0,
        predictTimeSeconds: 2.5,
      },
    });
  });

  it('runs a community model by version and polls it, reporting progress from its logs', async () => {
    fake.script({ polls: 3, predictTime: 8 });
    const fractions: number[] = [];
    const result = await replicate()
      .image('stability-ai/sdxl', { guidance: 7 })
      .generate(
        request({
          negativePrompt: 'blurry',
          width: 1152,
          height: 896,
          onProgress: ({ fraction }) => fractions.push(fraction!),
        }),
      );
    const lines = fake.server.requestLines();
    expect(lines[0]).toBe('POST /v1/predictions');
    expect(lines.filter((line) => line.startsWith('GET /v1/predictions/'))).toHaveLength(3);
    expect(fake.lastCreate().json()).toEqual({
      version: sdxlVersion,
      input: {
        prompt: 'a red fox',
        negative_prompt: 'blurry',
        width: 1152,
        height: 896,
        guidance_scale: 7,
        num_outputs: 1,
      },
    });
    expect(fractions).toEqual([0.25, 0.5, 1]);
    // Billed by time: 8 s at $0.000725/s.
    expect(result.costUsd).toBe(0.0058);
    expect(result.providerMetadata).toMatchObject({ version: sdxlVersion, polls: 3 });
  });

  it('sends image-to-image inputs as data URIs and the mask unchanged (SDXL: white repaints)', async () => {
    await replicate()
      .image(`stability-ai/sdxl:${sdxlVersion}`)
      .generate(request({ width: 1024, height: 1024, image: png, mask: png, strength: 0.45 }));
    const { input } = fake.lastCreate().json<{ input: Record<string, string | number> }>();
    const dataUri = `data:image/png;base64,${Buffer.from(png.bytes).toString('base64')}`;
    expect(input).toMatchObject({ image: dataUri, mask: dataUri, prompt_strength: 0.45 });
  });

  it('inpaints with Ideogram when given an image and a mask, though the planner sends it none', async () => {
    const provider = replicate().image('ideogram-ai/ideogram-v2');
    expect(provider.capabilities).toMatchObject({ imageInput: false, mask: false, seed: true });
    await provider.generate(request({ image: png, mask: png, negativePrompt: 'text' }));
    expect(fake.lastCreate().json()).toMatchObject({
      input: { negative_prompt: 'text', aspect_ratio: '1:1' },
    });
    const error = await rejectionOf(provider.generate(request({ image: png })), ValidationError);
    expect(error.issues[0]!.path).toEqual(['mask']);
  });

  it('passes options.input through to a model it does not know, with a warning', async () => {
    const result = await replicate()
      .image(pixelArtVersion, { input: { palette: 'gameboy' } })
      .generate(request({ options: { input: { scale: 2 } } }));
    expect(fake.lastCreate().json()).toEqual({
      version: pixelArtVersion,
      input: { prompt: 'a red fox', palette: 'gameboy', scale: 2 },
    });
    expect(result.warnings).toContain(
      `${pixelArtVersion} is not a model this adapter knows: it was sent the prompt and the inputs named in \`options\` only.`,
    );
    expect(result.costUsd).toBeUndefined();
  });

  it('refuses unknown option keys, naming them', async () => {
    const provider = replicate().image('black-forest-labs/flux-dev');
    const error = await rejectionOf(
      provider.generate(request({ options: { quality: 'high' } })),
      ValidationError,
    );
    expect(error.message).toMatch(/quality/);
    expect(() => replicate().image('black-forest-labs/flux-dev', { steps: 4 } as never)).toThrow(
      /steps/,
    );
    expect(fake.calls()).toHaveLength(0);
  });

  it('polls from the start with waitSeconds: false', async () => {
    await replicate({ waitSeconds: false })
      .image('recraft-ai/recraft-v3')
      .generate(request({ width: 1024, height: 1536 }));
    expect(fake.lastCreate().headers.prefer).toBeUndefined();
    expect(fake.lastCreate().json()).toEqual({ input: { prompt: 'a red fox', size: '1024x1536' } });
    expect(fake.server.requestLines()[1]).toMatch(/^GET \/v1\/predictions\/fake/);
  });

  it('uses the files of a waited answer that is still processing (sync mode)', async () => {
    fake.script({ polls: 5, processingWithOutput: true });
    const result = await replicate().image('black-forest-labs/flux-1.1-pro').generate(request());
    expect(result.providerMetadata).toMatchObject({ status: 'processing', polls: 0 });
    expect(fake.lastCreate().json()).toMatchObject({
      input: { aspect_ratio: 'custom', width: 1024, height: 1024 },
    });
    expect(result.costUsd).toBe(0.04);
  });

  it('decodes a data URI output, and warns when a prediction returned several files', async () => {
    fake.script({ output: 'data-uri' });
    const inline = await replicate().image('black-forest-labs/flux-dev').generate(request());
    expect(inline.image.mediaType).toBe('image/png');
    const url = `http://replicate.delivery:${fake.server.port}/xezq/extra/out-1.png`;
    fake.script({
      output: { raw: [`data:image/png;base64,${Buffer.from(png.bytes).toString('base64')}`, url] },
    });
    const several = await replicate().image('black-forest-labs/flux-dev').generate(request());
    expect(several.warnings).toContain(
      'black-forest-labs/flux-dev returned 2 images; the first was used.',
    );
    expect(several.costUsd).toBe(0.05);
  });

  it('declares capabilities per model, a fingerprint per defaults, and estimates from the price table', () => {
    const r = replicate({ prices: { 'black-forest-labs/flux-dev': { perImage: 0.5 } } });
    expect(r.image('black-forest-labs/flux-schnell').capabilities).toEqual({
      transparency: false,
      imageInput: false,
      mask: false,
      seed: true,
      maxImagesPerCall: 4,
      sizes: expect.arrayContaining([{ width: 1344, height: 768 }]),
    });
    expect(r.image('stability-ai/sdxl').capabilities).toMatchObject({
      imageInput: true,
      mask: true,
      sizes: { min: 256, max: 1536, multipleOf: 8 },
    });
    expect(
      r.image('someone/pixel-art', { inputNames: { seed: 'seed', image: 'img' } }).capabilities,
    ).toMatchObject({ seed: true, imageInput: true, mask: false, sizes: { min: 64, max: 2048 } });
    const plan = { prompt: 'x', width: 1024, height: 1024 };
    expect(r.image('black-forest-labs/flux-dev').estimateCostUsd!(plan)).toBe(0.5);
    expect(r.image('black-forest-labs/flux-schnell').estimateCostUsd!(plan)).toBe(0.003);
    expect(r.image('stability-ai/sdxl').estimateCostUsd!(plan)).toBe(0.00725);
    expect(r.image('someone/pixel-art').estimateCostUsd!(plan)).toBeUndefined();
    const low = r.image('black-forest-labs/flux-dev', { guidance: 2 }).fingerprint;
    expect(low).not.toBe(r.image('black-forest-labs/flux-dev', { guidance: 4 }).fingerprint);
    expect(low).toBe(r.image('black-forest-labs/flux-dev', { guidance: 2 }).fingerprint);
  });

  it('paints a layer through createLoom, with the plan snapped to the model’s sizes', async () => {
    const compositor = createRecordingCompositor();
    const loom = createLoom({
      providers: { F: replicate().image('black-forest-labs/flux-schnell') },
      compositor,
    });
    const result = await loom.render({
      width: 1920,
      height: 1080,
      layers: [{ id: 'sky', prompt: 'a dawn sky', provider: 'F' }],
    });
    expect(fake.lastCreate().json()).toMatchObject({ input: { aspect_ratio: '16:9' } });
    expect(result.layers[0]).toMatchObject({ provider: 'F', costUsd: 0.003, seed: 4242 });
  });

  it('reports a failed prediction as a typed error, with the prediction id', async () => {
    fake.script({ outcome: { error: 'CUDA out of memory' } });
    const error = await rejectionOf(
      replicate().image('black-forest-labs/flux-dev').generate(request()),
      ProviderError,
    );
    expect(error).toMatchObject({
      code: 'provider_prediction_failed',
      retryable: false,
      requestId: expect.stringMatching(/^fake/),
    });
    expect(error.message).toMatch(/failed: CUDA out of memory$/);
  });
});
