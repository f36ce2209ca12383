import type { ImageRequest, ResolvedBinding } from '@layerloom/core';
import { createImageRequest, createTestCleanup } from '@layerloom/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeA1111 } from '../../test/fake-a1111-server.js';
import { createA1111 } from './create-a1111.js';

const cleanup = createTestCleanup();
afterEach(() => cleanup.run());

const binding: ResolvedBinding = {
  packs: [{ name: '@studio/ember-world', version: '1.2.3', contentHash: 'a'.repeat(64) }],
  subject: { pack: '@studio/ember-world', kind: 'entity', id: 'knight', name: 'Ser Ember' },
  providerId: 'a1111',
  checkpoint: 'emberXL_v2.safetensors',
  loras: [
    { name: 'ember-knight', weight: 0.8 },
    { name: 'soot', weight: 1 },
  ],
  sampler: 'Euler a',
  steps: 32,
  cfgScale: 5,
};

async function send(fields: Partial<ImageRequest>) {
  const server = cleanup.track(await createFakeA1111());
  const provider = cleanup
    .track(createA1111({ baseURL: server.url }))
    .image('sd_xl_base_1.0.safetensors', { steps: 20, sampler: 'DPM++ 2M' });
  await provider.generate(
    createImageRequest({ prompt: 'a knight', width: 512, height: 512, ...fields }),
  );
  return server.server.requests[0]!.json() as Record<string, unknown>;
}

describe('A1111 world-pack bindings', () => {
  it('sends the checkpoint in override_settings and the LoRAs in the prompt', async () => {
    const body = await send({ binding });
    expect(body).toMatchObject({
      prompt: 'a knight <lora:ember-knight:0.8> <lora:soot:1>',
      override_settings: { sd_model_checkpoint: 'emberXL_v2.safetensors' },
      sampler_name: 'Euler a',
      steps: 32,
      cfg_scale: 5,
    });
  });

  it("keeps the request's own options over the binding", async () => {
    const body = await send({
      binding,
      options: { steps: 12, override_settings: { sd_model_checkpoint: 'mine.safetensors' } },
    });
    expect(body).toMatchObject({
      steps: 12,
      override_settings: { sd_model_checkpoint: 'mine.safetensors' },
      sampler_name: 'Euler a',
    });
  });

  it('sends the adapter defaults without a binding', async () => {
    const body = await send({});
    expect(body).toMatchObject({
      prompt: 'a knight',
      steps: 20,
      override_settings: { sd_model_checkpoint: 'sd_xl_base_1.0.safetensors' },
    });
  });
});
