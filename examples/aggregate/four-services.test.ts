// Four layers to four different services plus a style pass, against four fake servers on
// 127.0.0.1 that speak each service's wire format; every server must have got its request.
import { decodeImage } from '@layerloom/compositor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeFal,
  type FakeFal,
  testFalKey,
} from '../../packages/provider-fal/src/fixtures/fake-fal-server.js';
import {
  createFakeGoogle,
  type FakeGoogle,
} from '../../packages/provider-google/src/fixtures/fake-google-server.js';
import { testApiKey as googleKey } from '../../packages/provider-google/src/fixtures/google-responses.js';
import {
  createFakeReplicate,
  type FakeReplicate,
  fakeImageDownload,
  testApiKey as replicateKey,
} from '../../packages/provider-replicate/src/fixtures/fake-replicate-server.js';
import {
  createFakeStability,
  type FakeStability,
  testApiKey as stabilityKey,
} from '../../packages/provider-stability/src/fixtures/fake-stability-server.js';
import { renderWithFourServices } from './four-services.js';

let fal: FakeFal;
let replicate: FakeReplicate;
let google: FakeGoogle;
let stability: FakeStability;
beforeAll(async () => {
  [fal, replicate, google, stability] = await Promise.all([
    createFakeFal(),
    createFakeReplicate(),
    createFakeGoogle(),
    createFakeStability(),
  ]);
});
afterAll(() => Promise.all([fal.close(), replicate.close(), google.close(), stability.close()]));

describe('examples/aggregate/four-services.ts', () => {
  it('paints each layer on its own service, styles on a fifth model, and every server got its request', async () => {
    const done: string[] = [];
    const result = await renderWithFourServices(
      {
        fal: { apiKey: testFalKey, baseURL: fal.queueURL, imageDownload: fakeImageDownload },
        replicate: {
          apiKey: replicateKey,
          baseURL: replicate.baseURL,
          imageDownload: fakeImageDownload,
        },
        google: { apiKey: googleKey, baseURL: google.baseURL },
        stability: { apiKey: stabilityKey, baseURL: stability.baseURL },
      },
      (event) => {
        if (event.type === 'layer:done' || event.type === 'style:done') done.push(event.type);
      },
    );

    // Each layer was painted by the service it was bound to.
    expect(result.layers.map((layer) => [layer.id, layer.providerId, layer.modelId])).toEqual([
      ['knight', 'fal', 'fal-ai/flux/dev'],
      ['wolf', 'replicate', 'black-forest-labs/flux-schnell'],
      ['lantern', 'google', 'gemini-2.5-flash-image'],
      ['forest', 'stability', 'stable-image-core'],
    ]);
    expect(result.style).toMatchObject({ providerId: 'stability', modelId: 'sd3.5-large' });
    expect(done).toEqual(['layer:done', 'layer:done', 'layer:done', 'layer:done', 'style:done']);

    // Every server received its call, with the layer's prompt.
    expect(fal.lastInput().prompt).toMatch(/^a knight in silver armour, full figure/);
    expect(
      fal.calls().some((call) => call.method === 'POST' && call.path.endsWith('/fal-ai/flux/dev')),
    ).toBe(true);
    const replicateCreate = replicate.lastCreate();
    expect(replicateCreate.path).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
    expect((replicateCreate.json() as { input: { prompt: string } }).input.prompt).toMatch(
      /^a grey wolf sitting, side view/,
    );
    const geminiCall = google.calls().find((call) => call.path.includes('gemini-2.5-flash-image'));
    expect(JSON.stringify(geminiCall?.json())).toContain('a glowing paper lantern');
    const stabilityPaths = stability.calls().map((call) => call.path);
    expect(stabilityPaths).toEqual([
      '/v2beta/stable-image/generate/core',
      '/v2beta/stable-image/generate/sd3',
    ]);

    // One picture of the canvas size, and a manifest that names every service.
    const picture = await decodeImage(result.image.bytes);
    expect([picture.width, picture.height]).toEqual([result.image.width, result.image.height]);
    expect(
      Object.values(result.manifest.providers)
        .map((provider) => provider.id)
        .sort(),
    ).toEqual(['fal', 'google', 'replicate', 'stability', 'stability']);
    expect(result.manifest.steps).toHaveLength(5);
  }, 60_000);
});
