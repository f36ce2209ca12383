import {
  AbortError,
  type ImageProgress,
  type ImageRequest,
  ProviderError,
  TimeoutError,
  ValidationError,
} from '@layerloom/core';
import { convertMask } from '@layerloom/core/http';
import {
  createImageRequest,
  createTestCleanup,
  createTestServer,
  rejectionOf,
} from '@layerloom/core/testing';
import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeA1111, type FakeA1111 } from '../../test/fake-a1111-server.js';
import { base64, jpegBytes, solidPng } from '../../test/png-fixtures.js';
import { createA1111 } from './create-a1111.js';

const password = 'hunter2-SECRET-pass';
const cleanup = createTestCleanup();
afterEach(() => cleanup.run());

async function fake(options: Parameters<typeof createFakeA1111>[0] = {}): Promise<FakeA1111> {
  return cleanup.track(await createFakeA1111(options));
}

function adapter(settings: Parameters<typeof createA1111>[0]) {
  return cleanup.track(createA1111(settings));
}

const request = (fields: Partial<ImageRequest> = {}) =>
  createImageRequest({ prompt: 'a red fox, studio light', width: 512, height: 768, ...fields });

describe('createA1111: txt2img', () => {
  it('maps the request, defaults, checkpoint and options to the txt2img body', async () => {
    const server = await fake();
    const provider = adapter({ baseURL: server.url }).image('sd_xl_base_1.0.safetensors', {
      sampler: 'DPM++ 2M',
      scheduler: 'karras',
      steps: 28,
      cfgScale: 6.5,
      options: { enable_hr: false, override_settings: { CLIP_stop_at_last_layers: 2 } },
    });
    const controlNet = { ControlNet: { args: [{ enabled: true, module: 'canny' }] } };
    const result = await provider.generate(
      request({
        negativePrompt: 'blurry',
        seed: 42,
        options: { alwayson_scripts: controlNet },
      }),
    );

    expect(server.calls()).toEqual(['POST /sdapi/v1/txt2img']);
    const sent = server.server.requests[0]!;
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.json()).toEqual({
      prompt: 'a red fox, studio light',
      negative_prompt: 'blurry',
      seed: 42,
      width: 512,
      height: 768,
      batch_size: 1,
      n_iter: 1,
      steps: 28,
      cfg_scale: 6.5,
      sampler_name: 'DPM++ 2M',
      scheduler: 'karras',
      send_images: true,
      save_images: false,
      override_settings_restore_afterwards: true,
      force_task_id: expect.stringMatching(/^layerloom-[0-9a-f-]{36}$/),
      enable_hr: false,
      override_settings: {
        sd_model_checkpoint: 'sd_xl_base_1.0.safetensors',
        CLIP_stop_at_last_layers: 2,
      },
      alwayson_scripts: controlNet,
    });
    expect(result.image).toEqual({ bytes: server.image, mediaType: 'image/png' });
    expect(result.seed).toBe(42);
    expect(result.warnings).toEqual([]);
    expect(result.providerMetadata).toMatchObject({
      endpoint: 'txt2img',
      checkpoint: 'sd_xl_base_1.0',
      checkpointHash: '31e35c80fc',
      sampler: 'DPM++ 2M',
      steps: 28,
      processTimeMs: 12,
    });
    expect(provider).toMatchObject({
      id: 'a1111',
      modelId: 'sd_xl_base_1.0.safetensors',
      capabilities: {
        transparency: false,
        imageInput: true,
        mask: true,
        seed: true,
        maxImagesPerCall: 1,
        sizes: { min: 64, max: 2048, multipleOf: 8 },
      },
    });
  });

  it('sends seed -1 without a seed and reports the seed `info` says was used', async () => {
    const server = await fake();
    const result = await adapter({ baseURL: server.url }).image().generate(request());
    expect(server.server.requests[0]!.json()).toMatchObject({ seed: -1, negative_prompt: '' });
    expect(server.server.requests[0]!.json()).not.toHaveProperty('override_settings');
    expect(result.seed).toBe(1_234_567_890);
  });

  it('snaps sizes to multiples of 8 with a warning', async () => {
    const server = await fake();
    const result = await adapter({ baseURL: server.url })
      .image()
      .generate(request({ width: 1001, height: 597 }));
    expect(server.server.requests[0]!.json()).toMatchObject({ width: 1000, height: 600 });
    expect(result.warnings).toEqual([
      'AUTOMATIC1111 needs sides that are multiples of 8 from 64 to 2048: 1001x597 was sent as 1000x600.',
    ]);
  });

  it('warns when the server silently used another checkpoint or sampler', async () => {
    const server = await fake();
    const result = await adapter({ baseURL: server.url })
      .image('no-such-model.safetensors', { sampler: 'Imaginary 3000' })
      .generate(request({ seed: 1 }));
    expect(result.warnings).toEqual([
      'a1111 used checkpoint "v1-5-pruned-emaonly" instead of "no-such-model.safetensors" (the server ignores unknown checkpoints).',
      'a1111 used sampler "Euler" instead of "Imaginary 3000" (the server falls back silently on unknown samplers).',
    ]);
  });

  it('accepts a checkpoint given by title with hash and a legacy sampler name', async () => {
    const server = await fake();
    const result = await adapter({ baseURL: server.url })
      .image('sd_xl_base_1.0.safetensors [31e35c80fc]', { sampler: 'Euler a' })
      .generate(request({ seed: 1 }));
    expect(result.warnings).toEqual([]);
  });
});

