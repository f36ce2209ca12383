import { type ImageRequest, ProviderError, ValidationError } from '@layerloom/core';
import { createImageRequest, rejectionOf } from '@layerloom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFal } from './create-fal.js';
import type { FalImageOptions } from './fal-image-options.js';
import type { FalProviderSettings } from './fal-provider-settings.js';
import { createFakeFal, type FakeFal, testFalKey } from './fixtures/fake-fal-server.js';
import { solidPng } from './fixtures/test-images.js';
import type { FalProgress } from './run-fal-queue.js';

let fake: FakeFal;
beforeAll(async () => {
  fake = await createFakeFal();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const settings = (extra: FalProviderSettings = {}): FalProviderSettings => ({
  apiKey: testFalKey,
  baseURL: fake.queueURL,
  syncBaseURL: fake.syncURL,
  pollIntervalMs: 5,
  imageDownload: {
    allowHttp: true,
    allowedAddresses: ['127.0.0.1'],
    lookup: (_hostname, _options, callback) => callback(null, '127.0.0.1', 4),
  },
  ...extra,
});

const provider = (modelId: string, defaults: FalImageOptions = {}, extra?: FalProviderSettings) =>
  createFal(settings(extra)).image(modelId, defaults);

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a lighthouse at dusk', width: 1024, height: 768, ...fields });

const input = { bytes: solidPng(8, 8), mediaType: 'image/png' };
const dataUriPattern = /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/;

describe('queue mode (FLUX [dev])', () => {
  it('submits, polls with logs, reads the result and downloads the image', async () => {
    const progress: FalProgress[] = [];
    const result = await provider('fal-ai/flux/dev', { numInferenceSteps: 30 }).generate(
      request({ seed: 7, onProgress: (update) => progress.push(update as FalProgress) }),
    );
    expect(fake.server.requestLines()).toEqual([
      'POST /queue/fal-ai/flux/dev',
      'GET /queue/fal-ai/flux/requests/req-1-5f1c/status',
      'GET /queue/fal-ai/flux/requests/req-1-5f1c/status',
      'GET /queue/fal-ai/flux/requests/req-1-5f1c/status',
      'GET /queue/fal-ai/flux/requests/req-1-5f1c/status',
      'GET /queue/fal-ai/flux/requests/req-1-5f1c/status',
      'GET /queue/fal-ai/flux/requests/req-1-5f1c',
      'GET /files/req-1-5f1c.png',
    ]);
    const [submit, status] = fake.calls();
    expect(submit!.headers.authorization).toBe(`Key ${testFalKey}`);
    expect(submit!.headers['content-type']).toBe('application/json');
    expect(submit!.json()).toEqual({
      prompt: 'a lighthouse at dusk',
      image_size: { width: 1024, height: 768 },
      seed: 7,
      num_images: 1,
      num_inference_steps: 30,
      output_format: 'png',
    });
    expect(status!.url.searchParams.get('logs')).toBe('1');
    expect(fake.server.requests.at(-1)!.headers.authorization).toBeUndefined();

    expect(result).toMatchObject({
      image: { mediaType: 'image/png' },
      seed: 7,
      requestId: 'req-1-5f1c',
      costUsd: 0.025,
      warnings: [],
      providerMetadata: {
        model: 'fal-ai/flux/dev',
        endpoint: 'fal-ai/flux/dev',
        mode: 'queue',
        queuePosition: 2,
        polls: 5,
        declaredWidth: 1024,
        declaredHeight: 768,
        timings: { inference: 1.25 },
      },
    });
    expect(progress).toEqual([
      { status: 'IN_QUEUE', fraction: 0, queuePosition: 2 },
      { status: 'IN_QUEUE', fraction: 0, queuePosition: 1 },
      { status: 'IN_PROGRESS', fraction: 9 / 28, logs: ['Step 9/28'] },
      { status: 'IN_PROGRESS', fraction: 19 / 28, logs: ['Step 19/28'] },
    ]);
  });

  it('snaps a size FLUX does not paint and says so', async () => {
    const result = await provider('fal-ai/flux/dev').generate(
      request({ width: 1000, height: 3000 }),
    );
    expect(fake.lastInput().image_size).toEqual({ width: 688, height: 2048 });
    expect(result.warnings).toEqual([
      'fal-ai/flux/dev does not paint 1000x3000; painted 688x2048, the nearest size it supports.',
    ]);
    // Billed by whole megapixels of 1024×1024: 688×2048 is 1.34, so two.
    expect(result.costUsd).toBe(0.05);
  });

  it('sends an input image to the image-to-image endpoint, as a data URI with its strength', async () => {
    const result = await provider('fal-ai/flux/dev').generate(
      request({ image: input, strength: 0.6, negativePrompt: 'fog' }),
    );
    expect(fake.calls()[0]!.path).toBe('/queue/fal-ai/flux/dev/image-to-image');
    expect(fake.calls()[1]!.path).toBe('/queue/fal-ai/flux/requests/req-1-5f1c/status?logs=1');
    const sent = fake.lastInput();
    expect(sent).toMatchObject({ strength: 0.6, num_images: 1 });
    expect(sent.image_url).toMatch(dataUriPattern);
    expect(sent).not.toHaveProperty('image_size');
    expect(result.warnings).toEqual([
      'fal-ai/flux/dev/image-to-image has no negative prompt; "fog" was not sent.',
    ]);
    expect(result.providerMetadata).toMatchObject({ endpoint: 'fal-ai/flux/dev/image-to-image' });
    // Priced as the endpoint it went to: $0.03 per megapixel.
    expect(result.costUsd).toBe(0.03);
  });

  it('FLUX LoRA: sends the LoRAs, and a mask to the inpainting endpoint', async () => {
    const loras = [
      { path: 'https://huggingface.co/x/y/resolve/main/style.safetensors', scale: 0.8 },
    ];
    await provider('fal-ai/flux-lora', { loras }).generate(
      request({ image: input, mask: input, strength: 0.9 }),
    );
    expect(fake.calls()[0]!.path).toBe('/queue/fal-ai/flux-lora/inpainting');
    expect(fake.calls()[1]!.path).toMatch(/^\/queue\/fal-ai\/flux-lora\/requests\//);
    const sent = fake.lastInput();
    expect(sent.loras).toEqual(loras);
    expect(sent.mask_url).toMatch(dataUriPattern);
    expect(sent.image_size).toEqual({ width: 1024, height: 768 });
  });

  it('a model that needs an input image refuses a request without one, naming `image`', async () => {
    const error = await rejectionOf(
      provider('fal-ai/flux/dev/image-to-image').generate(request()),
      ValidationError,
    );
    expect(error.issues[0]!.path).toEqual(['image']);
    expect(fake.calls()).toEqual([]);
  });
});

describe('Recraft V3', () => {
  it('sends its style, warns about what it does not take, and prices vector styles', async () => {
    const result = await provider('fal-ai/recraft-v3', { style: 'vector_illustration' }).generate(
      request({
        seed: 3,
        negativePrompt: 'text',
        width: 1024,
        height: 1024,
        numInferenceSteps: 1,
      } as never),
    );
    expect(fake.lastInput()).toEqual({
      prompt: 'a lighthouse at dusk',
      image_size: { width: 1024, height: 1024 },
      style: 'vector_illustration',
    });
    expect(result.warnings).toEqual([
      'fal-ai/recraft-v3 has no negative prompt; "text" was not sent.',
      'fal-ai/recraft-v3 takes no seed; seed 3 was not sent, so this image cannot be replayed exactly.',
    ]);
    expect(result.costUsd).toBe(0.08);
    expect(result.seed).toBe(424242);
  });

  it('warns about options its endpoint does not take', async () => {
    const result = await provider('fal-ai/recraft-v3').generate(
      request({ width: 1024, height: 1024, options: { guidanceScale: 4, outputFormat: 'jpeg' } }),
    );
    expect(fake.lastInput()).not.toHaveProperty('guidance_scale');
    expect(result.warnings).toEqual([
      'Option `guidanceScale` (`guidance_scale`) is not taken by fal-ai/recraft-v3; it was not sent.',
      'Option `outputFormat` (`output_format`) is not taken by fal-ai/recraft-v3; it was not sent.',
    ]);
  });
});

describe('sync mode and inline images', () => {
  it('mode sync calls fal.run once and polls nothing', async () => {
    const result = await provider('fal-ai/flux/schnell', { mode: 'sync' }).generate(request());
    expect(fake.server.requestLines()).toEqual([
      'POST /run/fal-ai/flux/schnell',
      'GET /files/sync-1-77aa.png',
    ]);
    expect(result).toMatchObject({
      requestId: 'sync-1-77aa',
      costUsd: 0.003,
      providerMetadata: { mode: 'sync' },
    });
  });

  it('syncMode answers with a data URI, decoded without a download', async () => {
    const result = await provider('fal-ai/flux/dev', { syncMode: true }).generate(request());
    expect(fake.lastInput().sync_mode).toBe(true);
    expect(fake.server.requestLines().some((line) => line.startsWith('GET /files/'))).toBe(false);
    expect(result.image.mediaType).toBe('image/png');
  });
});

describe('any other model id', () => {
  it('gets the common fields and `options.input`, with a warning', async () => {
    const result = await provider('fal-ai/fast-sdxl', {
      input: { num_inference_steps: 25 },
    }).generate(request({ negativePrompt: 'blur', seed: 11 }));
    expect(fake.calls()[0]!.path).toBe('/queue/fal-ai/fast-sdxl');
    expect(fake.lastInput()).toEqual({
      prompt: 'a lighthouse at dusk',
      negative_prompt: 'blur',
      image_size: { width: 1024, height: 768 },
      seed: 11,
      num_inference_steps: 25,
    });
    expect(result.warnings[0]).toMatch(/^fal-ai\/fast-sdxl is not a model this adapter knows/);
    expect(result.costUsd).toBeUndefined();
  });

  it('a price given in the settings prices it', async () => {
    const result = await provider(
      'fal-ai/fast-sdxl',
      {},
      {
        prices: { 'fal-ai/fast-sdxl': { perImage: 0.01 } },
      },
    ).generate(request());
    expect(result.costUsd).toBe(0.01);
  });
});

describe('options', () => {
  it('refuses unknown keys and bad values, naming them', async () => {
    const unknown = await rejectionOf(
      provider('fal-ai/flux/dev').generate(request({ options: { steps: 20 } })),
      ValidationError,
    );
    expect(unknown.message).toContain('Unknown key `steps`');
    const bad = await rejectionOf(
      provider('fal-ai/flux/dev').generate(request({ options: { numInferenceSteps: 80 } })),
      ValidationError,
    );
    expect(bad.issues[0]!.path).toEqual(['numInferenceSteps']);
    const notJson = await rejectionOf(
      provider('fal-ai/flux/dev').generate(request({ options: { input: { x: () => 1 } } })),
      ValidationError,
    );
    expect(notJson.issues[0]!.path).toEqual(['input', 'x']);
    expect(fake.calls()).toEqual([]);
  });

  it('a layer’s options win over the defaults; `input` objects merge', async () => {
    await provider('fal-ai/flux/dev', {
      guidanceScale: 2,
      outputFormat: 'jpeg',
      input: { enable_safety_checker: false, acceleration: 'regular' },
    }).generate(request({ options: { guidanceScale: 5, input: { acceleration: 'high' } } }));
    expect(fake.lastInput()).toMatchObject({
      guidance_scale: 5,
      output_format: 'jpeg',
      enable_safety_checker: false,
      acceleration: 'high',
    });
  });

  it('`imageSize` sends a preset instead of the size', async () => {
    const result = await provider('fal-ai/flux/dev', { imageSize: 'landscape_16_9' }).generate(
      request(),
    );
    expect(fake.lastInput().image_size).toBe('landscape_16_9');
    expect(result.providerMetadata).toMatchObject({ declaredWidth: 1024, declaredHeight: 576 });
  });
});

describe('the safety checker', () => {
  it('a flagged image fails as a non-retryable content-policy error by default', async () => {
    fake.configure({ nsfw: true });
    const error = await rejectionOf(provider('fal-ai/flux/dev').generate(request()), ProviderError);
    expect(error).toMatchObject({
      code: 'provider_content_policy',
      providerCode: 'has_nsfw_concepts',
      retryable: false,
      requestId: 'req-1-5f1c',
    });
    expect(fake.server.requestLines().some((line) => line.startsWith('GET /files/'))).toBe(false);
  });

  it('with `nsfw: "warn"` the image is returned with a warning', async () => {
    fake.configure({ nsfw: true });
    const result = await provider('fal-ai/flux/dev', { nsfw: 'warn' }).generate(request());
    expect(result.warnings).toEqual([
      "fal's safety checker flagged this image (has_nsfw_concepts); it may be blacked out.",
    ]);
    expect(result.providerMetadata).toMatchObject({ nsfw: true });
  });
});
