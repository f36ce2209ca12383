import { decodePng, type ImageProgress, type ImageRequest, ValidationError } from '@layerloom/core';
import { createImageRequest } from '@layerloom/core/testing';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAI } from './create-openai.js';
import { createFakeOpenAI, type FakeOpenAI } from './fixtures/fake-openai-server.js';
import {
  completedImageEvent,
  partialImageEvent,
  sseFrame,
  testApiKey,
  usageFixture,
} from './fixtures/openai-responses.js';
import { base64, jpegImage, maskImage, pngImage, webpImage } from './fixtures/png-images.js';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await createFakeOpenAI();
});
afterEach(() => fake.server.resetHandlers());
afterAll(() => fake.close());

const openai = () =>
  createOpenAI({
    apiKey: testApiKey,
    baseURL: fake.baseURL,
    imageDownload: {
      allowHttp: true,
      allowedHosts: ['images.test'],
      allowedAddresses: ['127.0.0.1'],
      lookup: (_hostname, _options, callback) => callback(null, '127.0.0.1', 4),
    },
  });

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a red fox, full body', ...fields });

describe('generations', () => {
  it('round-trips a transparent PNG cut-out from gpt-image-1', async () => {
    const result = await openai()
      .image('gpt-image-1', { quality: 'high' })
      .generate(request({ transparent: true }));
    expect(fake.lastCall().path).toBe('/v1/images/generations');
    expect(fake.lastCall().headers['content-type']).toBe('application/json');
    expect(fake.lastCall().json()).toEqual({
      model: 'gpt-image-1',
      prompt: 'a red fox, full body',
      n: 1,
      size: '1024x1024',
      quality: 'high',
      background: 'transparent',
    });
    expect(result.image.mediaType).toBe('image/png');
    const decoded = decodePng(result.image.bytes);
    expect([decoded.width, decoded.height]).toEqual([8, 8]);
    expect(decoded.data[3]).toBe(0); // the left half is transparent
    expect(decoded.data[(8 * 8 - 1) * 4 + 3]).toBe(255);
    expect(result).toMatchObject({
      requestId: 'req_gpt_123',
      warnings: [],
      usage: {
        inputTokens: 20,
        inputTextTokens: 20,
        inputImageTokens: 0,
        outputTokens: 4160,
        totalTokens: 4180,
      },
      // 20 × $5/M + 4160 × $40/M
      costUsd: 0.1665,
      providerMetadata: {
        model: 'gpt-image-1',
        endpoint: '/images/generations',
        size: '1024x1024',
        quality: 'high',
        background: 'transparent',
        outputFormat: 'png',
        width: 8,
        height: 8,
        created: 1_764_374_400,
      },
    });
    expect(result.seed).toBeUndefined();
    expect(JSON.parse(JSON.stringify(result.providerMetadata))).toEqual(result.providerMetadata);
  });

  it('sends webp for a cut-out when asked, and replaces jpeg with png with a warning', async () => {
    const webp = openai().image('gpt-image-1', { outputFormat: 'webp', outputCompression: 80 });
    await webp.generate(request({ transparent: true })).catch(() => undefined);
    expect(fake.lastCall().json()).toMatchObject({
      background: 'transparent',
      output_format: 'webp',
      output_compression: 80,
    });
    const jpeg = await openai()
      .image('gpt-image-1', { outputFormat: 'jpeg', outputCompression: 50 })
      .generate(request({ transparent: true }));
    expect(fake.lastCall().json()).toMatchObject({
      background: 'transparent',
      output_format: 'png',
    });
    expect(fake.lastCall().json()).not.toHaveProperty('output_compression');
    expect(jpeg.warnings).toEqual([
      'Option `outputFormat: "jpeg"` cannot carry transparency; sent `output_format: "png"`.',
      'Option `outputCompression` is only for jpeg and webp output; it was not sent to gpt-image-1.',
    ]);
  });

  it('returns the revised prompt and the table price of dall-e-3', async () => {
    const result = await openai()
      .image('dall-e-3', { quality: 'hd', style: 'natural' })
      .generate(request({ width: 1792, height: 1024 }));
    expect(fake.lastCall().json()).toEqual({
      model: 'dall-e-3',
      prompt: 'a red fox, full body',
      n: 1,
      size: '1792x1024',
      quality: 'hd',
      style: 'natural',
      response_format: 'b64_json',
    });
    expect(result).toMatchObject({
      revisedPrompt: 'A detailed rendering of a red fox, full body',
      costUsd: 0.12,
      requestId: 'req_dalle_123',
      warnings: [],
    });
    expect(result.usage).toBeUndefined();
  });

  it('downloads a url answer through the guarded fetch, without the key', async () => {
    const result = await openai()
      .image('dall-e-2', { responseFormat: 'url' })
      .generate(request({ width: 512, height: 512 }));
    expect(fake.lastCall().json()).toMatchObject({ model: 'dall-e-2', response_format: 'url' });
    const download = fake.server.requests.at(-1)!;
    expect(download.path).toMatch(/^\/files\/img-\d+\.png\?st=.*&sig=c2lnbmF0dXJl$/);
    expect(download.headers.authorization).toBeUndefined();
    expect(result.image.mediaType).toBe('image/png');
    expect(decodePng(result.image.bytes).width).toBe(4);
    expect(result.costUsd).toBe(0.018);
  });

  it('refuses a url answer from a host that is not allowed (the default allowlist)', async () => {
    const strict = createOpenAI({ apiKey: testApiKey, baseURL: fake.baseURL });
    const error = await strict
      .image('dall-e-3', { responseFormat: 'url' })
      .generate(request())
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      code: 'provider_download_refused',
      retryable: false,
      requestId: 'req_dalle_123',
    });
    expect(String((error as Error).message)).not.toContain('sig=');
  });
});