describe('createA1111: img2img and inpainting', () => {
  it('posts init_images with denoising_strength = strength', async () => {
    const server = await fake();
    const input = solidPng([1, 2, 3, 255]);
    const result = await adapter({ baseURL: server.url })
      .image(undefined, { resizeMode: 'crop-and-resize' })
      .generate(request({ image: { bytes: input, mediaType: 'image/png' }, strength: 0.35 }));
    expect(server.calls()).toEqual(['POST /sdapi/v1/img2img']);
    const body = server.server.requests[0]!.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      init_images: [base64(input)],
      denoising_strength: 0.35,
      resize_mode: 1,
      prompt: 'a red fox, studio light',
    });
    expect(body).not.toHaveProperty('mask');
    expect(result.providerMetadata).toMatchObject({ endpoint: 'img2img', denoisingStrength: 0.35 });
  });

  it('uses the default strength of 0.75 and maps a mask to the inpainting fields', async () => {
    const server = await fake();
    const input = solidPng([1, 2, 3, 255]);
    // Opaque white: already A1111's convention, so the converted mask has the same pixels.
    const mask = solidPng([255, 255, 255, 255]);
    await adapter({ baseURL: server.url })
      .image(undefined, { maskBlur: 8, invertMask: true })
      .generate(
        request({
          image: { bytes: input, mediaType: 'image/png' },
          mask: { bytes: mask, mediaType: 'image/png' },
        }),
      );
    expect(server.server.requests[0]!.json()).toMatchObject({
      init_images: [base64(input)],
      denoising_strength: 0.75,
      mask: base64(convertMask({ bytes: mask, mediaType: 'image/png' }, 'white-repaints').bytes),
      mask_blur: 8,
      inpainting_fill: 1,
      inpaint_full_res: false,
      inpainting_mask_invert: 1,
    });
  });

  it('warns about a mask or strength without an input image, and sends txt2img', async () => {
    const server = await fake();
    const result = await adapter({ baseURL: server.url })
      .image()
      .generate(
        request({
          mask: { bytes: solidPng([0, 0, 0, 255]), mediaType: 'image/png' },
          strength: 0.5,
        }),
      );
    expect(server.calls()).toEqual(['POST /sdapi/v1/txt2img']);
    expect(server.server.requests[0]!.json()).not.toHaveProperty('mask');
    expect(result.warnings).toEqual([
      'A mask needs an input image; `mask` was not sent.',
      '`strength` applies to an input image only; it was not sent.',
    ]);
  });
});

