import { type PlannedImageRequest, ValidationError } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { mapImageRequest } from './map-image-request.js';
import { resolveOpenAIImageModel } from './openai-image-models.js';
import type { OpenAIImageOptions } from './openai-image-options.js';

const png = { bytes: new Uint8Array([137, 80, 78, 71]), mediaType: 'image/png' };

const map = (
  model: string,
  request: Partial<PlannedImageRequest>,
  options: OpenAIImageOptions = {},
) =>
  mapImageRequest(
    model,
    resolveOpenAIImageModel(model),
    { prompt: 'a fox', width: 1024, height: 1024, ...request },
    options,
  );

describe('mapImageRequest', () => {
  it('sends the minimum for a plain request', () => {
    expect(map('gpt-image-1', {})).toEqual({
      endpoint: '/images/generations',
      fields: { model: 'gpt-image-1', prompt: 'a fox', n: 1, size: '1024x1024' },
      stream: false,
      partialImages: 0,
      width: 1024,
      height: 1024,
      size: '1024x1024',
      quality: 'auto',
      inputImages: [],
      warnings: [],
    });
  });

  it('warns about a negative prompt, or appends it when asked', () => {
    const warned = map('gpt-image-1', { negativePrompt: 'text, watermark' });
    expect(warned.fields.prompt).toBe('a fox');
    expect(warned.warnings).toEqual([
      `OpenAI has no negative prompt; "text, watermark" was not sent (option \`negativePrompt: 'append'\` adds it to the prompt).`,
    ]);
    const appended = map(
      'gpt-image-1',
      { negativePrompt: 'text, watermark' },
      { negativePrompt: 'append' },
    );
    expect(appended.fields.prompt).toBe('a fox\n\nAvoid: text, watermark.');
    expect(appended.warnings).toHaveLength(1);
    expect(map('gpt-image-1', { negativePrompt: '  ' }).warnings).toEqual([]);
  });

  it('translates quality names between the families', () => {
    expect(map('gpt-image-1', {}, { quality: 'hd' })).toMatchObject({
      fields: { quality: 'high' },
      quality: 'high',
      warnings: ['gpt-image-1 does not take quality "hd"; sent "high".'],
    });
    expect(map('gpt-image-1', {}, { quality: 'standard' }).fields.quality).toBe('medium');
    expect(map('dall-e-3', {}, { quality: 'low' }).fields.quality).toBe('standard');
    const auto = map('dall-e-3', {}, { quality: 'auto' });
    expect(auto.fields).not.toHaveProperty('quality');
    expect(auto.quality).toBe('standard');
    expect(map('dall-e-2', {}, { quality: 'standard' })).toMatchObject({
      fields: { quality: 'standard' },
      warnings: [],
    });
  });

  it('makes a cut-out transparent even against the background option, with a warning', () => {
    const mapped = map('gpt-image-1', { transparent: true }, { background: 'opaque' });
    expect(mapped.fields.background).toBe('transparent');
    expect(mapped.warnings).toEqual([
      'Option `background: "opaque"` was overridden: this request is a cut-out, so `background: "transparent"` was sent.',
    ]);
    expect(map('gpt-image-1', {}, { background: 'transparent' }).fields.background).toBe(
      'transparent',
    );
  });

  it('warns about strength, inputFidelity and a mask without an input image', () => {
    const mapped = map('gpt-image-1', { strength: 0.4, mask: png }, { inputFidelity: 'high' });
    expect(mapped.fields).not.toHaveProperty('input_fidelity');
    expect(mapped.warnings).toEqual([
      '`strength` applies to requests with an input image; 0.4 was ignored.',
      'A `mask` needs an input image; it was not sent.',
      'Option `inputFidelity` is only for edits; it was not sent to gpt-image-1.',
    ]);
  });

  it('maps strength to input_fidelity at the 0.5 threshold', () => {
    const fidelity = (strength: number) =>
      map('gpt-image-1', { image: png, strength }).fields.input_fidelity;
    expect([0, 0.2, 0.49].map(fidelity)).toEqual(['high', 'high', 'high']);
    expect([0.5, 0.8, 1].map(fidelity)).toEqual(['low', 'low', 'low']);
  });

  it('warns that response_format url is for DALL·E only, and never sends it to GPT models', () => {
    const mapped = map('gpt-image-1', {}, { responseFormat: 'url' });
    expect(mapped.fields).not.toHaveProperty('response_format');
    expect(mapped.warnings).toEqual([
      'Option `responseFormat` is only for DALL·E (GPT image models always answer inline); it was not sent to gpt-image-1.',
    ]);
    expect(map('gpt-image-1', {}, { responseFormat: 'b64_json' }).warnings).toEqual([]);
  });

  it('calls an unknown model with the GPT image rules and says so', () => {
    const mapped = map('gpt-image-9', { width: 1536, height: 1024 });
    expect(mapped.fields).toMatchObject({ model: 'gpt-image-9', size: '1536x1024' });
    expect(mapped.warnings).toEqual([
      'gpt-image-9 is not a model this adapter knows; it was called with the rules of the GPT image models.',
    ]);
  });

  it('refuses a prompt longer than the model accepts, counting an appended negative prompt', () => {
    expect(() => map('dall-e-2', { prompt: 'x'.repeat(1001) })).toThrow(ValidationError);
    expect(() => map('dall-e-2', { prompt: 'x'.repeat(1001) })).toThrow(
      'Expected `prompt` to be at most 1000 characters for dall-e-2, got 1001 characters',
    );
    expect(() => map('dall-e-2', { prompt: 'x'.repeat(1000) })).not.toThrow();
    expect(() =>
      map(
        'dall-e-2',
        { prompt: 'x'.repeat(990), negativePrompt: 'blur' },
        { negativePrompt: 'append' },
      ),
    ).toThrow(/at most 1000 characters/);
    expect(() => map('gpt-image-1', { prompt: 'x'.repeat(32_000) })).not.toThrow();
  });
});
