import { createLoom, type ImageRequest, ProviderError, ValidationError } from '@layerloom/core';
import {
  createImageRequest,
  createRecordingCompositor,
  rejectionOf,
} from '@layerloom/core/testing';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStability } from './create-stability.js';
import {
  createFakeStability,
  type FakeStability,
  testApiKey,
} from './fixtures/fake-stability-server.js';
import { testJpeg, testPng } from './fixtures/test-images.js';
import type { StabilityImageOptions } from './stability-image-options.js';

let fake: FakeStability;
beforeAll(async () => {
  fake = await createFakeStability();
});
afterEach(() => fake.server.resetHandlers());
afterAll(() => fake.close());

const instance = () => createStability({ apiKey: testApiKey, baseURL: fake.baseURL });
const image = (modelId: string, defaults?: StabilityImageOptions) =>
  instance().image(modelId, defaults);
const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a lighthouse on a cliff', ...fields });
const input = { bytes: testPng(512, 384), mediaType: 'image/png' };
const mask = { bytes: testPng(512, 384), mediaType: 'image/png' };

describe('generate endpoints', () => {
  it('sends stable-image-core a multipart text-to-image request with Accept: image/*', async () => {
    const result = await image('stable-image-core').generate(
      request({ width: 1344, height: 768, negativePrompt: 'fog', seed: 42 }),
    );
    const call = fake.lastCall();
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/v2beta/stable-image/generate/core');
    expect(call.headers.authorization).toBe(`Bearer ${testApiKey}`);
    expect(call.headers.accept).toBe('image/*');
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(await fake.lastFields()).toEqual({
      prompt: 'a lighthouse on a cliff',
      negative_prompt: 'fog',
      aspect_ratio: '16:9',
      seed: '42',
    });
    expect(result).toMatchObject({
      image: { mediaType: 'image/png' },
      seed: 42,
      costUsd: 0.03,
      usage: { credits: 3 },
      requestId: expect.stringMatching(/^req_/),
      warnings: [],
      providerMetadata: {
        model: 'stable-image-core',
        endpoint: '/v2beta/stable-image/generate/core',
        operation: 'generate',
        aspectRatio: '16:9',
        finishReason: 'SUCCESS',
        width: 1344,
        height: 768,
        credits: 3,
      },
    });
  });

  it('sends the SD3 models to /generate/sd3 with `model`, options as their wire fields', async () => {
    const result = await image('sd3.5-large-turbo', {
      stylePreset: 'cinematic',
      cfgScale: 1.5,
      outputFormat: 'webp',
    }).generate(request({ width: 832, height: 1216 }));
    expect(fake.lastCall().path).toBe('/v2beta/stable-image/generate/sd3');
    expect(await fake.lastFields()).toEqual({
      prompt: 'a lighthouse on a cliff',
      model: 'sd3.5-large-turbo',
      aspect_ratio: '2:3',
      output_format: 'webp',
      style_preset: 'cinematic',
      cfg_scale: '1.5',
    });
    expect(result.image.mediaType).toBe('image/webp');
    expect(result.costUsd).toBe(0.04);
  });

  it('snaps a size to the nearest aspect ratio and warns', async () => {
    const result = await image('stable-image-ultra').generate(request({ width: 800, height: 600 }));
    expect((await fake.lastFields()).aspect_ratio).toBe('5:4');
    expect(result.warnings).toEqual([
      expect.stringContaining(
        'Stability paints aspect ratios, not sizes: 800x600 was painted as 5:4',
      ),
    ]);
  });

  it('never sends 0 as a chosen seed, and reduces seeds above the range', async () => {
    const provider = image('sd3.5-medium');
    const zero = await provider.generate(request({ seed: 0 }));
    expect((await fake.lastFields()).seed).toBe('4294967294');
    expect(zero.seed).toBe(4_294_967_294);
    expect(zero.warnings[0]).toMatch(/seed 0 was sent as 4294967294/);
    await provider.generate(request({ seed: 4_294_967_295 + 7 }));
    expect((await fake.lastFields()).seed).toBe('7');
  });

  it('reads the base64 JSON form (`responseFormat: base64`), where seed and finish reason are fields', async () => {
    const result = await image('stable-image-core', { responseFormat: 'base64' }).generate(
      request({ seed: 9 }),
    );
    expect(fake.lastCall().headers.accept).toBe('application/json');
    expect(result).toMatchObject({ seed: 9, image: { mediaType: 'image/png' } });
    expect(result.providerMetadata).toMatchObject({ finishReason: 'SUCCESS', width: 1024 });
  });

  it('warns about what it cannot honour instead of sending it', async () => {
    const result = await image('stable-image-core', { growMask: 5, controlStrength: 0.2 }).generate(
      request({ transparent: true, strength: 0.4, mask }),
    );
    expect(Object.keys(await fake.lastFields())).toEqual(['prompt', 'aspect_ratio']);
    expect(result.warnings).toEqual([
      'Option `controlStrength` is not taken by /v2beta/stable-image/generate/core; it was not sent.',
      '/v2beta/stable-image/generate/core has no strength; strength 0.4 was not applied (there is no input image).',
      'Option `growMask` is not taken by /v2beta/stable-image/generate/core; it was not sent.',
      'The `mask` is not taken by /v2beta/stable-image/generate/core; it was not sent.',
      '/v2beta/stable-image/generate/core cannot paint a transparent background (capabilities.transparency is false); the image is opaque.',
    ]);
  });

  it('sends an unknown sd3 id as `model` with a warning; the service refuses it', async () => {
    const error = await rejectionOf(image('sd3.9-huge').generate(request()), ProviderError);
    expect(error).toMatchObject({
      code: 'provider_invalid_request',
      status: 400,
      retryable: false,
      providerCode: 'bad_request',
    });
    expect(error.message).toContain('model: must be one of');
  });
});