describe('createA1111: responses', () => {
  it('skips a grid image and extra images (index_of_first_image, Forge extras)', async () => {
    const grid = solidPng([0, 0, 0, 255]);
    const main = solidPng([9, 9, 9, 255]);
    const extra = solidPng([7, 7, 7, 255]);
    const server = await createTestServer([
      http.post('*/sdapi/v1/txt2img', () =>
        HttpResponse.json({
          images: [base64(grid), base64(main), base64(extra)],
          parameters: {},
          info: JSON.stringify({
            seed: 5,
            all_seeds: [77],
            index_of_first_image: 1,
            version: 'f2.0.1',
          }),
        }),
      ),
    ]);
    cleanup.track(server);
    const result = await adapter({ baseURL: server.url }).image().generate(request());
    expect(result.image.bytes).toEqual(main);
    expect(result.seed).toBe(77);
    expect(result.providerMetadata).toMatchObject({ version: 'f2.0.1' });
  });

  it('keeps the image but warns when `info` is not JSON (the seed sent is kept)', async () => {
    const image = solidPng([3, 3, 3, 255]);
    const server = await createTestServer([
      http.post('*/sdapi/v1/txt2img', () =>
        HttpResponse.json({ images: [base64(image)], parameters: {}, info: '{not json' }),
      ),
    ]);
    cleanup.track(server);
    const provider = adapter({ baseURL: server.url }).image();
    const seeded = await provider.generate(request({ seed: 9 }));
    expect(seeded.image.bytes).toEqual(image);
    expect(seeded.seed).toBe(9);
    expect(seeded.warnings).toEqual([
      'a1111 returned an `info` that is not a JSON object; the seed it used is unknown.',
    ]);
    const random = await provider.generate(request());
    expect(random.seed).toBeUndefined();
  });

  it('accepts JPEG output and a data: URL, and rejects bytes that are not an image', async () => {
    const server = await createTestServer([
      http.post('*/sdapi/v1/txt2img', () =>
        HttpResponse.json({
          images: [`data:image/jpeg;base64,${base64(jpegBytes)}`],
          info: JSON.stringify({ seed: 1 }),
        }),
      ),
      http.post('*/sdapi/v1/img2img', () =>
        HttpResponse.json({
          images: [base64(new TextEncoder().encode('<html>oops</html>'))],
          info: '{}',
        }),
      ),
    ]);
    cleanup.track(server);
    const provider = adapter({ baseURL: server.url }).image();
    expect((await provider.generate(request())).image.mediaType).toBe('image/jpeg');
    const error = await rejectionOf(
      provider.generate(
        request({ image: { bytes: solidPng([0, 0, 0, 255]), mediaType: 'image/png' } }),
      ),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'provider_bad_response', retryable: false, status: 200 });
    expect((error as Error).message).toMatch(
      /not PNG, JPEG or WebP \(17 bytes starting 3c 68 74 6d/,
    );
  });

  it('fails clearly when there is no image at all', async () => {
    const server = await createTestServer([
      http.post('*/sdapi/v1/txt2img', () => HttpResponse.json({ images: [], info: '{}' })),
    ]);
    cleanup.track(server);
    const error = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect(error).toMatchObject({ code: 'provider_bad_response' });
    expect((error as Error).message).toContain('returned no image');
  });
});

describe('createA1111: progress', () => {
  it('reports fraction, ETA and changed previews in order, and stops polling when the call settles', async () => {
    const first = solidPng([50, 0, 0, 255]);
    const second = solidPng([0, 50, 0, 255]);
    const server = await fake({
      generationMs: 250,
      progress: [
        { progress: 0.25, eta: 3, preview: first },
        { progress: 0.5, eta: 2, preview: first },
        { progress: 0.75, eta: 1.5, preview: second },
      ],
    });
    const events: ImageProgress[] = [];
    await adapter({ baseURL: server.url, progressIntervalMs: 20 })
      .image()
      .generate(request({ onProgress: (progress) => events.push(progress) }));

    const polls = server.calls().filter((call) => call === 'POST /internal/progress').length;
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(server.calls()).not.toContain('GET /sdapi/v1/progress');
    const asked = server.server.requests
      .filter((entry) => entry.url.pathname === '/internal/progress')
      .map((entry) => entry.json<Record<string, unknown>>());
    const taskId = server.server.requests[0]!.json<{ force_task_id: string }>().force_task_id;
    expect(asked[0]).toEqual({ id_task: taskId, id_live_preview: -1, live_preview: true });
    // The preview id the server gave is sent back, so the same preview is not sent again.
    expect(asked[1]).toMatchObject({ id_live_preview: 1 });
    expect(events.slice(0, 3)).toEqual([
      { fraction: 0.25, etaMs: 3000, preview: { bytes: first, mediaType: 'image/png' } },
      { fraction: 0.5, etaMs: 2000 },
      { fraction: 0.75, etaMs: 1500, preview: { bytes: second, mediaType: 'image/png' } },
    ]);
    const fractions = events.map((event) => event.fraction!);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));

    // Settled: no poll is in flight or scheduled any more.
    await delay(100);
    expect(server.calls().filter((call) => call === 'POST /internal/progress').length).toBe(polls);
  });

  it('does not poll without onProgress, and survives a throwing callback', async () => {
    const server = await fake({
      generationMs: 80,
      progress: [{ progress: 0.5, eta: 1, preview: null }],
    });
    const provider = adapter({ baseURL: server.url, progressIntervalMs: 15 }).image();
    await provider.generate(request());
    expect(server.calls()).toEqual(['POST /sdapi/v1/txt2img']);
    const result = await provider.generate(
      request({
        onProgress: () => {
          throw new Error('listener bug');
        },
      }),
    );
    expect(result.image.bytes).toEqual(server.image);
  });
});

