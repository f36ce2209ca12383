import { decodePng, type ImageRequest, ValidationError } from '@layerloom/core';
import { createImageRequest, rejectionOf } from '@layerloom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGoogle } from './create-google.js';
import { createFakeGoogle, type FakeGoogle } from './fixtures/fake-google-server.js';
import { base64, png, testApiKey } from './fixtures/google-responses.js';
import { strengthInstruction } from './map-image-request.js';

let fake: FakeGoogle;

beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterEach(() => fake.server.resetHandlers());
afterAll(() => fake.close());

const google = () => createGoogle({ apiKey: testApiKey, baseURL: fake.baseURL });

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a lighthouse at dusk', ...fields });

type Sent = {
  contents: {
    role: string;
    parts: { text?: string; inlineData?: { mimeType: string; data: string } }[];
  }[];
  generationConfig: Record<string, unknown>;
  safetySettings?: unknown;
};

describe('Gemini image models (generateContent)', () => {
  it('paints from a prompt and reports usage, cost, id and the model version', async () => {
    const result = await google()
      .image('gemini-2.5-flash-image')
      .generate(request({ width: 1344, height: 768, seed: 42 }));
    const call = fake.lastCall();
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(call.headers['x-goog-api-key']).toBe(testApiKey);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.json()).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dusk' }] }],
      generationConfig: {
        responseModalities: ['IMAGE'],
        imageConfig: { aspectRatio: '16:9' },
        seed: 42,
      },
    });
    expect(result.image.mediaType).toBe('image/png');
    const decoded = decodePng(result.image.bytes);
    expect([decoded.width, decoded.height]).toEqual([21, 12]);
    expect(result).toMatchObject({
      seed: 42,
      requestId: 'resp_fake_123',
      warnings: [],
      usage: {
        inputTokens: 12,
        inputTextTokens: 12,
        outputTokens: 1290,
        outputImageTokens: 1290,
        totalTokens: 1302,
      },
      // 12 × $0.30/M + 1290 × $30/M
      costUsd: 0.038704,
      providerMetadata: {
        model: 'gemini-2.5-flash-image',
        method: 'generateContent',
        aspectRatio: '16:9',
        imageSize: '1K',
        modelVersion: 'gemini-2.5-flash-image',
        finishReason: 'STOP',
        width: 21,
        height: 12,
      },
    });
  });

  it('snaps a size the model does not paint to the nearest one, with a warning', async () => {
    const result = await google()
      .image('gemini-2.5-flash-image')
      .generate(request({ width: 1000, height: 1500 }));
    expect((fake.lastCall().json() as Sent).generationConfig.imageConfig).toEqual({
      aspectRatio: '2:3',
    });
    expect(result.warnings).toEqual([
      'gemini-2.5-flash-image does not paint 1000x1500; painted 832x1248 (aspect ratio 2:3, 1K), the nearest size it supports.',
    ]);
  });

  it('asks the Gemini 3 models for a tier, and keeps the final image, not the thought', async () => {
    const result = await google()
      .image('gemini-3-pro-image-preview')
      .generate(request({ width: 2752, height: 1536 }));
    expect((fake.lastCall().json() as Sent).generationConfig.imageConfig).toEqual({
      aspectRatio: '16:9',
      imageSize: '2K',
    });
    const decoded = decodePng(result.image.bytes);
    expect([decoded.width, decoded.height]).toEqual([42, 24]);
    // 12 × $2/M + 1120 × $120/M
    expect(result.costUsd).toBe(0.134424);
    expect(result.warnings).toEqual([]);
  });

  it('edits: the input image and reference images as inline parts, strength as an instruction', async () => {
    const input = png(16, 16);
    const reference = { mimeType: 'image/jpeg' as const, data: base64(png(4, 4)) };
    const result = await google()
      .image('gemini-3-pro-image-preview', { referenceImages: [reference] })
      .generate(
        request({
          image: { bytes: input, mediaType: 'image/png' },
          strength: 0.2,
          prompt: 'make it night',
        }),
      );
    const sent = fake.lastCall().json() as Sent;
    expect(sent.contents[0]!.parts).toEqual([
      { text: `${strengthInstruction(0.2)}\n\nmake it night` },
      { inlineData: { mimeType: 'image/png', data: base64(input) } },
      { inlineData: reference },
    ]);
    expect(result.providerMetadata).toMatchObject({
      strengthInstruction: strengthInstruction(0.2),
    });
    // Two input images at 560 tokens each, billed as input.
    expect(result.usage).toMatchObject({ inputImageTokens: 1120 });
    expect(strengthInstruction(0.5)).toMatch(/^Rework/);
    expect(strengthInstruction(0.9)).toMatch(/loose reference/);
  });

  it('sends the Gemini options and returns asked-for text as a warning', async () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
    const result = await google()
      .image('gemini-2.5-flash-image', { temperature: 0.4, safetySettings })
      .generate(request({ options: { includeText: true } }));
    const sent = fake.lastCall().json() as Sent;
    expect(sent.generationConfig).toEqual({
      responseModalities: ['TEXT', 'IMAGE'],
      imageConfig: { aspectRatio: '1:1' },
      temperature: 0.4,
    });
    expect(sent.safetySettings).toEqual(safetySettings);
    expect(result.warnings).toEqual([
      'Gemini also answered with text: Here is a lighthouse at dusk.',
    ]);
    expect(result.providerMetadata).toMatchObject({ text: 'Here is a lighthouse at dusk.' });
  });

  it('warns about what it cannot honour: negative prompt, transparency, mask, Imagen options', async () => {
    const result = await google()
      .image('gemini-2.5-flash-image', { personGeneration: 'ALLOW_ADULT' })
      .generate(
        request({
          negativePrompt: 'boats',
          transparent: true,
          strength: 0.5,
          image: { bytes: png(4, 4), mediaType: 'image/png' },
          mask: { bytes: png(4, 4), mediaType: 'image/png' },
        }),
      );
    expect(result.warnings).toEqual([
      'Option `personGeneration` is only for Imagen; it was not sent to gemini-2.5-flash-image.',
      'gemini-2.5-flash-image cannot paint a transparent background (capabilities.transparency is false); the image is opaque.',
      'gemini-2.5-flash-image takes no inpainting mask (capabilities.mask is false); the mask was not sent.',
      'The Gemini API has no negative prompt; "boats" was not sent (option `negativePrompt: \'append\'` adds it to the prompt).',
    ]);
    const parts = (fake.lastCall().json() as Sent).contents[0]!.parts;
    expect(parts).toHaveLength(2);
    expect(JSON.stringify(parts)).not.toContain('boats');
  });

  it('appends a negative prompt when asked to', async () => {
    const result = await google()
      .image('gemini-2.5-flash-image', { negativePrompt: 'append' })
      .generate(request({ negativePrompt: 'boats' }));
    expect((fake.lastCall().json() as Sent).contents[0]!.parts[0]!.text).toBe(
      'a lighthouse at dusk\n\nAvoid: boats.',
    );
    expect(result.warnings[0]).toMatch(/appended to the prompt/);
  });

  it('refuses input images it cannot send, before any call', async () => {
    const before = fake.calls().length;
    const provider = google().image('gemini-2.5-flash-image');
    const gif = await rejectionOf(
      provider.generate(request({ image: { bytes: png(2, 2), mediaType: 'image/gif' } })),
      ValidationError,
    );
    expect(gif.issues[0]!.path).toEqual(['image', 'mediaType']);
    const reference = { mimeType: 'image/png' as const, data: base64(png(2, 2)) };
    const tooMany = await rejectionOf(
      provider.generate(
        request({
          image: { bytes: png(2, 2), mediaType: 'image/png' },
          options: { referenceImages: [reference, reference, reference] },
        }),
      ),
      ValidationError,
    );
    expect(tooMany.message).toContain('Expected at most 3 input images for gemini-2.5-flash-image');
    expect(fake.calls().length).toBe(before);
  });

  it('calls an unknown Gemini model with gemini-2.5-flash-image rules, with a warning', async () => {
    const provider = google().image('gemini-9-image-preview');
    expect(provider.capabilities.sizes).toHaveLength(10);
    const error = await provider.generate(request()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'provider_model_not_found', status: 404 });
  });
});

