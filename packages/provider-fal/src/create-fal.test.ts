import type { LookupFunction } from 'node:net';
import { createLoom, ValidationError } from '@layerloom/core';
import { createImageRequest, createRecordingCompositor, thrownBy } from '@layerloom/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFal, fal } from './create-fal.js';
import { createFakeFal, type FakeFal, testFalKey } from './fixtures/fake-fal-server.js';

let fake: FakeFal;
beforeAll(async () => {
  fake = await createFakeFal();
});
afterEach(() => {
  fake.reset();
  vi.unstubAllEnvs();
});
afterAll(() => fake.close());

const thrown = (action: () => unknown) => thrownBy(action, ValidationError);
const lookup: LookupFunction = (_hostname, _options, callback) => callback(null, '127.0.0.1', 4);
const imageDownload = { allowHttp: true, allowedAddresses: ['127.0.0.1'], lookup };

describe('createFal', () => {
  it('reads FAL_KEY at the first request, not before, and sends it as `Key …`', async () => {
    vi.stubEnv('FAL_KEY', '');
    const instance = createFal({ baseURL: fake.queueURL, pollIntervalMs: 5, imageDownload });
    const provider = instance.image('fal-ai/flux/dev');
    expect(provider.estimateCostUsd?.({ prompt: 'x', width: 1024, height: 1024 })).toBe(0.025);
    vi.stubEnv('FAL_KEY', testFalKey);
    await provider.generate(createImageRequest({ prompt: 'a fox' }));
    expect(fake.calls()[0]!.headers.authorization).toBe(`Key ${testFalKey}`);
    await instance.close();
  });

  it('without a key, the first generate rejects naming FAL_KEY and sends nothing', async () => {
    vi.stubEnv('FAL_KEY', '');
    const provider = createFal({ baseURL: fake.queueURL }).image('fal-ai/flux/dev');
    const error = await provider.generate(createImageRequest()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('FAL_KEY');
    expect(fake.calls()).toEqual([]);
  });

  it('the default instance exists without a key', () => {
    expect(fal.image('fal-ai/flux/schnell').modelId).toBe('fal-ai/flux/schnell');
  });

  it('sends extra headers, which win over its own', async () => {
    const instance = createFal({
      apiKey: testFalKey,
      baseURL: fake.queueURL,
      pollIntervalMs: 5,
      headers: { 'X-Fal-Queue-Priority': 'low', Accept: 'application/json' },
      imageDownload,
    });
    await instance.image('fal-ai/flux/dev').generate(createImageRequest({ prompt: 'a fox' }));
    expect(fake.calls()[0]!.headers).toMatchObject({
      'x-fal-queue-priority': 'low',
      authorization: `Key ${testFalKey}`,
    });
    await instance.close();
  });

  it('validates its settings, naming the field', () => {
    expect(thrown(() => createFal({ pollIntervalMs: 0 })).message).toBe(
      'Invalid fal settings: Expected `pollIntervalMs` to be a positive number of milliseconds, got `0` (number)',
    );
    expect(thrown(() => createFal({ baseURL: 'queue.fal.run' })).issues[0]!.path).toEqual([
      'baseURL',
    ]);
    expect(thrown(() => createFal({ timeoutMs: -1 })).issues[0]!.path).toEqual(['timeoutMs']);
    expect(thrown(() => createFal({ key: 'x' } as never)).message).toContain('Unknown key `key`');
    expect(
      thrown(() => createFal({ prices: { 'fal-ai/flux/dev': { perMegapixel: -1 } } })).issues[0]!
        .path,
    ).toEqual(['prices', 'fal-ai/flux/dev', 'perMegapixel']);
  });

  it('validates the model id and the defaults', () => {
    expect(thrown(() => fal.image('flux')).message).toContain(
      'a fal model id such as "fal-ai/flux/dev"',
    );
    expect(thrown(() => fal.image('fal-ai/../secrets')).issues[0]!.path).toEqual([]);
    expect(thrown(() => fal.image('fal-ai/flux/dev', { steps: 3 } as never)).message).toContain(
      'Unknown key `steps`',
    );
  });

  it('declares capabilities per model', () => {
    const caps = (id: string) => fal.image(id).capabilities;
    expect(caps('fal-ai/flux/dev')).toEqual({
      transparency: false,
      imageInput: true,
      mask: false,
      seed: true,
      maxImagesPerCall: 4,
      sizes: { min: 256, max: 2048, multipleOf: 16 },
    });
    expect(caps('fal-ai/flux-lora')).toMatchObject({ imageInput: true, mask: true });
    expect(caps('fal-ai/flux/schnell')).toMatchObject({ imageInput: false, mask: false });
    expect(caps('fal-ai/recraft-v3')).toMatchObject({ seed: false, maxImagesPerCall: 1 });
    expect(Array.isArray(caps('fal-ai/recraft-v3').sizes)).toBe(true);
    expect(caps('someone/their-model')).toMatchObject({ imageInput: false, mask: false });
  });

  it('different defaults never share a cache entry', async () => {
    const composition = {
      width: 512,
      height: 512,
      layers: [{ id: 'a', prompt: 'a fox', provider: 'F' }],
    };
    const keyWith = async (steps: number) =>
      (
        await createLoom({
          providers: { F: fal.image('fal-ai/flux/dev', { numInferenceSteps: steps }) },
          compositor: createRecordingCompositor(),
        }).plan(composition)
      ).steps[0]?.cacheKey;
    expect(await keyWith(20)).not.toBe(await keyWith(40));
    expect(fal.image('fal-ai/flux/dev').fingerprint).toBe(fal.image('fal-ai/flux/dev').fingerprint);
  });

  it('prices from ONE table, replaced model by model', () => {
    const priced = createFal({ prices: { 'fal-ai/flux/dev': { perMegapixel: 0.1 } } });
    const planned = { prompt: 'x', width: 1536, height: 1024 };
    expect(priced.image('fal-ai/flux/dev').estimateCostUsd?.(planned)).toBe(0.2);
    expect(priced.image('fal-ai/flux/schnell').estimateCostUsd?.(planned)).toBe(0.006);
    expect(priced.image('fal-ai/recraft-v3').estimateCostUsd?.(planned)).toBe(0.04);
    expect(priced.image('other/model').estimateCostUsd?.(planned)).toBeUndefined();
  });
});