describe('createA1111: abort', () => {
  it('posts /sdapi/v1/interrupt, then settles with an AbortError', async () => {
    const server = await fake({ generationMs: 10_000 });
    const controller = new AbortController();
    const events: ImageProgress[] = [];
    const pending = adapter({ baseURL: server.url, progressIntervalMs: 20 })
      .image()
      .generate(
        request({ signal: controller.signal, onProgress: (progress) => events.push(progress) }),
      );
    await delay(80);
    controller.abort();
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(AbortError);
    expect(server.interrupted()).toBe(true);
    expect(server.calls()).toContain('POST /sdapi/v1/interrupt');
    const afterAbort = server.calls().length;
    await delay(80);
    expect(server.calls().length).toBe(afterAbort);
  });

  it('keeps the signal reason when it is a Layerloom error (e.g. the scheduler timeout)', async () => {
    const server = await fake({ generationMs: 10_000 });
    const controller = new AbortController();
    const pending = adapter({ baseURL: server.url })
      .image()
      .generate(request({ signal: controller.signal }));
    await delay(30);
    const timeout = new TimeoutError('layer took too long', 30);
    controller.abort(timeout);
    expect(await rejectionOf(pending)).toBe(timeout);
    expect(server.interrupted()).toBe(true);
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
    expect(server.calls()).toEqual([]);
  });
});