describe('Imagen (predict)', () => {
  it('paints one image with the Imagen parameters', async () => {
    const result = await google()
      .image('imagen-4.0-generate-001', {
        personGeneration: 'ALLOW_ADULT',
        guidanceScale: 8,
        safetyFilterLevel: 'BLOCK_LOW_AND_ABOVE',
        includeSafetyAttributes: true,
      })
      .generate(request({ width: 1792, height: 2560 }));
    const call = fake.lastCall();
    expect(call.path).toBe('/v1beta/models/imagen-4.0-generate-001:predict');
    expect(call.json()).toEqual({
      instances: [{ prompt: 'a lighthouse at dusk' }],
      parameters: {
        sampleCount: 1,
        aspectRatio: '3:4',
        sampleImageSize: '2K',
        includeRaiReason: true,
        personGeneration: 'ALLOW_ADULT',
        guidanceScale: 8,
        safetySetting: 'BLOCK_LOW_AND_ABOVE',
        includeSafetyAttributes: true,
      },
    });
    const decoded = decodePng(result.image.bytes);
    expect([decoded.width, decoded.height]).toEqual([28, 40]);
    expect(result).toMatchObject({
      costUsd: 0.04,
      warnings: [],
      providerMetadata: {
        method: 'predict',
        aspectRatio: '3:4',
        imageSize: '2K',
        safetyAttributes: {
          image: { categories: ['Violence'], scores: [0.1] },
          prompt: { categories: [], scores: [] },
        },
      },
    });
    expect(result.seed).toBeUndefined();
  });

  it('sends no tier to the 1K models, and warns about seed, negative prompt and Gemini options', async () => {
    const result = await google()
      .image('imagen-4.0-fast-generate-001', { temperature: 1 })
      .generate(request({ width: 1408, height: 768, seed: 7, negativePrompt: 'fog' }));
    expect(fake.lastCall().json()).toEqual({
      instances: [{ prompt: 'a lighthouse at dusk' }],
      parameters: { sampleCount: 1, aspectRatio: '16:9', includeRaiReason: true },
    });
    expect(result.costUsd).toBe(0.02);
    expect(result.warnings).toEqual([
      'Option `temperature` is only for the Gemini image models; it was not sent to imagen-4.0-fast-generate-001.',
      'The Gemini API has no negative prompt; "fog" was not sent (option `negativePrompt: \'append\'` adds it to the prompt).',
      'Imagen on the Gemini API takes no seed; seed 7 was not sent, so this image cannot be replayed exactly.',
    ]);
  });

  it('sends output options', async () => {
    await google()
      .image('imagen-3.0-generate-002', {
        outputMimeType: 'image/jpeg',
        outputCompressionQuality: 80,
      })
      .generate(request());
    expect((fake.lastCall().json() as { parameters: unknown }).parameters).toMatchObject({
      outputOptions: { mimeType: 'image/jpeg', compressionQuality: 80 },
    });
  });

  it('refuses an input image: Imagen on the Gemini API cannot edit', async () => {
    const error = await rejectionOf(
      google()
        .image('imagen-4.0-generate-001')
        .generate(request({ image: { bytes: png(2, 2), mediaType: 'image/png' } })),
      ValidationError,
    );
    expect(error.issues[0]!.path).toEqual(['image']);
  });
});

