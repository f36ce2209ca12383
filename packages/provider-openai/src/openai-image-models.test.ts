import type { ImageRequest, ProviderCapabilities } from '@layerloom/core';
import { createImageRequest } from '@layerloom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAI } from './create-openai.js';
import { createFakeOpenAI, type FakeOpenAI } from './fixtures/fake-openai-server.js';
import { testApiKey } from './fixtures/openai-responses.js';
import { resolveOpenAIImageModel } from './openai-image-models.js';
import type { OpenAIImageOptions } from './openai-image-options.js';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await createFakeOpenAI();
});
afterEach(() => fake.server.resetHandlers());
afterAll(() => fake.close());

const provider = (model: string, defaults?: OpenAIImageOptions) =>
  createOpenAI({ apiKey: testApiKey, baseURL: fake.baseURL }).image(model, defaults);

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a lighthouse at dusk', ...fields });

const gptSizes = [
  { width: 1024, height: 1024 },
  { width: 1536, height: 1024 },
  { width: 1024, height: 1536 },
];

describe('capabilities', () => {
  it.each<[string, ProviderCapabilities]>([
    [
      'gpt-image-1',
      {
        transparency: true,
        imageInput: true,
        mask: true,
        seed: false,
        maxImagesPerCall: 10,
        sizes: gptSizes,
        maxReferenceImages: 15,
      },
    ],
    [
      'gpt-image-1-mini',
      {
        transparency: true,
        imageInput: true,
        mask: true,
        seed: false,
        maxImagesPerCall: 10,
        sizes: gptSizes,
        maxReferenceImages: 15,
      },
    ],
    [
      'gpt-image-1.5',
      {
        transparency: true,
        imageInput: true,
        mask: true,
        seed: false,
        maxImagesPerCall: 10,
        sizes: gptSizes,
        maxReferenceImages: 15,
      },
    ],
    [
      'chatgpt-image-latest',
      {
        transparency: true,
        imageInput: true,
        mask: true,
        seed: false,
        maxImagesPerCall: 10,
        sizes: gptSizes,
        maxReferenceImages: 15,
      },
    ],
    [
      'gpt-image-2',
      {
        transparency: true,
        imageInput: true,
        mask: true,
        seed: false,
        maxImagesPerCall: 10,
        sizes: { min: 16, max: 3840, multipleOf: 16 },
        maxReferenceImages: 15,
      },
    ],
    [
      'dall-e-3',
      {
        transparency: false,
        imageInput: false,
        mask: false,
        seed: false,
        maxImagesPerCall: 1,
        sizes: [
          { width: 1024, height: 1024 },
          { width: 1792, height: 1024 },
          { width: 1024, height: 1792 },
        ],
        maxReferenceImages: 0,
      },
    ],
    [
      'dall-e-2',
      {
        transparency: false,
        imageInput: true,
        mask: true,
        seed: false,
        maxImagesPerCall: 10,
        sizes: [
          { width: 256, height: 256 },
          { width: 512, height: 512 },
          { width: 1024, height: 1024 },
        ],
        maxReferenceImages: 0,
      },
    ],
  ])('%s', (model, capabilities) => {
    const built = provider(model);
    expect(built).toMatchObject({ id: 'openai', modelId: model });
    expect(built.capabilities).toEqual(capabilities);
  });

  it('gives dated snapshots the rules of their base model', () => {
    expect(resolveOpenAIImageModel('gpt-image-1-2025-04-15').canonicalId).toBe('gpt-image-1');
    expect(resolveOpenAIImageModel('gpt-image-1-mini-2025-10-06').canonicalId).toBe(
      'gpt-image-1-mini',
    );
    expect(resolveOpenAIImageModel('gpt-image-1.5-2025-12-16').canonicalId).toBe('gpt-image-1.5');
    expect(resolveOpenAIImageModel('gpt-image-2-2026-04-21').canonicalId).toBe('gpt-image-2');
    expect(resolveOpenAIImageModel('dall-e-3-hd').canonicalId).toBe('dall-e-3');
    const unknown = resolveOpenAIImageModel('image-model-9');
    expect(unknown).toMatchObject({ family: 'gpt-image', known: false, inputFidelity: false });
  });
});