describe('createA1111: auth and errors', () => {
  it('sends basic auth on every route and never shows the password', async () => {
    const server = await fake({
      auth: { username: 'artist', password },
      generationMs: 60,
      progress: [{ progress: 0.5, eta: 1, preview: null }],
    });
    const expected = `Basic ${Buffer.from(`artist:${password}`).toString('base64')}`;
    await adapter({
      baseURL: server.url,
      auth: { username: 'artist', password },
      progressIntervalMs: 15,
    })
      .image()
      .generate(request({ onProgress: () => {} }));
    expect(server.server.requests.length).toBeGreaterThan(1);
    for (const entry of server.server.requests) expect(entry.headers.authorization).toBe(expected);

    const wrong = await rejectionOf(
      adapter({ baseURL: server.url, auth: `artist:wrong-${password}` })
        .image()
        .generate(request()),
    );
    expect(wrong).toBeInstanceOf(ProviderError);
    expect(wrong).toMatchObject({ status: 401, retryable: false, providerCode: 'HTTPException' });
    expect((wrong as Error).message).toContain('Incorrect username or password');
    expect(`${String(wrong)} ${JSON.stringify(wrong)}`).not.toContain(password);

    const missing = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect((missing as Error).message).toContain('Not authenticated');
  });

  it('takes credentials written into the base URL and keeps them out of messages', async () => {
    const server = await fake({ auth: { username: 'artist', password } });
    const withCredentials = server.url.replace('http://', `http://artist:${password}@`);
    await adapter({ baseURL: withCredentials }).image().generate(request());
    expect(server.server.requests[0]!.headers.authorization).toMatch(/^Basic /);

    const closed = await createTestServer();
    const url = closed.url;
    await closed.close();
    const error = await rejectionOf(
      adapter({ baseURL: url.replace('http://', `http://artist:${password}@`) })
        .image()
        .generate(request()),
    );
    expect((error as Error).message).toContain(url);
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(password);
  });

  it('maps 422 validation bodies (pydantic v1 and v2) with the server detail', async () => {
    const server = await fake();
    const v1 = await rejectionOf(
      adapter({ baseURL: server.url })
        .image(undefined, { options: { steps: 'many' } })
        .generate(request()),
    );
    expect(v1).toBeInstanceOf(ProviderError);
    expect(v1).toMatchObject({ status: 422, retryable: false, providerCode: 'type_error.integer' });
    expect((v1 as Error).message).toBe(
      'a1111 POST /sdapi/v1/txt2img failed with HTTP 422: `steps`: value is not a valid integer (type_error.integer)',
    );

    server.server.use(
      http.post('*/sdapi/v1/txt2img', () =>
        HttpResponse.json(
          {
            detail: [
              {
                type: 'int_parsing',
                loc: ['body', 'steps'],
                msg: 'Input should be a valid integer, unable to parse string as an integer',
                input: 'x'.repeat(5000),
                url: 'https://errors.pydantic.dev/2.8/v/int_parsing',
              },
              { type: 'missing', loc: ['body', 'prompt'], msg: 'Field required' },
            ],
          },
          { status: 422 },
        ),
      ),
    );
    const v2 = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect(v2).toMatchObject({ status: 422, providerCode: 'int_parsing' });
    expect((v2 as Error).message).toContain(
      '`steps`: Input should be a valid integer, unable to parse string as an integer (int_parsing); `prompt`: Field required (missing)',
    );
    expect((v2 as Error).message).not.toContain('xxxx');
  });

  it('maps 500s from A1111 handler to retryable errors with the detail', async () => {
    const server = await fake();
    server.server.use(
      http.post('*/sdapi/v1/txt2img', () =>
        HttpResponse.json(
          {
            error: 'OutOfMemoryError',
            detail: '',
            body: '',
            errors: 'CUDA out of memory. Tried to allocate 2.00 GiB',
          },
          { status: 500 },
        ),
      ),
    );
    const error = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect(error).toMatchObject({ status: 500, retryable: true, providerCode: 'OutOfMemoryError' });
    expect((error as Error).message).toBe(
      'a1111 POST /sdapi/v1/txt2img failed with HTTP 500: CUDA out of memory. Tried to allocate 2.00 GiB',
    );
  });

  it('explains a 404 from a server started without --api', async () => {
    const server = await createTestServer([
      http.post('*/sdapi/v1/txt2img', () =>
        HttpResponse.json({ detail: 'Not Found' }, { status: 404 }),
      ),
    ]);
    cleanup.track(server);
    const error = await rejectionOf(adapter({ baseURL: server.url }).image().generate(request()));
    expect((error as Error).message).toContain(
      'start the web UI with --api'.replace('start', 'Start'),
    );
  });

  it('gives a retryable connection error naming the URL when the server is down', async () => {
    const closed = await createTestServer();
    const url = closed.url;
    await closed.close();
    const error = await rejectionOf(adapter({ baseURL: url }).image().generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'provider_connection_error',
      retryable: true,
      provider: 'a1111',
    });
    expect((error as Error).message).toContain(`cannot reach ${url}`);
    expect((error as Error).message).toContain('--api');
  });

  it('times out a call that never answers', async () => {
    const server = await fake({ generationMs: 10_000 });
    const error = await rejectionOf(
      adapter({ baseURL: server.url, timeoutMs: 100 }).image().generate(request()),
    );
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true });
  });
});

describe('createA1111: LayerDiffuse', () => {
  const layerDiffuse = {
    args: [true, '(SDXL) Only Generate Transparent Image (Attention Injection)', 1, 1],
  };

  it('declares transparency and adds the script only to transparent requests, returning the alpha image', async () => {
    const opaque = solidPng([255, 255, 255, 255]);
    const cutout = solidPng([255, 0, 0, 128]);
    const server = await createTestServer([
      http.post('*/sdapi/v1/txt2img', () =>
        HttpResponse.json({
          images: [base64(opaque), base64(cutout)],
          info: JSON.stringify({ seed: 3, all_seeds: [3], index_of_first_image: 0 }),
        }),
      ),
    ]);
    cleanup.track(server);
    const provider = adapter({ baseURL: server.url }).image(undefined, { layerDiffuse });
    expect(provider.capabilities.transparency).toBe(true);
    const transparent = await provider.generate(request({ transparent: true }));
    expect(server.requests[0]!.json()).toMatchObject({
      alwayson_scripts: { LayerDiffuse: { args: layerDiffuse.args } },
    });
    expect(transparent.image.bytes).toEqual(cutout);
    const plain = await provider.generate(request());
    expect(server.requests[1]!.json()).not.toHaveProperty('alwayson_scripts');
    expect(plain.image.bytes).toEqual(opaque);
  });

  it('detects a LayerDiffuse script written by hand into the options', () => {
    expect(
      createA1111({ baseURL: 'http://127.0.0.1:1' }).image(undefined, {
        options: { alwayson_scripts: { layerdiffuse: { args: [true] } } },
      }).capabilities.transparency,
    ).toBe(true);
  });

  it('warns when `transparent` cannot be honoured', async () => {
    const server = await fake();
    const result = await adapter({ baseURL: server.url })
      .image()
      .generate(request({ transparent: true }));
    expect(result.warnings).toEqual([
      'AUTOMATIC1111 has no native transparency without a LayerDiffuse script; `transparent` was not sent.',
    ]);
  });
});