describe('image input', () => {
  it('image-to-image on SD3: mode, image and strength as sent', async () => {
    const result = await image('sd3.5-large').generate(request({ image: input, strength: 0.35 }));
    const fields = await fake.lastFields();
    expect(fields).toEqual({
      prompt: 'a lighthouse on a cliff',
      model: 'sd3.5-large',
      mode: 'image-to-image',
      strength: '0.35',
      image: `<file image.png image/png ${input.bytes.byteLength} bytes>`,
    });
    expect(result.providerMetadata).toMatchObject({ operation: 'image-to-image', width: 512 });
    expect(result.providerMetadata).not.toHaveProperty('aspectRatio');
  });

  it('ultra paints over an image; a missing strength is filled with 0.5 and noted', async () => {
    const result = await image('stable-image-ultra').generate(request({ image: input }));
    expect(fake.lastCall().path).toBe('/v2beta/stable-image/generate/ultra');
    expect((await fake.lastFields()).strength).toBe('0.5');
    expect(result.warnings).toEqual([expect.stringMatching(/needs a strength.*sent 0\.5/)]);
  });

  it('an image with a mask is inpainted', async () => {
    const result = await image('sd3.5-large', { growMask: 40 }).generate(
      request({ image: input, mask, seed: 3 }),
    );
    expect(fake.lastCall().path).toBe('/v2beta/stable-image/edit/inpaint');
    expect(await fake.lastFields()).toMatchObject({
      prompt: 'a lighthouse on a cliff',
      grow_mask: '40',
      seed: '3',
      mask: expect.stringMatching(/^<file mask\.png image\/png/),
    });
    expect(result.costUsd).toBe(0.05);
  });

  it.each<[StabilityImageOptions, string, Record<string, string>]>([
    [
      { operation: 'search-and-replace', searchPrompt: 'dog', growMask: 3 },
      'edit/search-and-replace',
      { search_prompt: 'dog', grow_mask: '3' },
    ],
    [{ operation: 'erase' }, 'edit/erase', {}],
    [
      { operation: 'outpaint', outpaint: { left: 100, down: 50 }, creativity: 0.3 },
      'edit/outpaint',
      { left: '100', down: '50', creativity: '0.3' },
    ],
    [{ control: 'sketch' }, 'control/sketch', { control_strength: '0.8' }],
    [
      { control: 'structure', controlStrength: 0.9 },
      'control/structure',
      { control_strength: '0.9' },
    ],
    [{ control: 'style' }, 'control/style', { fidelity: '0.8', aspect_ratio: '1:1' }],
  ])('options %j call %s', async (options, path, expected) => {
    await image('sd3.5-large').generate(
      request({ image: input, strength: 0.2, options: { ...options } }),
    );
    expect(fake.lastCall().path).toBe(`/v2beta/stable-image/${path}`);
    expect(await fake.lastFields()).toMatchObject(expected);
  });

  it('refuses edits without an input image, and search-and-replace without searchPrompt', async () => {
    const noImage = await rejectionOf(
      image('sd3.5-large').generate(request({ options: { operation: 'erase' } })),
      ValidationError,
    );
    expect(noImage.issues[0]).toMatchObject({ path: ['image'] });
    const noSearch = await rejectionOf(
      image('sd3.5-large').generate(
        request({ image: input, options: { operation: 'search-and-replace' } }),
      ),
      ValidationError,
    );
    expect(noSearch.issues[0]).toMatchObject({ path: ['options', 'searchPrompt'] });
    expect(fake.calls()).toHaveLength(0);
  });

  it('refuses an input image on core without an operation, and input images Stability would refuse', async () => {
    const core = await rejectionOf(
      image('stable-image-core').generate(request({ image: input })),
      ValidationError,
    );
    expect(core.message).toMatch(/cannot paint over an image/);
    const tiny = await rejectionOf(
      image('sd3.5-large').generate(
        request({ image: { bytes: testPng(32, 32), mediaType: 'image/png' } }),
      ),
      ValidationError,
    );
    expect(tiny.message).toMatch(/at least 64 pixels on each side/);
    const tall = await rejectionOf(
      image('sd3.5-large').generate(
        request({
          image: { bytes: testJpeg(100, 400), mediaType: 'image/jpeg' },
          options: { control: 'structure' },
        }),
      ),
      ValidationError,
    );
    expect(tall.message).toMatch(/aspect ratio from 1:2\.5 to 2\.5:1/);
    expect(fake.calls()).toHaveLength(0);
  });

  it('refuses unknown option keys with a ValidationError naming them', async () => {
    const error = await rejectionOf(
      image('stable-image-core').generate(request({ options: { quality: 'high' } })),
      ValidationError,
    );
    expect(error.message).toContain('quality');
    expect(() => image('stable-image-core', { steps: 4 } as never)).toThrow(/steps/);
  });
});