describe('edits', () => {
  const input = pngImage(16, 16);
  const mask = maskImage(16, 16);

  it('sends the image and mask as multipart, with strength mapped to input_fidelity', async () => {
    const result = await openai()
      .image('gpt-image-1')
      .generate(
        request({
          image: { bytes: input, mediaType: 'image/png' },
          mask: { bytes: mask, mediaType: 'image/png' },
          strength: 0.3,
          transparent: true,
        }),
      );
    const call = fake.lastCall();
    expect(call.path).toBe('/v1/images/edits');
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await call.formData();
    expect(
      Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string')),
    ).toEqual({
      model: 'gpt-image-1',
      prompt: 'a red fox, full body',
      n: '1',
      size: '1024x1024',
      background: 'transparent',
      input_fidelity: 'high',
    });
    const image = form.get('image') as File;
    expect(image.type).toBe('image/png');
    expect(image.name).toBe('image.png');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(input);
    // Layerloom's mask (white = repaint, right half) arrives in OpenAI's convention:
    // transparent where the edit goes, opaque where the image is kept.
    const sentMask = form.get('mask') as File;
    expect(sentMask.name).toBe('mask.png');
    const received = decodePng(new Uint8Array(await sentMask.arrayBuffer()));
    expect([received.width, received.height]).toEqual([16, 16]);
    const alphaOfRow = [...received.data].filter((_, index) => index % 4 === 3).slice(0, 16);
    expect(alphaOfRow).toEqual([...Array(8).fill(255), ...Array(8).fill(0)]);
    expect(result.usage).toMatchObject({ inputImageTokens: 323 });
    // 20 × $5/M + 323 × $10/M + 1056 × $40/M
    expect(result.costUsd).toBe(0.04557);
    expect(result.providerMetadata).toMatchObject({ endpoint: '/images/edits' });
  });

  it('maps strength 0.5 and above to input_fidelity low, and leaves it out without strength', async () => {
    const provider = openai().image('gpt-image-1.5');
    await provider.generate(
      request({ image: { bytes: input, mediaType: 'image/png' }, strength: 0.5 }),
    );
    expect((await fake.lastCall().formData()).get('input_fidelity')).toBe('low');
    await provider.generate(request({ image: { bytes: input, mediaType: 'image/png' } }));
    expect((await fake.lastCall().formData()).get('input_fidelity')).toBeNull();
    const explicit = openai().image('gpt-image-1', { inputFidelity: 'high' });
    await explicit.generate(
      request({ image: { bytes: input, mediaType: 'image/png' }, strength: 0.9 }),
    );
    expect((await fake.lastCall().formData()).get('input_fidelity')).toBe('high');
  });

  it('warns that gpt-image-1-mini has no input_fidelity, and moderation is for generations only', async () => {
    const result = await openai()
      .image('gpt-image-1-mini', { moderation: 'low' })
      .generate(request({ image: { bytes: input, mediaType: 'image/png' }, strength: 0.2 }));
    const form = await fake.lastCall().formData();
    expect(form.get('input_fidelity')).toBeNull();
    expect(form.get('moderation')).toBeNull();
    expect(result.warnings).toEqual([
      'Option `moderation` is only for generations, not edits; it was not sent to gpt-image-1-mini.',
      'gpt-image-1-mini has no `input_fidelity`; strength 0.2 was not applied.',
    ]);
  });

  it('names the image part after the format read from its bytes', async () => {
    await openai()
      .image('gpt-image-1')
      .generate(
        request({ image: { bytes: jpegImage(16, 16), mediaType: 'application/octet-stream' } }),
      );
    const image = (await fake.lastCall().formData()).get('image') as File;
    expect([image.name, image.type]).toEqual(['image.jpg', 'image/jpeg']);
  });

  it('is accepted by a server that reads the `image[]` part name too', async () => {
    fake.server.use(
      http.post('*/v1/images/edits', async ({ request: received }) => {
        const form = await received.formData();
        const file = form.getAll('image[]')[0] ?? form.get('image');
        return file instanceof File
          ? HttpResponse.json({ created: 1, data: [{ b64_json: base64(pngImage(2, 2)) }] })
          : HttpResponse.json({ error: { message: 'no image' } }, { status: 400 });
      }),
    );
    const result = await openai()
      .image('gpt-image-1')
      .generate(request({ image: { bytes: input, mediaType: 'image/png' } }));
    expect(result.image.mediaType).toBe('image/png');
  });

  it('sends dall-e-2 edits with response_format and a square PNG only', async () => {
    const result = await openai()
      .image('dall-e-2')
      .generate(
        request({
          width: 256,
          height: 256,
          image: { bytes: input, mediaType: 'image/png' },
          mask: { bytes: mask, mediaType: 'image/png' },
          strength: 0.4,
        }),
      );
    const form = await fake.lastCall().formData();
    expect(form.get('response_format')).toBe('b64_json');
    expect(form.get('size')).toBe('256x256');
    expect(result.warnings).toEqual([
      'dall-e-2 has no `input_fidelity`; strength 0.4 was not applied.',
    ]);
    const notSquare = await openai()
      .image('dall-e-2')
      .generate(request({ image: { bytes: pngImage(16, 8), mediaType: 'image/png' } }))
      .catch((thrown: unknown) => thrown);
    expect(notSquare).toBeInstanceOf(ValidationError);
    expect((notSquare as Error).message).toContain(
      'Expected `image` to be square for dall-e-2, got 16x8',
    );
  });

  it('refuses input images dall-e-3 cannot take, and masks that do not fit, before any call', async () => {
    const oversized = new Uint8Array(4 * 1024 * 1024 + 1);
    oversized.set(input);
    const before = fake.calls().length;
    const cases: [string, Partial<ImageRequest>, RegExp][] = [
      ['dall-e-3', { image: { bytes: input, mediaType: 'image/png' } }, /cannot edit images/],
      [
        'gpt-image-1',
        { image: { bytes: new Uint8Array([1, 2, 3]), mediaType: 'image/png' } },
        /Expected `image` to be a PNG or WebP or JPEG file/,
      ],
      [
        'dall-e-2',
        { image: { bytes: oversized, mediaType: 'image/png' } },
        /Expected `image` to be at most 4 MB for dall-e-2, got 4194305 bytes/,
      ],
      [
        'dall-e-2',
        { image: { bytes: webpImage(16, 16), mediaType: 'image/webp' } },
        /Expected `image` to be a PNG file for dall-e-2, got image\/webp/,
      ],
      [
        'gpt-image-1',
        {
          image: { bytes: input, mediaType: 'image/png' },
          mask: { bytes: jpegImage(16, 16), mediaType: 'image/jpeg' },
        },
        /Expected `mask` to be an 8-bit PNG/,
      ],
      [
        'gpt-image-1',
        {
          image: { bytes: input, mediaType: 'image/png' },
          mask: { bytes: maskImage(8, 8), mediaType: 'image/png' },
        },
        /Expected `mask` to be the size of `image` \(16x16\), got 8x8/,
      ],
    ];
    for (const [model, fields, message] of cases) {
      const error = await openai()
        .image(model)
        .generate(request(fields))
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    expect(fake.calls().length).toBe(before);
    expect(openai().image('dall-e-3').capabilities.imageInput).toBe(false);
  });
});

describe('streaming partial images', () => {
  it('reports each partial image as a preview, then returns the completed image', async () => {
    const progress: ImageProgress[] = [];
    const result = await openai()
      .image('gpt-image-1', { partialImages: 2, quality: 'low' })
      .generate(request({ onProgress: (update) => progress.push(update) }));
    expect(fake.lastCall().json()).toMatchObject({ stream: true, partial_images: 2 });
    expect(progress.map((update) => update.fraction)).toEqual([1 / 3, 2 / 3]);
    for (const update of progress) {
      expect(update.preview?.mediaType).toBe('image/png');
      expect(decodePng(update.preview!.bytes).width).toBe(2);
    }
    expect(decodePng(result.image.bytes).width).toBe(8);
    expect(result).toMatchObject({
      requestId: 'req_stream_123',
      costUsd: 0.01098,
      providerMetadata: { partialImages: 2, quality: 'low', size: '1024x1024' },
      usage: { outputTokens: 272 },
    });
  });

  it('streams edits as image_edit events', async () => {
    const progress: ImageProgress[] = [];
    await openai()
      .image('gpt-image-1', { partialImages: 1 })
      .generate(
        request({
          image: { bytes: pngImage(4, 4), mediaType: 'image/png' },
          onProgress: (update) => progress.push(update),
        }),
      );
    const form = await fake.lastCall().formData();
    expect([form.get('stream'), form.get('partial_images')]).toEqual(['true', '1']);
    expect(progress).toHaveLength(1);
  });

  it('returns as soon as the completed event arrives, even before all the partials', async () => {
    const shared = {
      size: '1024x1024',
      quality: 'medium',
      background: 'opaque',
      outputFormat: 'png',
    };
    fake.server.use(
      http.post(
        '*/v1/images/generations',
        () =>
          new HttpResponse(
            sseFrame(
              'image_generation.partial_image',
              partialImageEvent('image_generation', 0, { ...shared, image: pngImage(2, 2) }),
            ) +
              sseFrame(
                'image_generation.completed',
                completedImageEvent('image_generation', {
                  ...shared,
                  image: pngImage(8, 8),
                  usage: usageFixture(20, 0, 1056),
                }),
              ) +
              sseFrame(
                'image_generation.partial_image',
                partialImageEvent('image_generation', 1, { ...shared, image: pngImage(2, 2) }),
              ),
            { headers: { 'content-type': 'text/event-stream' } },
          ),
      ),
    );
    const progress: ImageProgress[] = [];
    const result = await openai()
      .image('gpt-image-1', { partialImages: 3 })
      .generate(request({ onProgress: (update) => progress.push(update) }));
    expect(progress).toHaveLength(1);
    expect(result.providerMetadata).toMatchObject({ partialImages: 1 });
  });

  it('skips a broken partial image with one warning, and stops at [DONE]', async () => {
    const shared = {
      size: '1024x1024',
      quality: 'medium',
      background: 'opaque',
      outputFormat: 'png',
    };
    fake.server.use(
      http.post(
        '*/v1/images/generations',
        () =>
          new HttpResponse(
            sseFrame('image_generation.partial_image', {
              ...partialImageEvent('image_generation', 0, { ...shared, image: pngImage(2, 2) }),
              b64_json: base64(new TextEncoder().encode('not an image')),
            }) +
              ': keep-alive comment\n\n' +
              sseFrame(
                'image_generation.completed',
                completedImageEvent('image_generation', {
                  ...shared,
                  image: pngImage(8, 8),
                  usage: usageFixture(20, 0, 1056),
                }),
              ),
            { headers: { 'content-type': 'text/event-stream' } },
          ),
      ),
    );
    const progress: ImageProgress[] = [];
    const result = await openai()
      .image('gpt-image-1', { partialImages: 1 })
      .generate(request({ onProgress: (update) => progress.push(update) }));
    expect(progress).toHaveLength(0);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /^A partial image from OpenAI was not reported as a preview/,
    );
  });

  it('warns that dall-e models do not stream, and answers without streaming', async () => {
    const result = await openai().image('dall-e-3', { partialImages: 2 }).generate(request());
    expect(fake.lastCall().json()).not.toHaveProperty('stream');
    expect(result.warnings).toEqual([
      'Option `partialImages` is only for GPT image models (streaming); it was not sent to dall-e-3.',
    ]);
  });
});