describe('createA1111: settings', () => {
  it.each([
    [{ baseURL: 'ftp://host' }, /baseURL/],
    [{ baseURL: 'http://127.0.0.1:7860', timeoutMs: -1 }, /timeoutMs/],
    [{ baseURL: 'http://127.0.0.1:7860', progressIntervalMs: 1 }, /progressIntervalMs/],
    [{ baseURL: 'http://127.0.0.1:7860', extra: true }, /Unknown key `extra`/],
  ])('rejects %j with a ValidationError naming the field', (settings, pattern) => {
    expect(() => createA1111(settings as never)).toThrow(ValidationError);
    expect(() => createA1111(settings as never)).toThrow(pattern);
  });

  it('never shows a malformed password or header value', () => {
    const attempt = (settings: unknown) => {
      try {
        createA1111(settings as never);
      } catch (error) {
        return error as ValidationError;
      }
      throw new Error('expected a ValidationError');
    };
    const badAuth = attempt({ baseURL: 'http://h', auth: { username: 'a:b', password } });
    expect(badAuth.message).toContain('`auth`');
    expect(badAuth.message).not.toContain(password);
    const badHeader = attempt({ baseURL: 'http://h', headers: { authorization: 12345678 } });
    expect(badHeader.message).toContain('headers.authorization');
    expect(badHeader.message).not.toContain('12345678');
  });

  it('validates the checkpoint and the defaults', () => {
    const a1111 = createA1111({ baseURL: 'http://127.0.0.1:7860' });
    expect(() => a1111.image('')).toThrow(ValidationError);
    expect(() => a1111.image(undefined, { steps: 0 })).toThrow(
      'Expected `steps` to be an integer from 1 to 1000, got `0` (number)',
    );
    expect(() => a1111.image(undefined, { cfg_scale: 7 } as never)).toThrow(
      /Unknown key `cfg_scale`/,
    );
    expect(() => a1111.image(undefined, { minSize: 512, maxSize: 256 })).toThrow(/maxSize/);
    expect(a1111.image(undefined, { maxSize: 1536 }).capabilities.sizes).toEqual({
      min: 64,
      max: 1536,
      multipleOf: 8,
    });
  });
});

describe('createA1111: request options', () => {
  it('turns options JSON cannot hold into a ValidationError before sending anything', async () => {
    const server = await fake();
    const error = await rejectionOf(
      adapter({ baseURL: server.url })
        .image()
        .generate(request({ options: { huge: 10n } })),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('`options`');
    expect(server.calls()).toEqual([]);
  });
});

describe('createA1111: fingerprint', () => {
  it('differs for defaults that paint differently, not for size limits or key order', () => {
    const a1111 = createA1111({ baseURL: 'http://127.0.0.1:7860' });
    const base = a1111.image('m', { steps: 20, cfgScale: 7 }).fingerprint;
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(a1111.image('m', { cfgScale: 7, steps: 20, maxSize: 1024 }).fingerprint).toBe(base);
    expect(a1111.image('m', { steps: 21, cfgScale: 7 }).fingerprint).not.toBe(base);
    expect(
      a1111.image('m', { steps: 20, cfgScale: 7, options: { enable_hr: true } }).fingerprint,
    ).not.toBe(base);
    expect(() => a1111.image('m', { options: { x: 1n } })).toThrow(ValidationError);
  });
});