describe('remove-background', () => {
  it('cuts out the subject: transparent PNG, `capabilities.cutsOutSubject`, no seed', async () => {
    const cut = instance().removeBackground();
    expect(cut.capabilities).toMatchObject({
      transparency: true,
      imageInput: true,
      cutsOutSubject: true,
      seed: false,
    });
    const result = await cut.generate(request({ image: input, seed: 5, transparent: true }));
    expect(fake.lastCall().path).toBe('/v2beta/stable-image/edit/remove-background');
    expect(Object.keys(await fake.lastFields())).toEqual(['image']);
    expect(result.warnings).toEqual([
      'Seed 5 is not taken by /v2beta/stable-image/edit/remove-background; it was not sent.',
    ]);
    expect(result.providerMetadata).toMatchObject({
      width: 512,
      height: 384,
      operation: 'remove-background',
    });
  });

  it('replaces jpeg (which it cannot return) with png, with a warning', async () => {
    const result = await instance()
      .image('sd3.5-large', { outputFormat: 'jpeg' })
      .generate(request({ image: input, options: { operation: 'remove-background' } }));
    expect((await fake.lastFields()).output_format).toBe('png');
    expect(result.warnings[0]).toMatch(/cannot return jpeg; sent `output_format: "png"`/);
  });
});

describe('capabilities, fingerprint, cost', () => {
  it('declares each model honestly', () => {
    const stability = instance();
    expect(stability.image('stable-image-core').capabilities).toMatchObject({
      transparency: false,
      imageInput: false,
      mask: false,
      seed: true,
      maxImagesPerCall: 1,
    });
    const sd3 = stability.image('sd3.5-large').capabilities;
    expect(sd3).toMatchObject({ imageInput: true, mask: true, seed: true, cutsOutSubject: false });
    expect(sd3.sizes).toContainEqual({ width: 1344, height: 768 });
    expect(sd3.sizes).toHaveLength(9);
  });

  it('gives different defaults different fingerprints', () => {
    const stability = instance();
    const a = stability.image('sd3.5-large', { stylePreset: 'anime' }).fingerprint;
    expect(a).not.toBe(stability.image('sd3.5-large', { stylePreset: 'cinematic' }).fingerprint);
    expect(a).toBe(stability.image('sd3.5-large', { stylePreset: 'anime' }).fingerprint);
  });

  it('estimates from one price table, overridable entry by entry', () => {
    const planned = { prompt: 'x', width: 1024, height: 1024 };
    expect(instance().image('stable-image-ultra').estimateCostUsd?.(planned)).toBe(0.08);
    const custom = createStability({
      prices: { usdPerCredit: 0.02, credits: { 'stable-image-ultra': 10 } },
    });
    expect(custom.image('stable-image-ultra').estimateCostUsd?.(planned)).toBe(0.2);
    expect(custom.image('stable-image-core').estimateCostUsd?.(planned)).toBe(0.06);
    expect(
      custom
        .image('sd3.5-large')
        .estimateCostUsd?.({ ...planned, image: input, options: { control: 'sketch' } }),
    ).toBe(0.1);
  });

  it('paints a layer chain through createLoom: the `from` layer becomes the cut-out', async () => {
    const stability = instance();
    const compositor = createRecordingCompositor();
    const loom = createLoom({
      providers: { S: stability.image('stable-image-core'), CUT: stability.removeBackground() },
      compositor,
    });
    const result = await loom.render({
      width: 1024,
      height: 1024,
      layers: [
        { id: 'fox', prompt: 'cut the fox out', provider: 'CUT', from: 'photo' },
        { id: 'photo', prompt: 'a fox in a field', provider: 'S', seed: 11 },
      ],
    });
    expect(fake.server.requestLines()).toEqual([
      'POST /v2beta/stable-image/generate/core',
      'POST /v2beta/stable-image/edit/remove-background',
    ]);
    expect(result.costUsd).toBeCloseTo(0.08);
    await stability.close();
  });
});

it('reports content-type image answers even when JSON was asked (tolerant on input)', async () => {
  fake.server.use(
    http.post(
      '*/v2beta/stable-image/generate/core',
      () =>
        new HttpResponse(testPng(64, 64) as Uint8Array<ArrayBuffer>, {
          headers: { 'content-type': 'image/png', 'finish-reason': 'SUCCESS', seed: '77' },
        }),
    ),
  );
  const result = await image('stable-image-core', { responseFormat: 'base64' }).generate(request());
  expect(result.seed).toBe(77);
});
