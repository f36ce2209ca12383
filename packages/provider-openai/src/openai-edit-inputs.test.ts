import type { ImageRequest } from '@layerloom/core';
import { createImageRequest } from '@layerloom/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAI } from './create-openai.js';
import { createFakeOpenAI, type FakeOpenAI } from './fixtures/fake-openai-server.js';
import { testApiKey } from './fixtures/openai-responses.js';
import { maskImage, pngImage } from './fixtures/png-images.js';
import { openAIImageModels } from './openai-image-models.js';
import { defaultOpenAIImagePrices } from './openai-image-prices.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await createFakeOpenAI();
});
afterAll(() => fake.close());

const openai = () => createOpenAI({ apiKey: testApiKey, baseURL: fake.baseURL });
const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'the hero, as on the sheet', ...fields });
const png = (red: number) => ({ bytes: pngImage(16, 16, { red }), mediaType: 'image/png' });
const bytesOf = async (value: unknown) => new Uint8Array(await (value as File).arrayBuffer());

describe('multi-image edits', () => {
  it('sends `image` and the reference images as repeated `image[]` parts, in order', async () => {
    const references = [png(10), png(20), png(30)];
    const result = await openai()
      .image('gpt-image-1.5')
      .generate(request({ image: png(200), referenceImages: references }));
    const call = fake.lastCall();
    expect(call.path).toBe('/v1/images/edits');
    const form = await call.formData();
    expect(form.get('image')).toBeNull();
    const parts = form.getAll('image[]');
    expect(parts).toHaveLength(4);
    expect(await Promise.all(parts.map(bytesOf))).toEqual(
      [png(200), ...references].map((image) => image.bytes),
    );
    expect((parts[1] as File).name).toBe('reference-1.png');
    expect(result.warnings).toEqual([]);
  });

  it('edits with reference images alone, up to 16, and says which were left out', async () => {
    const references = Array.from({ length: 20 }, (_, index) => png(index));
    const result = await openai()
      .image('gpt-image-1')
      .generate(request({ referenceImages: references }));
    const form = await fake.lastCall().formData();
    expect(fake.lastCall().path).toBe('/v1/images/edits');
    expect(form.getAll('image[]')).toHaveLength(16);
    expect(await bytesOf(form.getAll('image[]')[15]!)).toEqual(references[15]!.bytes);
    expect(result.warnings).toEqual([
      'gpt-image-1 takes at most 16 input images in one edit; 4 of 20 reference images were not sent.',
    ]);
  });

  it('declares maxReferenceImages per model: 15 besides `image` for GPT image models, none for DALL·E', () => {
    expect(openai().image('gpt-image-2').capabilities.maxReferenceImages).toBe(15);
    expect(openai().image('dall-e-2').capabilities.maxReferenceImages).toBe(0);
    expect(openai().image('dall-e-3').capabilities.maxReferenceImages).toBe(0);
  });

  it('sends dall-e-2 one `image` and dall-e-3 a generation, with a warning for the references', async () => {
    const dallE2 = await openai()
      .image('dall-e-2')
      .generate(request({ width: 256, height: 256, image: png(1), referenceImages: [png(2)] }));
    const form = await fake.lastCall().formData();
    expect(form.getAll('image')).toHaveLength(1);
    expect(form.getAll('image[]')).toHaveLength(0);
    expect(dallE2.warnings).toEqual(['dall-e-2 takes no reference images; 1 of 1 were not sent.']);
    const dallE3 = await openai()
      .image('dall-e-3')
      .generate(request({ referenceImages: [png(2)] }));
    expect(fake.lastCall().path).toBe('/v1/images/generations');
    expect(dallE3.warnings).toEqual(['dall-e-3 takes no reference images; 1 of 1 were not sent.']);
  });

  it('applies a mask to `image` only: with reference images alone it is not sent', async () => {
    const result = await openai()
      .image('gpt-image-1')
      .generate(
        request({
          referenceImages: [png(5)],
          mask: { bytes: maskImage(16, 16), mediaType: 'image/png' },
        }),
      );
    expect((await fake.lastCall().formData()).get('mask')).toBeNull();
    expect(result.warnings).toContain('A `mask` needs an input image; it was not sent.');
  });
});

describe('input_fidelity per model (openai-node: gpt-image-1, gpt-image-1.5 and later, not mini)', () => {
  it.each([
    ['gpt-image-1', 'high'],
    ['gpt-image-1.5', 'high'],
    ['gpt-image-2', 'high'],
    ['gpt-image-2-2026-04-21', 'high'],
    ['gpt-image-1-mini', null],
  ])('%s receives input_fidelity %s for strength 0.2', async (model, expected) => {
    await openai()
      .image(model)
      .generate(request({ width: 1024, height: 1024, image: png(9), strength: 0.2 }));
    expect((await fake.lastCall().formData()).get('input_fidelity')).toBe(expected);
  });

  it('sends inputFidelity with reference images alone', async () => {
    await openai()
      .image('gpt-image-2', { inputFidelity: 'high' })
      .generate(request({ width: 1024, height: 1024, referenceImages: [png(3)] }));
    expect((await fake.lastCall().formData()).get('input_fidelity')).toBe('high');
  });
});

describe('size: "auto"', () => {
  it('is sent to GPT image models, generations and edits', async () => {
    const result = await openai()
      .image('gpt-image-1', { size: 'auto' })
      .generate(request({ width: 700, height: 300 }));
    expect(fake.lastCall().json()).toMatchObject({ size: 'auto' });
    expect(result.warnings).toEqual([]);
    await openai()
      .image('gpt-image-2')
      .generate(request({ image: png(1), options: { size: 'auto' } }));
    expect((await fake.lastCall().formData()).get('size')).toBe('auto');
  });

  it('is not sent to DALL·E, with a warning', async () => {
    const result = await openai()
      .image('dall-e-3', { size: 'auto' })
      .generate(request({ width: 1024, height: 1024 }));
    expect(fake.lastCall().json()).toMatchObject({ size: '1024x1024' });
    expect(result.warnings).toEqual([
      'dall-e-3 has no `size: "auto"`; sent 1024x1024 (option `size` is only for GPT image models).',
    ]);
  });
});

describe('default prices', () => {
  it('cover every listed model, per image for the standard sizes', () => {
    for (const model of Object.keys(openAIImageModels)) {
      const price = defaultOpenAIImagePrices[model];
      expect(price, model).toBeDefined();
      const quality = openAIImageModels[model]!.family === 'gpt-image' ? 'medium' : undefined;
      if (quality !== undefined)
        expect(price!.perImage?.[quality]?.['1024x1024'], model).toBeGreaterThan(0);
    }
  });

  it('price a gpt-image-2 call from its reported token usage', async () => {
    const result = await openai()
      .image('gpt-image-2')
      .generate(request({ width: 1024, height: 1024 }));
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.usage).toBeDefined();
  });
});