describe('estimateCostUsd', () => {
  it('prices a planned request from the same table, without any call', () => {
    const before = fake.calls().length;
    const offline = createOpenAI({ apiKey: 'unused-key', baseURL: 'http://127.0.0.1:9/v1' });
    const planned = { prompt: 'x', width: 1536, height: 1024 };
    expect(offline.image('gpt-image-1', { quality: 'medium' }).estimateCostUsd!(planned)).toBe(
      0.063,
    );
    // `auto` is estimated as `high`, an upper bound.
    expect(offline.image('gpt-image-1').estimateCostUsd!(planned)).toBe(0.25);
    expect(
      offline.image('gpt-image-1').estimateCostUsd!({ ...planned, options: { quality: 'low' } }),
    ).toBe(0.016);
    expect(
      offline.image('dall-e-3').estimateCostUsd!({ ...planned, width: 1024, height: 1792 }),
    ).toBe(0.08);
    expect(
      offline.image('dall-e-2').estimateCostUsd!({ ...planned, width: 300, height: 300 }),
    ).toBe(0.016);
    // gpt-image-2 paints any size: sizes outside the per-image table have no estimate.
    expect(offline.image('gpt-image-2').estimateCostUsd!(planned)).toBe(0.165);
    expect(
      offline.image('gpt-image-2').estimateCostUsd!({ ...planned, width: 1920, height: 1088 }),
    ).toBeUndefined();
    expect(
      offline.image('gpt-image-1').estimateCostUsd!({ ...planned, options: { quality: 'bad' } }),
    ).toBeUndefined();
    expect(fake.calls().length).toBe(before);
  });

  it('uses prices given in the settings, model by model', async () => {
    const custom = createOpenAI({
      apiKey: testApiKey,
      baseURL: fake.baseURL,
      prices: {
        'gpt-image-2': { perImage: { high: { '2048x1152': 0.2 } } },
        'dall-e-3': { perImage: { standard: { '1024x1024': 0.05 } } },
      },
    });
    expect(
      custom.image('gpt-image-2').estimateCostUsd!({ prompt: 'x', width: 2048, height: 1152 }),
    ).toBe(0.2);
    const result = await custom.image('dall-e-3').generate(request());
    expect(result.costUsd).toBe(0.05);
  });
});
