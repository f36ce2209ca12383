import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadWorldPack, worldPackJsonSchema } from '@layerloom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeOpenAI,
  type FakeOpenAI,
} from '../../packages/provider-openai/src/fixtures/fake-openai-server.js';
import { testApiKey } from '../../packages/provider-openai/src/fixtures/openai-responses.js';
import {
  createFakeA1111,
  type FakeA1111,
} from '../../packages/provider-sd/test/fake-a1111-server.js';
import {
  createFakeComfyUI,
  type FakeComfyUI,
} from '../../packages/provider-sd/test/fake-comfyui-server.js';
import { renderWorldPack } from './render-world-pack.js';

let server: FakeA1111;
let comfy: FakeComfyUI;
let openAI: FakeOpenAI;
beforeAll(async () => {
  server = await createFakeA1111();
  comfy = await createFakeComfyUI();
  openAI = await createFakeOpenAI();
});
afterAll(async () => {
  await server.close();
  await comfy.close();
  await openAI.close();
});

const packFolder = join(import.meta.dirname, 'ember-world');

describe('world pack example (docs/world-packs.md)', () => {
  it('is a valid pack of 4 entities and 2 styles whose JSON Schema file is current', async () => {
    const pack = await loadWorldPack(packFolder);
    expect(Object.keys(pack.manifest.entities)).toEqual(['knight', 'wolf', 'oak', 'valley']);
    expect(Object.keys(pack.manifest.styles ?? {})).toEqual(['ink', 'glow']);
    const schema = JSON.parse(await readFile(join(packFolder, 'world-pack.schema.json'), 'utf8'));
    expect(schema).toEqual(worldPackJsonSchema());
  });

  it('renders the scene with the preview provider and lists the credits and usage', async () => {
    const { result, lines } = await renderWorldPack();
    expect(result.image).toMatchObject({ width: 768, height: 512, mediaType: 'image/png' });
    expect(lines).toEqual([
      'credit: Ember World by Mira Ash (CC BY 4.0) — @studio/ember-world@1.2.0, CC-BY-4.0',
      'uses entity knight of @studio/ember-world@1.2.0 in hero',
      'uses entity wolf of @studio/ember-world@1.2.0 in wolf',
      'uses entity valley of @studio/ember-world@1.2.0 in scene',
      'uses entity oak of @studio/ember-world@1.2.0 in scene',
      'uses style ink of @studio/ember-world@1.2.0 in style',
    ]);
    expect(result.manifest.composition.packs).toEqual([
      expect.objectContaining({ alias: 'w', version: '1.2.0' }),
    ]);
  });

  it("sends the pack's A1111 bindings to a fake AUTOMATIC1111 server", async () => {
    await renderWorldPack({ sdURL: server.url });
    const bodies = server.server.requests
      .filter((request) => request.path === '/sdapi/v1/txt2img')
      .map((request) => request.json() as { prompt: string; override_settings?: object });
    expect(bodies).toHaveLength(2);
    const hero = bodies.find((body) => body.prompt.startsWith('Ser Ember'))!;
    // The pack's prompt with its `$palette`, the layer's words, the chroma-key request (A1111
    // paints no transparency), then the binding's LoRA.
    expect(hero.prompt).toMatch(
      /^Ser Ember, a knight in soot-black plate armour with an ember crest, charcoal, rust and ember orange raising a torch.* <lora:ember-knight:0\.8>$/,
    );
    expect(hero.override_settings).toEqual({ sd_model_checkpoint: 'emberXL_v2.safetensors' });
    const wolf = bodies.find((body) => body.prompt.startsWith('Cinder'))!;
    expect(wolf.prompt).toContain('<lora:cinder-wolf:1>');
  });

  it("sends the pack's ComfyUI bindings to a fake ComfyUI server, LoRAs as LoraLoader nodes", async () => {
    const { result } = await renderWorldPack({ comfyURL: comfy.url });
    type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
    const graphs = comfy.server.requests
      .filter((request) => request.path === '/prompt')
      .map((request) => request.json<{ prompt: Graph }>().prompt);
    expect(graphs).toHaveLength(2);
    const textOf = (graph: Graph) =>
      Object.values(graph)
        .filter((node) => node.class_type === 'CLIPTextEncode')
        .map((node) => String(node.inputs.text))
        .join('\n');
    const lorasOf = (graph: Graph) =>
      Object.values(graph)
        .filter((node) => node.class_type === 'LoraLoader')
        .map((node) => [node.inputs.lora_name, node.inputs.strength_model]);
    const hero = graphs.find((graph) => textOf(graph).startsWith('Ser Ember'))!;
    const wolf = graphs.find((graph) => textOf(graph).startsWith('Cinder'))!;
    expect(lorasOf(hero)).toEqual([['ember-knight.safetensors', 0.8]]);
    expect(lorasOf(wolf)).toEqual([['cinder-wolf.safetensors', 1]]);
    const loader = (graph: Graph) =>
      Object.values(graph).find((node) => node.class_type === 'CheckpointLoaderSimple')!;
    expect(loader(hero).inputs.ckpt_name).toBe('emberXL_v2.safetensors');
    const sampler = Object.values(hero).find((node) => node.class_type === 'KSampler')!;
    expect(sampler.inputs.steps).toBe(28);
    expect(hero[(sampler.inputs.model as [string, number])[0]]!.class_type).toBe('LoraLoader');
    const heroLayer = result.layers.find((layer) => layer.id === 'hero')!;
    expect(heroLayer.provider).toBe('A');
    expect(heroLayer.warnings.join('\n')).not.toContain('loras');
  });

  it("sends the pack's reference images and quality to a fake OpenAI server as edit inputs", async () => {
    const { result } = await renderWorldPack({
      openAI: { apiKey: testApiKey, baseURL: openAI.baseURL },
    });
    const edits = openAI.calls().filter((call) => call.path === '/v1/images/edits');
    expect(edits).toHaveLength(2);
    const forms = await Promise.all(edits.map((call) => call.formData()));
    const bytesOf = async (file: File | string) =>
      Buffer.from(await (file as File).arrayBuffer()).toString('base64');
    const knight = forms.find((form) => String(form.get('prompt')).startsWith('Ser Ember'))!;
    const wolf = forms.find((form) => String(form.get('prompt')).startsWith('Cinder'))!;
    const reference = (name: string) => readFile(join(packFolder, 'refs', name), 'base64');
    // No input picture on these layers: the pack's reference image alone makes the edit (one
    // input image goes as the `image` part, as openai-node sends it).
    expect(await Promise.all(knight.getAll('image').map(bytesOf))).toEqual([
      await reference('knight.png'),
    ]);
    expect(await Promise.all(wolf.getAll('image').map(bytesOf))).toEqual([
      await reference('wolf.png'),
    ]);
    // The knight's binding asks for quality medium; the wolf's binding gives none (default).
    expect(knight.get('quality')).toBe('medium');
    expect(wolf.get('quality')).not.toBe('medium');
    expect(result.manifest.steps.find((step) => step.id === 'hero')).toBeDefined();
  });
});