describe('every model maps a request to what the API accepts', () => {
  const everyGptOption: OpenAIImageOptions = {
    quality: 'medium',
    background: 'opaque',
    outputFormat: 'webp',
    outputCompression: 70,
    moderation: 'low',
    user: 'user-42',
  };

  it.each(['gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5', 'chatgpt-image-latest'])(
    '%s: every GPT option, no response_format',
    async (model) => {
      const result = await provider(model, everyGptOption).generate(
        request({ width: 1024, height: 1536 }),
      );
      expect(fake.lastCall().json()).toEqual({
        model,
        prompt: 'a lighthouse at dusk',
        n: 1,
        size: '1024x1536',
        quality: 'medium',
        background: 'opaque',
        output_format: 'webp',
        output_compression: 70,
        moderation: 'low',
        user: 'user-42',
      });
      expect(result.warnings).toEqual([]);
      expect(result.image.mediaType).toBe('image/png');
    },
  );

  it.each<[string, number, number, string]>([
    ['gpt-image-2', 2000, 1000, '2000x1008'],
    ['gpt-image-2', 4096, 4096, '2160x2160'],
    ['gpt-image-2', 3000, 500, '3008x1008'],
    ['gpt-image-2-2026-04-21', 1920, 1080, '1920x1088'],
    ['gpt-image-2', 1024, 1024, '1024x1024'],
  ])('%s paints free sizes: %ix%i → %s', async (model, width, height, size) => {
    const result = await provider(model).generate(request({ width, height }));
    expect(fake.lastCall().json()).toMatchObject({ model, size });
    const snapped = `${width}x${height}` !== size;
    expect(result.warnings).toEqual(
      snapped
        ? [
            `${model} does not paint ${width}x${height}; painted ${size}, the nearest supported aspect ratio.`,
          ]
        : [],
    );
  });

  it('dall-e-3: style, hd, n=1, response_format, and warnings for GPT-only options', async () => {
    const result = await provider('dall-e-3', {
      ...everyGptOption,
      quality: 'high',
      style: 'vivid',
    }).generate(request({ width: 1000, height: 1800, transparent: true, seed: 7 }));
    expect(fake.lastCall().json()).toEqual({
      model: 'dall-e-3',
      prompt: 'a lighthouse at dusk',
      n: 1,
      size: '1024x1792',
      quality: 'hd',
      style: 'vivid',
      response_format: 'b64_json',
      user: 'user-42',
    });
    expect(result.warnings).toEqual([
      'OpenAI takes no seed; seed 7 was not sent, so this image cannot be replayed exactly.',
      'dall-e-3 does not paint 1000x1800; painted 1024x1792, the nearest supported aspect ratio.',
      'dall-e-3 does not take quality "high"; sent "hd".',
      'dall-e-3 cannot paint a transparent background (capabilities.transparency is false); the image is opaque.',
      'Option `background` is only for GPT image models; it was not sent to dall-e-3.',
      'Option `outputFormat` is only for GPT image models; it was not sent to dall-e-3.',
      'Option `outputCompression` is only for GPT image models; it was not sent to dall-e-3.',
      'Option `moderation` is only for GPT image models; it was not sent to dall-e-3.',
    ]);
  });

  it('dall-e-2: sizes up to 1024 square, quality standard only, no style', async () => {
    const result = await provider('dall-e-2', { quality: 'hd', style: 'natural' }).generate(
      request({ width: 700, height: 500 }),
    );
    expect(fake.lastCall().json()).toEqual({
      model: 'dall-e-2',
      prompt: 'a lighthouse at dusk',
      n: 1,
      size: '512x512',
      response_format: 'b64_json',
    });
    expect(result.warnings).toEqual([
      'dall-e-2 does not paint 700x500; painted 512x512, the nearest supported aspect ratio.',
      'dall-e-2 does not take quality "hd"; it was not sent (the API default "standard" applies).',
      'Option `style` is only for dall-e-3; it was not sent to dall-e-2.',
    ]);
    expect(result.costUsd).toBe(0.018);
  });

  it('lets a layer option win over the model defaults, and warns about unknown ones', async () => {
    const result = await provider('gpt-image-1', { quality: 'low', user: 'a' }).generate(
      request({ options: { quality: 'high', steps: 30, cfgScale: 7 } }),
    );
    expect(fake.lastCall().json()).toMatchObject({ quality: 'high', user: 'a' });
    expect(result.warnings).toEqual([
      'Option `steps` is not an OpenAI image option; it was ignored.',
      'Option `cfgScale` is not an OpenAI image option; it was ignored.',
    ]);
  });
});
