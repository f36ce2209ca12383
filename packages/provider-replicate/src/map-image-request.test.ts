import { type PlannedImageRequest, ValidationError } from '@layerloom/core';
import { thrownBy } from '@layerloom/core/testing';
import { describe, expect, it } from 'vitest';
import { testPng } from './fixtures/test-images.js';
import { mapImageRequest, maxInlineInputBytes } from './map-image-request.js';
import { resolveReplicateModel } from './replicate-image-models.js';
import type { ReplicateImageOptions } from './replicate-image-options.js';

const request = (fields: Partial<PlannedImageRequest> = {}): PlannedImageRequest => ({
  prompt: 'a lighthouse',
  width: 1024,
  height: 1024,
  ...fields,
});

const map = (
  model: string,
  fields: Partial<PlannedImageRequest> = {},
  options: ReplicateImageOptions = {},
) => mapImageRequest(resolveReplicateModel(model), request(fields), options);

const png = { bytes: testPng(4, 4), mediaType: 'image/png' };

describe('mapImageRequest', () => {
  it('maps FLUX schnell: nearest aspect ratio, seed, one output, no negative prompt', () => {
    const mapped = map('black-forest-labs/flux-schnell', {
      width: 1920,
      height: 1080,
      seed: 7,
      negativePrompt: 'fog',
    });
    expect(mapped.input).toEqual({
      prompt: 'a lighthouse',
      aspect_ratio: '16:9',
      seed: 7,
      num_outputs: 1,
    });
    expect(mapped.size).toEqual({ width: 1344, height: 768 });
    expect(mapped.warnings).toEqual([
      'The negative prompt "fog" was not sent to black-forest-labs/flux-schnell: the model has no negative prompt.',
      'black-forest-labs/flux-schnell does not paint 1920x1080; asked for 1344x768 (aspect_ratio 16:9).',
    ]);
  });

  it('maps FLUX dev image-to-image: data URI, strength as prompt_strength, steps and guidance', () => {
    const mapped = map(
      'black-forest-labs/flux-dev',
      { image: png, strength: 0.35, width: 1216, height: 832 },
      { numInferenceSteps: 28, guidance: 3.5, outputFormat: 'png' },
    );
    expect(mapped.input).toMatchObject({
      aspect_ratio: '3:2',
      num_inference_steps: 28,
      guidance: 3.5,
      output_format: 'png',
      prompt_strength: 0.35,
    });
    expect(String(mapped.input.image)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(mapped.warnings).toEqual([]);
  });

  it('lets promptStrength override strength', () => {
    expect(
      map('black-forest-labs/flux-dev', { image: png, strength: 0.9 }, { promptStrength: 0.2 })
        .input.prompt_strength,
    ).toBe(0.2);
  });

  it('maps FLUX 1.1 pro to a custom aspect ratio on its 32-pixel grid', () => {
    const mapped = map('black-forest-labs/flux-1.1-pro', { width: 1000, height: 2000 });
    expect(mapped.input).toMatchObject({ aspect_ratio: 'custom', width: 736, height: 1440 });
    expect(mapped.warnings[0]).toMatch(/does not paint 1000x2000; asked for 736x1440/);
  });

  it('maps SDXL: width and height, negative prompt, inpainting with a mask', () => {
    const mapped = map('stability-ai/sdxl', {
      width: 800,
      height: 600,
      negativePrompt: 'blurry',
      image: png,
      mask: png,
      strength: 0.6,
    });
    expect(mapped.input).toMatchObject({
      width: 800,
      height: 600,
      negative_prompt: 'blurry',
      prompt_strength: 0.6,
      num_outputs: 1,
    });
    expect(String(mapped.input.mask)).toMatch(/^data:image\/png;base64,/);
  });

  it('maps Recraft to its listed size, and warns about the seed it cannot take', () => {
    const mapped = map('recraft-ai/recraft-v3', { width: 1920, height: 1080, seed: 3 });
    expect(mapped.input).toEqual({ prompt: 'a lighthouse', size: '1820x1024' });
    expect(mapped.warnings).toContain(
      'Seed 3 was not sent to recraft-ai/recraft-v3: the model takes no seed, so the image cannot be replayed.',
    );
  });

  it('refuses an input image where the model takes none, and Ideogram’s image without a mask', () => {
    expect(
      thrownBy(() => map('black-forest-labs/flux-schnell', { image: png }), ValidationError)
        .message,
    ).toMatch(/Expected no input `image` for black-forest-labs\/flux-schnell/);
    const error = thrownBy(() => map('ideogram-ai/ideogram-v2', { image: png }), ValidationError);
    expect(error.issues[0]!.path).toEqual(['mask']);
    expect(map('ideogram-ai/ideogram-v2', { image: png, mask: png }).input).toHaveProperty('mask');
  });

  it('warns about what it cannot honour instead of sending it', () => {
    const mapped = map(
      'recraft-ai/recraft-v3',
      { transparent: true, strength: 0.5, mask: png },
      { numInferenceSteps: 4, guidance: 2, outputFormat: 'png', aspectRatio: '1:1' },
    );
    expect(mapped.input).toEqual({ prompt: 'a lighthouse', size: '1024x1024' });
    expect(mapped.warnings).toEqual([
      'Option `aspectRatio` was not sent to recraft-ai/recraft-v3: it takes no `aspect_ratio` from a list.',
      'Option `numInferenceSteps` was not sent to recraft-ai/recraft-v3: it has no steps input.',
      'Option `guidance` was not sent to recraft-ai/recraft-v3: it has no guidance input.',
      'Option `outputFormat` was not sent to recraft-ai/recraft-v3: it has no `output_format` input.',
      'recraft-ai/recraft-v3 cannot paint a transparent background (capabilities.transparency is false); the image is opaque.',
      '`strength` applies to requests with an input image; 0.5 was ignored.',
      'A `mask` needs an input image; it was not sent.',
    ]);
  });

  it('refuses option values outside the model’s range, naming the option', () => {
    const steps = thrownBy(
      () => map('black-forest-labs/flux-schnell', {}, { numInferenceSteps: 8 }),
      ValidationError,
    );
    expect(steps.issues[0]).toEqual({
      path: ['options', 'numInferenceSteps'],
      message:
        'Expected `options.numInferenceSteps` to be from 1 to 4 for black-forest-labs/flux-schnell, got 8',
    });
    const ratio = thrownBy(
      () => map('ideogram-ai/ideogram-v2', {}, { aspectRatio: '21:9' }),
      ValidationError,
    );
    expect(ratio.issues[0]!.path).toEqual(['options', 'aspectRatio']);
    expect(map('ideogram-ai/ideogram-v2', {}, { aspectRatio: '3:1' }).input.aspect_ratio).toBe(
      '3:1',
    );
  });

  it('sends options.input over the mapped inputs, with a warning when it replaces one', () => {
    const mapped = map(
      'black-forest-labs/flux-schnell',
      {},
      { input: { go_fast: true, num_outputs: 2 } },
    );
    expect(mapped.input).toMatchObject({ go_fast: true, num_outputs: 2 });
    expect(mapped.warnings).toEqual([
      '`options.input.num_outputs` replaced the value the adapter mapped.',
    ]);
  });

  it('sends an unknown model the prompt and the inputs named by inputNames only', () => {
    const bare = map(
      'someone/pixel-art',
      { seed: 5, negativePrompt: 'x' },
      { input: { scale: 4 } },
    );
    expect(bare.input).toEqual({ prompt: 'a lighthouse', scale: 4 });
    expect(bare.size).toBeUndefined();
    expect(bare.warnings).toHaveLength(3);
    const named = map(
      'someone/pixel-art',
      { seed: 5, width: 500, height: 300, image: png, strength: 0.4 },
      {
        inputNames: {
          prompt: 'text',
          seed: 'noise_seed',
          width: 'w',
          height: 'h',
          image: 'init_image',
          strength: 'denoise',
        },
      },
    );
    expect(named.input).toMatchObject({
      text: 'a lighthouse',
      noise_seed: 5,
      w: 504,
      h: 304,
      denoise: 0.4,
    });
    expect(named.input).toHaveProperty('init_image');
  });

  it('refuses inputNames for a model whose inputs it maps, and oversized inline images', () => {
    expect(
      thrownBy(
        () => map('black-forest-labs/flux-dev', {}, { inputNames: { seed: 'x' } }),
        ValidationError,
      ).issues[0]!.path,
    ).toEqual(['options', 'inputNames']);
    const big = { bytes: new Uint8Array(maxInlineInputBytes + 1), mediaType: 'image/png' };
    expect(
      thrownBy(() => map('black-forest-labs/flux-dev', { image: big }), ValidationError).issues[0]!
        .path,
    ).toEqual(['image']);
  });
});