describe('capabilities and estimates', () => {
  it('declares each family honestly', () => {
    const instance = google();
    expect(instance.image('gemini-2.5-flash-image').capabilities).toMatchObject({
      transparency: false,
      imageInput: true,
      mask: false,
      seed: true,
      maxImagesPerCall: 1,
    });
    expect(instance.image('gemini-3-pro-image-preview').capabilities.sizes).toHaveLength(30);
    expect(instance.image('imagen-4.0-ultra-generate-001').capabilities).toMatchObject({
      transparency: false,
      imageInput: false,
      mask: false,
      seed: false,
      maxImagesPerCall: 1,
    });
    expect(instance.image('imagen-4.0-generate-001').capabilities.maxImagesPerCall).toBe(4);
  });

  it('estimates from the price table, which `prices` overrides model by model', () => {
    const planned = { prompt: 'x', width: 4096, height: 4096 };
    expect(google().image('gemini-3-pro-image-preview').estimateCostUsd!(planned)).toBe(0.24);
    expect(
      google().image('gemini-3.1-flash-image-preview').estimateCostUsd!(planned),
    ).toBeUndefined();
    const priced = createGoogle({
      prices: { 'gemini-3.1-flash-image-preview': { perImage: { '4K': 0.15 } } },
    });
    expect(priced.image('gemini-3.1-flash-image-preview').estimateCostUsd!(planned)).toBe(0.15);
    expect(priced.image('imagen-4.0-ultra-generate-001').estimateCostUsd!(planned)).toBe(0.06);
    expect(
      google().image('imagen-4.0-generate-001').estimateCostUsd!({
        ...planned,
        options: { bad: 1 },
      }),
    ).toBeUndefined();
  });
});
